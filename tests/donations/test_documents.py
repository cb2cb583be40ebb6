"""The receipt printed as a PDF (donations.documents): the official form's wording, whatever the
reader's language, read back with pdftotext."""

import datetime
import shutil
import subprocess
import time

import pytest
from django.urls import reverse

from donations import services
from donations.choices import DonorKind, Earmark, PaymentMethod

from ..factories import CommuneOfficerFactory
from .factories import DonorFactory, FundFactory

DAY = datetime.date(2025, 10, 20)
SIGNERS = ("THỦ TRƯỞNG ĐƠN VỊ", "KẾ TOÁN", "NGƯỜI LẬP PHIẾU", "NGƯỜI NỘP TIỀN", "THỦ QUỸ")


def pdf_text(content: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext is needed to read the PDFs (Debian: poppler-utils)"
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True,
                          timeout=60).stdout.decode()


def one_line(text: str) -> str:
    """The text with its lines joined: a long value may wrap on the page."""
    return " ".join(text.split())


@pytest.fixture
def fund(world):
    return FundFactory(unit=world.commune, name="Quỹ Vì người nghèo thị trấn Phước Mỹ Trung")


def _receipt(world, fund, **values):
    donor = values.pop("donor", None) or DonorFactory(unit=world.commune, kind=DonorKind.INDIVIDUAL,
                                                      name="Trần Thị Bích Ngọc", address="12 ấp Phước Hậu")
    return services.receipt_record(actor=world.commune_officer, fund=fund, donor=donor, happened_on=DAY,
                                   **{"amount": 30_000_000, **values})


def test_receipt_prints_in_the_official_layout_with_the_amount_in_figures_and_words(client, world, fund):
    world.commune_officer.first_name, world.commune_officer.last_name = "Hoa", "Lê Thị"
    world.commune_officer.save()
    receipt = _receipt(world, fund, method=PaymentMethod.BANK_TRANSFER, bank_reference="FT25293123456",
                       earmark=Earmark.TET_GIFTS, note="Tặng quà Tết cho hộ nghèo", attached_documents=2)
    client.force_login(world.commune_officer)
    client.cookies.load({"django_language": "en"})  # the form is Vietnamese whatever the reader reads

    started = time.monotonic()
    response = client.get(reverse("donations:receipt-pdf", args=[receipt.pk]))
    assert time.monotonic() - started < 5  # laid out within the request: a page, not a report

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="phieu-thu-{receipt.number}.pdf"'
    text = one_line(pdf_text(response.content))
    assert "ỦY BAN MTTQ VIỆT NAM THỊ TRẤN PHƯỚC MỸ TRUNG" in text
    assert "Mẫu số: C40-BB" in text
    assert "PHIẾU THU" in text
    assert f"Số: {receipt.number}" in text and receipt.number == "PT-2025-000001"
    assert "Ngày 20 tháng 10 năm 2025" in text
    assert "Ngày: 20/10/2025" in text
    assert "Phước Mỹ Trung, ngày 20 tháng 10 năm 2025" in text
    assert "Họ và tên người nộp tiền: Trần Thị Bích Ngọc" in text
    assert "Địa chỉ: 12 ấp Phước Hậu" in text
    assert "Lý do nộp: Ủng hộ Quỹ Vì người nghèo thị trấn Phước Mỹ Trung (dành cho quà Tết); " \
           "Tặng quà Tết cho hộ nghèo" in text
    assert "Hình thức nộp: Chuyển khoản, mã giao dịch FT25293123456" in text
    assert "Số tiền: 30.000.000 đồng" in text
    assert "(Viết bằng chữ): Ba mươi triệu đồng" in text
    assert "Kèm theo: 2 chứng từ gốc." in text
    for signer in SIGNERS:
        assert signer in text
    assert "Lê Thị Hoa" in text  # the preparer's name under their signature
    assert "ĐÃ HỦY" not in text
    # Nothing of the interface's English.
    assert "Receipt" not in text and "Amount" not in text


def test_receipt_of_a_campaign_in_kind_says_the_campaign_the_goods_and_their_value(client, world, fund):
    campaign = services.campaign_create(
        actor=world.commune_officer, kind="month_for_the_poor", name="Tháng cao điểm Vì người nghèo 2025",
        code="VNN2025", starts_on=datetime.date(2025, 10, 17), ends_on=datetime.date(2025, 11, 18),
        target=100_000_000, fund=fund)
    business = DonorFactory(unit=world.commune, name="Công ty TNHH Gạo Ngon", kind=DonorKind.BUSINESS)
    receipt = _receipt(world, fund, donor=business, amount=1_005_000, method=PaymentMethod.IN_KIND,
                       in_kind_description="67 bao gạo 10 kg", campaign=campaign)
    client.force_login(world.district_member)  # the district above sees the commune's receipts

    text = one_line(pdf_text(client.get(reverse("donations:receipt-pdf", args=[receipt.pk])).content))
    assert "Họ và tên người nộp tiền: Công ty TNHH Gạo Ngon" in text
    assert "Lý do nộp: Ủng hộ Tháng cao điểm Vì người nghèo 2025" in text
    assert "Hình thức nộp: Hiện vật: 67 bao gạo 10 kg" in text
    assert "Giá trị quy đổi: 1.005.000 đồng" in text
    assert "(Viết bằng chữ): Một triệu không trăm linh năm nghìn đồng" in text


def test_reversed_receipt_is_printed_marked_cancelled_with_the_reason(client, world, fund):
    receipt = _receipt(world, fund, method=PaymentMethod.CASH)
    services.posting_reverse(actor=world.district_member, posting=receipt.posting, reason="Ghi nhầm số tiền",
                             happened_on=datetime.date(2025, 10, 22))
    client.force_login(world.commune_officer)

    text = one_line(pdf_text(client.get(reverse("donations:receipt-pdf", args=[receipt.pk])).content))
    assert "PHIẾU THU ĐÃ HỦY" in text
    assert "Đã ghi bút toán đảo ngày 22/10/2025. Lý do: Ghi nhầm số tiền" in text
    assert "Hình thức nộp: Tiền mặt" in text


def test_an_agencys_receipt_lists_the_people_it_collected_from(client, world, fund):
    agency = DonorFactory(unit=world.commune, kind=DonorKind.AGENCY, name="Trường THCS Phước Mỹ Trung")
    receipt = _receipt(world, fund, donor=agency, amount=3_500_000,
                       soft_credits=[("Nguyễn Văn Bảy", 2_000_000), ("Phạm Thị Tám", None)])
    client.force_login(world.commune_officer)

    text = one_line(pdf_text(client.get(reverse("donations:receipt-pdf", args=[receipt.pk])).content))
    assert "Nguyễn Văn Bảy 2.000.000" in text
    assert "Phạm Thị Tám" in text
    assert "(Viết bằng chữ): Ba triệu năm trăm nghìn đồng" in text


def test_receipt_of_a_fund_outside_the_viewers_scope_answers_404(client, world, fund):
    outsider_fund = FundFactory(unit=world.sibling_commune)
    outsider = services.receipt_record(actor=CommuneOfficerFactory(unit=world.sibling_commune), fund=outsider_fund,
                                       donor=DonorFactory(unit=world.sibling_commune), amount=1_000, happened_on=DAY)
    own = _receipt(world, fund)
    client.force_login(world.commune_officer)

    assert client.get(reverse("donations:receipt-pdf", args=[outsider.pk])).status_code == 404
    assert client.get(reverse("donations:receipt-pdf", args=[own.pk + outsider.pk + 1000])).status_code == 404
    # The district member of another district neither.
    client.force_login(CommuneOfficerFactory(unit=world.other_district_commune))
    assert client.get(reverse("donations:receipt-pdf", args=[own.pk])).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, world, fund):
    receipt = _receipt(world, fund)
    response = client.get(reverse("donations:receipt-pdf", args=[receipt.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

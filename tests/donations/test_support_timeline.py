"""What a household received in batches of support, and the activities that name it, on its page's
timeline (donations.support.timeline): the day it was handed over, what, its value, from which fund
or donor and whose money; the fund's line of a closed batch not listed twice; totals by year."""

import datetime

import pytest

from donations.support import services
from donations.support.models import Activity, Organisation
from donations.support.timeline import support_timeline_entries

from .factories import DonorFactory, fund_of, manager_of, receipt_into
from .support_factories import HANDED_OVER, TET, batch_with, deliver_all, kind, poor_household, pupil_of
from .test_timeline import _received

OTHER_DONORS = "Money of: 1 other donor."


@pytest.fixture
def closed_tet(world):
    """The district's Tet batch for a poor household of the commune, delivered and closed."""
    household = poor_household(world.commune)
    batch = batch_with(world.district, [household], actor=world.district_member)
    services.batch_confirm(actor=world.district_member, batch=batch)
    deliver_all(batch, world.commune_officer)
    services.batch_close(actor=world.district_member, batch=batch)
    return household, batch


def test_a_delivered_tet_gift_shows_its_day_kind_value_fund_and_donors_once(client, world, closed_tet):
    household, batch = closed_tet
    entries = _received(client, world.district_member, household)
    fund = fund_of(world.district).name
    donor = batch.fund.lines.filter(posting__kind="receipt").first().posting.receipt.donor.name
    assert entries == [f"10/02/2026 Tet gifts · {TET} · 500.000 ₫ From {fund}. "
                       f"Money of: {donor} (500.000 ₫)."], "the fund's line of the batch is not listed again"


def test_the_commune_officer_sees_the_districts_gift_with_the_districts_donors_counted(client, world, closed_tet):
    household, _batch = closed_tet
    entries = _received(client, world.commune_officer, household)
    assert len(entries) == 1 and entries[0].endswith(OTHER_DONORS)


def test_a_gift_delivered_but_not_yet_closed_is_received_without_a_ledger_line(client, world):
    household = poor_household(world.commune)
    batch = batch_with(world.commune, [household], actor=world.commune_officer)
    services.batch_confirm(actor=world.commune_officer, batch=batch)
    line = batch.recipients.get()
    services.delivery_record(actor=world.commune_officer, recipient=line, delivery="representative",
                             delivered_on=HANDED_OVER, representative="Nguyễn Thị Hai")
    [entry] = _received(client, world.commune_officer, household)
    assert entry == (f"10/02/2026 Tet gifts · {TET} · 500.000 ₫ Received by Nguyễn Thị Hai. "
                     f"From {fund_of(world.commune).name}.")


def test_lines_not_delivered_show_nothing(client, world):
    household = poor_household(world.commune)
    batch = batch_with(world.commune, [household], actor=world.commune_officer)
    services.batch_confirm(actor=world.commune_officer, batch=batch)
    services.delivery_record(actor=world.commune_officer, recipient=batch.recipients.get(), delivery="not_found")
    assert _received(client, world.commune_officer, household) == []


def test_a_scholarship_names_the_pupil_and_school_and_a_direct_gift_its_donor(client, world):
    officer = world.commune_officer
    household = poor_household(world.commune)
    pupil = pupil_of(household, full_name="Trần Văn Bé")
    fund = fund_of(world.commune)
    receipt_into(fund, amount=5_000_000, actor=officer)
    scholarship = services.batch_create(actor=officer, kind=kind("scholarship"), occasion="Học bổng 2025-2026",
                                        happened_on=HANDED_OVER, fund=fund, value=1_000_000)
    services.recipient_add(actor=officer, batch=scholarship, household=household, pupil=pupil, reason="Học giỏi",
                           school="Trường TH Phước Mỹ Trung", grade="4", school_year="2025-2026")
    donor = DonorFactory(unit=world.commune, created_by=officer, name="Công ty Dừa Bến Tre")
    direct = services.batch_create(actor=officer, kind=kind("occasion_gifts"), occasion="Quà 2/9",
                                   happened_on=HANDED_OVER, donor=donor, value=300_000, in_kind=True,
                                   goods="10 kg gạo")
    services.recipient_add(actor=officer, batch=direct, household=household, reason="Hộ nghèo")
    for batch, day in ((scholarship, datetime.date(2025, 9, 5)), (direct, datetime.date(2025, 9, 2))):
        services.batch_confirm(actor=officer, batch=batch)
        deliver_all(batch, officer, day=day)

    entries = _received(client, officer, household)

    assert entries[0] == ("05/09/2025 Scholarship · Học bổng 2025-2026 · for Trần Văn Bé · 1.000.000 ₫ "
                          "Trường TH Phước Mỹ Trung, grade 4, school year 2025-2026. "
                          f"From {fund.name}.")
    assert entries[1] == ("02/09/2025 Occasion gifts · Quà 2/9 · 300.000 ₫ In kind: 10 kg gạo. "
                          "Given directly by Công ty Dừa Bến Tre.")


def test_an_activity_naming_the_household_is_on_its_timeline(client, world):
    household = poor_household(world.commune)
    red_cross = Organisation.objects.create(unit=world.district, kind="red_cross", name="Hội Chữ thập đỏ huyện",
                                            created_by=world.district_member)
    activity = Activity.objects.create(unit=world.district, organisation=red_cross, kind="medical_examination",
                                       name="Khám bệnh miễn phí", starts_on=datetime.date(2026, 3, 8),
                                       people_served=200, value=40_000_000, funders="Bệnh viện Nguyễn Đình Chiểu",
                                       recorded_by=world.district_member)
    activity.households.add(household)
    entries = _received(client, world.commune_officer, household)
    # No amount: the activity's value is the whole day's, not the household's.
    assert entries == ["08/03/2026 Free medical examination and medicine · Khám bệnh miễn phí "
                       "Hội Chữ thập đỏ huyện · Bệnh viện Nguyễn Đình Chiểu"]


def test_the_page_totals_what_was_received_by_year(client, world, closed_tet):
    household, _batch = closed_tet
    officer = world.commune_officer
    fund = fund_of(world.commune)
    receipt_into(fund, amount=2_000_000, actor=officer)
    batch = services.batch_create(actor=officer, kind=kind("livelihood"), occasion="Sinh kế 2025",
                                  happened_on=HANDED_OVER, fund=fund, value=2_000_000)
    services.recipient_add(actor=officer, batch=batch, household=household, reason="Nuôi bò")
    services.batch_confirm(actor=officer, batch=batch)
    deliver_all(batch, officer, day=datetime.date(2025, 6, 1))
    client.force_login(officer)
    client.cookies.load({"django_language": "en"})
    body = client.get(f"/households/{household.pk}/").content.decode()
    table = body.split('data-testid="support-by-year"', 1)[1].split("</table>", 1)[0]
    assert [" ".join(cell.split()) for cell in _cells(table)] == ["2026", "500.000 ₫", "2025", "2.000.000 ₫"]


def _cells(table: str) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]


def test_nothing_of_a_household_out_of_scope_is_told(world, closed_tet):
    household, _batch = closed_tet
    outsider = manager_of(world.sibling_commune)
    assert list(support_timeline_entries(households=[household], user=outsider)) == []


def test_the_timeline_reads_a_fixed_number_of_queries_whatever_the_entries(
        world, closed_tet, django_assert_max_num_queries):
    household, _batch = closed_tet
    for occasion in ("Quà 1", "Quà 2", "Quà 3"):
        batch = batch_with(world.district, [household], actor=world.district_member, occasion=occasion)
        services.batch_confirm(actor=world.district_member, batch=batch)
        deliver_all(batch, world.commune_officer)
        services.batch_close(actor=world.district_member, batch=batch)
    with django_assert_max_num_queries(7):
        entries = list(support_timeline_entries(households=[household], user=world.commune_officer))
    assert len(entries) == 4


def test_a_gift_links_to_its_batch_for_a_viewer_who_may_open_it(world, closed_tet):
    household, batch = closed_tet

    (entry,) = [entry for entry in support_timeline_entries(households=[household], user=world.commune_officer)
                if entry.title.endswith(batch.occasion)]

    assert entry.url == f"/support/batches/{batch.pk}/"

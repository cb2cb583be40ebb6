"""The edges of a batch found on review: a family that moved between communes, a delivery tapped
while a big batch is being closed, closing asked twice or stopped by an error, a draft with an
imported list thrown away, amounts past any budget in a list, a name Excel would run as a formula,
and a batch whose posting was reversed in "no support since"."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from donations import services as ledger
from donations.imports.columns import read_amount
from donations.support import services
from donations.support.choices import BatchState
from donations.support.models import Batch, BatchImport, Recipient
from donations.support.selectors import households_helped_since
from frontwelfare.imports.cells import CellError
from households.models import Household

from ..factories import CommuneFactory, DistrictFactory
from .factories import manager_of
from .support_factories import HANDED_OVER, batch_with, deliver_all, poor_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved():
    """A household on its old commune's confirmed batch, since moved to the next commune."""
    district = DistrictFactory()
    old, new = (CommuneFactory(district=district, province=district.province) for _ in range(2))
    household = poor_household(old)
    keeper = manager_of(old)
    batch = batch_with(old, [household], actor=keeper)
    services.batch_confirm(actor=keeper, batch=batch)
    Household.objects.filter(pk=household.pk).update(commune=new)
    return batch, keeper, manager_of(new)


def test_the_new_commune_of_a_family_that_moved_neither_sees_nor_records_its_old_communes_line(moved):
    batch, _keeper, newcomer = moved
    line = batch.recipients.get()

    assert not Recipient.objects.visible_to(newcomer).exists()
    with pytest.raises(Recipient.DoesNotExist):
        services.delivery_record(actor=newcomer, recipient=line, delivery="delivered", delivered_on=HANDED_OVER)
    line.refresh_from_db()
    assert line.delivery == "pending"


def test_a_batch_closes_without_the_line_of_a_family_that_moved_away_which_its_commune_no_longer_sees(moved):
    batch, keeper, _newcomer = moved
    stayed = poor_household(batch.unit)
    # A second family of the old commune on the same (confirmed) batch, which stayed.
    line = Recipient.objects.create(batch=batch, household=stayed, value=batch.value)

    assert list(Recipient.objects.visible_to(keeper)) == [line]
    services.delivery_record(actor=keeper, recipient=line, delivery="delivered", delivered_on=HANDED_OVER)
    closed = services.batch_close(actor=keeper, batch=batch)

    assert closed.state == BatchState.CLOSED
    assert list(closed.posting.lines.filter(party="fund").values_list("household_id", flat=True)) == [stayed.pk]


def _big(monkeypatch, money=10_000_000):
    commune = CommuneFactory()
    officer = manager_of(commune)
    batch = batch_with(commune, [poor_household(commune) for _ in range(3)], actor=officer, money=money)
    services.batch_confirm(actor=officer, batch=batch)
    deliver_all(batch, officer)
    monkeypatch.setattr(services, "CLOSE_IN_REQUEST", 2)
    monkeypatch.setattr(services, "_enqueue_close", lambda *args: None)  # the worker is another test's
    return officer, services.batch_close_request(actor=officer, batch=batch)


def test_a_big_batch_being_closed_refuses_a_second_close_and_delivery_corrections(monkeypatch):
    officer, batch = _big(monkeypatch)
    assert batch.closing_since is not None and batch.state == BatchState.CONFIRMED

    with pytest.raises(ValidationError):
        services.batch_close_request(actor=officer, batch=batch)
    with pytest.raises(ValidationError):
        services.delivery_record(actor=officer, recipient=batch.recipients.first(), delivery="refused")
    assert not batch.recipients.filter(delivery="refused").exists()


def test_a_closing_stopped_by_an_error_opens_the_batch_again_with_a_message(monkeypatch):
    officer, batch = _big(monkeypatch)
    officer.is_active = False  # the officer's account closed before the worker ran
    officer.save(update_fields=["is_active"])

    with pytest.raises(Batch.DoesNotExist):
        services.batch_close_run(batch.pk, officer.pk, "en")

    batch.refresh_from_db()
    assert (batch.state, batch.closing_since) == (BatchState.CONFIRMED, None)
    assert batch.close_error == "Closing stopped on an error: close the batch again."


def test_a_second_task_of_the_same_close_leaves_the_closed_batch_as_it_is(monkeypatch):
    officer, batch = _big(monkeypatch)
    services.batch_close_run(batch.pk, officer.pk, "en")
    services.batch_close_run(batch.pk, officer.pk, "en")

    batch.refresh_from_db()
    assert (batch.state, batch.close_error) == (BatchState.CLOSED, "")


def test_a_draft_with_an_imported_list_is_thrown_away_with_it():
    commune = CommuneFactory()
    officer = manager_of(commune)
    batch = batch_with(commune, [poor_household(commune)], actor=officer)
    BatchImport.objects.create(batch=batch, uploaded_by=officer, original_name="danh-sach.xlsx", status="cancelled")

    services.batch_delete(actor=officer, batch=batch)

    assert not Batch.objects.filter(pk=batch.pk).exists() and not BatchImport.objects.exists()


@pytest.mark.parametrize("cell", ["99999999999999999999", 10**13, "1.000.000.000.001"])
def test_an_amount_past_any_budget_is_refused_by_the_imports(cell):
    with pytest.raises(CellError):
        read_amount(cell)
    assert read_amount("1.000.000.000.000") == 10**12


def test_a_name_starting_like_a_formula_stays_text_on_the_signature_sheet(client):
    commune = CommuneFactory()
    officer = manager_of(commune)
    household = poor_household(commune, head_name='=HYPERLINK("http://x.invalid","Nguyễn Văn A")')
    batch = batch_with(commune, [household], actor=officer)
    services.batch_confirm(actor=officer, batch=batch)
    client.force_login(officer)

    book = load_workbook(BytesIO(client.get(reverse("support:batch-sheet-xlsx", args=[batch.pk])).content))

    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row if isinstance(cell.value, str)
             and "HYPERLINK" in cell.value]
    assert [(cell.value[0], cell.data_type) for cell in cells] == [("'", "s")]


def test_a_household_whose_batch_was_reversed_counts_as_not_helped():
    commune = CommuneFactory()
    officer = manager_of(commune)
    household = poor_household(commune)
    batch = batch_with(commune, [household], actor=officer)
    services.batch_confirm(actor=officer, batch=batch)
    deliver_all(batch, officer)
    batch = services.batch_close(actor=officer, batch=batch)
    since = datetime.date(2026, 1, 1)
    assert household.pk in set(households_helped_since(since).values_list("household_id", flat=True))

    ledger.posting_reverse(actor=manager_of(commune.district), posting=batch.posting, reason="Trao nhầm đợt",
                           happened_on=HANDED_OVER)

    assert household.pk not in set(households_helped_since(since).values_list("household_id", flat=True))

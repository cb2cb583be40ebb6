"""A big batch (a province's Tet gifts) is closed by a real Celery worker, not in the officer's
request; a refusal the worker meets is kept on the batch for its page."""

import time

from django.urls import reverse
from django.utils import translation

from donations.selectors import fund_balance
from donations.support import services
from donations.support.choices import BatchState

from ..factories import CommuneFactory
from ..workers import celery_workers as celery_workers
from .factories import fund_of, manager_of
from .support_factories import batch_with, deliver_all, poor_household


def _until_settled(batch, workers):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.closing_since is None:
            return batch
        time.sleep(0.1)
    raise AssertionError(f"the batch is still closing\n{workers.output()}")


def _ready_batch(monkeypatch, *, money):
    commune = CommuneFactory()
    officer = manager_of(commune)
    batch = batch_with(commune, [poor_household(commune) for _ in range(3)], actor=officer, money=money,
                       value=500_000)
    services.batch_confirm(actor=officer, batch=batch)
    deliver_all(batch, officer)
    # Three lines stand for a province's twenty thousand: closed by the worker, not the request.
    monkeypatch.setattr(services, "CLOSE_IN_REQUEST", 2)
    return commune, officer, batch


def test_the_worker_closes_a_big_batch_the_officer_asked_to_close(client, celery_workers, monkeypatch):
    commune, officer, batch = _ready_batch(monkeypatch, money=10_000_000)
    celery_workers.start()
    client.force_login(officer)

    answer = client.post(reverse("support:batch-close", args=[batch.pk]), follow=True)

    assert "data-testid=\"closing\"" in answer.content.decode()
    batch = _until_settled(batch, celery_workers)
    assert (batch.state, batch.close_error, batch.posting is not None) == (BatchState.CLOSED, "", True)
    assert fund_balance(fund_of(commune)) == 10_000_000 - 1_500_000


def test_a_refusal_met_by_the_worker_is_shown_on_the_batchs_page(client, celery_workers, monkeypatch):
    commune, officer, batch = _ready_batch(monkeypatch, money=1_000_000)
    celery_workers.start()
    with translation.override("en"):
        services.batch_close_request(actor=officer, batch=batch)

    batch = _until_settled(batch, celery_workers)

    assert batch.state == BatchState.CONFIRMED and batch.posting is None
    assert batch.close_error.endswith("holds 1.000.000 ₫ for “Unrestricted”: it cannot pay out 1.500.000 ₫."), \
        batch.close_error
    assert fund_balance(fund_of(commune)) == 1_000_000
    client.force_login(officer)
    page = client.get(reverse("support:batch-detail", args=[batch.pk])).content.decode()
    assert batch.close_error in page and "data-testid=\"close-form\"" in page

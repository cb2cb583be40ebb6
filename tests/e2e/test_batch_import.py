"""A member organisation's list imported into a draft batch in a real browser, with a real Celery
worker: the officer opens the batch's import page, uploads the list, the page follows the check
and shows the households found; one row not found is shown on its row; the officer uploads the
corrected list and confirms, and the page follows the adding to its end.

Things are found by ``data-testid``, names and values, not by interface text (see test_households).
"""

import re
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from ..donations.support_factories import funded_batch, poor_household
from ..donations.test_support_import import list_xlsx
from ..factories import TEST_PASSWORD
from .imports import WORKER, upload
from .test_browser import sign_in

DETAIL_URL = re.compile(r"/support/batch-imports/\d+/$")


@pytest.fixture
def support_kinds(transactional_db):
    """The nationwide kinds of support come with a migration; a browser test's database is emptied
    after each test, migrated rows included, so they are written again."""
    import_module("donations.migrations.0007_nationwide_support_kinds").add_kinds(apps, None)


@pytest.mark.e2e
def test_officer_imports_a_member_organisations_list(page: Page, world, snap, celery_workers, support_kinds):
    an = poor_household(world.commune, hamlet="Ấp Phước Hậu", head_name="Nguyễn Văn An")
    poor_household(world.commune, hamlet="Ấp Phước Thạnh", head_name="Trần Thị Bình")
    batch = funded_batch(world.commune, actor=world.commune_officer)
    celery_workers.start()
    page.goto(f"/support/batches/{batch.pk}/import/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page.get_by_test_id("import-form")).to_be_visible()

    upload(page, list_xlsx([{"code": an.code}, {"head": "Không Có Ai", "hamlet": "Ấp Phước Hậu"}]), "chu-thap-do.xlsx")
    expect(page).to_have_url(DETAIL_URL)
    expect(page.get_by_test_id("import-invalid")).to_be_visible(timeout=WORKER)
    expect(page.get_by_test_id("import-preview").locator("tr[data-problems-of='6']")).to_contain_text("Họ tên chủ hộ")
    snap("invalid")

    page.goto(f"/support/batches/{batch.pk}/import/")
    upload(page, list_xlsx([{"code": an.code}, {"head": "tran thi binh", "hamlet": "ap phuoc thanh",
                                                "value": "700.000", "note": "Neo đơn"}]), "chu-thap-do-sua.xlsx")
    expect(page.get_by_test_id("import-ready")).to_be_visible(timeout=WORKER)
    preview = page.get_by_test_id("import-preview")
    expect(preview.locator("tr[data-row]")).to_have_count(2)
    expect(preview.locator("tr[data-row='6']")).to_contain_text("Trần Thị Bình")
    assert not batch.recipients.exists()
    snap("preview")
    page.locator("button[value=confirm]").click()

    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=WORKER)
    assert batch.recipients.count() == 2

"""A NUL character in anything a request submits answers 400, never a 500 from PostgreSQL."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from frontwelfare.middleware import RefuseNulCharactersMiddleware
from households.models import Household
from tests.households.factories import HouseholdFactory
from tests.households.test_api import _payload
from tests.households.test_views import _registration


@pytest.fixture
def officer_client(world, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(world.commune_officer)
    return client


@pytest.fixture
def officer_api(world):
    client = APIClient(raise_request_exception=False)
    client.force_login(world.commune_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_nul_in_the_annual_review_filter_answers_400_page(officer_client):
    response = officer_client.get("/households/review/?hamlet=%00")

    assert response.status_code == 400
    assert "Yêu cầu không được chấp nhận" in response.content.decode()


@pytest.mark.parametrize(("url_name", "params"), [
    ("households:list", {"q": "Ấp\x00"}),
    ("households:list", {"hamlet": "\x00"}),
    ("housing:case-list", {"q": "\x00"}),
    ("households:list", {"\x00": "1"}),
])
def test_nul_in_any_list_filter_answers_400(officer_client, url_name, params):
    response = officer_client.get(reverse(url_name), params)

    assert response.status_code == 400
    assert 'data-testid="error-page"' in response.content.decode()


def test_nul_in_a_form_field_is_refused_and_nothing_is_saved(officer_client):
    # As the browser posts the form: urlencoded.
    body = urlencode(_registration(hamlet="Ấp\x00 Phước Hậu"))
    response = officer_client.post(reverse("households:create"), body,
                                   content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "Yêu cầu không được chấp nhận" in response.content.decode()
    assert not Household.objects.exists()


def test_nul_in_a_multipart_form_field_is_refused_by_the_form_and_nothing_is_saved(officer_client):
    """Multipart bodies are left to the view (its upload handlers come first); the form refuses NUL."""
    response = officer_client.post(reverse("households:create"), _registration(hamlet="Ấp\x00 Phước Hậu"))

    assert response.status_code == 400  # the form again, with its errors, as for any refused form
    assert "Không được có ký tự NUL (ký tự rỗng)." in response.content.decode()
    assert not Household.objects.exists()


def test_nul_in_an_api_filter_answers_json_400(officer_api):
    response = officer_api.get(reverse("api:household-list"), {"hamlet": "\x00"})

    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be accepted"}


def test_nul_deep_in_a_json_body_answers_400(officer_api, world):
    payload = _payload(world)
    payload["members"][1]["full_name"] = "Lê Thị\u0000 Bình"

    response = officer_api.post(reverse("api:household-list"), payload, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be accepted"}
    assert not Household.objects.exists()


def test_nul_in_an_api_form_patch_answers_400(officer_api, world):
    home = HouseholdFactory(commune=world.commune, hamlet="Ấp Cũ")

    response = officer_api.patch(reverse("api:household-detail", args=[home.pk]), "hamlet=%00",
                                 content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    home.refresh_from_db()
    assert home.hamlet == "Ấp Cũ"


def test_nul_bytes_inside_an_uploaded_file_are_not_refused():
    """A workbook or a photo is binary: only the text fields of a form are checked."""
    upload = SimpleUploadedFile("households.xlsx", b"PK\x03\x04\x00\x00binary")
    request = RequestFactory().post("/households/import/", {"file": upload, "note": "ok"})

    response = RefuseNulCharactersMiddleware(lambda request: "passed")(request)

    assert response == "passed"


def test_text_without_nul_passes_untouched(officer_client, world):
    HouseholdFactory(commune=world.commune, hamlet="Ấp Phước Hậu")

    response = officer_client.get(reverse("households:list"), {"hamlet": "Phước Hậu"})

    assert response.status_code == 200
    assert "Ấp Phước Hậu" in response.content.decode()


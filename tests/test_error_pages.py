"""Refused and failed requests answer the site's own pages, in the user's language, with a way on."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from frontwelfare.errors import server_error
from tests.households.factories import HouseholdFactory

ENGLISH = {"django_language": "en"}


@pytest.fixture
def browser_client(settings):
    """A client that gets the error page a browser would get, instead of the view's exception."""
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def _signed_in(client, user, language="vi"):
    client.force_login(user)
    if language == "en":
        client.cookies.load(ENGLISH)
    return client


@pytest.mark.parametrize(("language", "heading", "explanation", "go_to"), [
    ("vi", "Không tìm thấy trang", "nằm ngoài đơn vị của bạn", "Đến trang Hộ gia đình"),
    ("en", "Page not found", "outside your unit", "Go to Households"),
])
def test_out_of_scope_household_answers_the_sites_404_page(browser_client, world, language, heading, explanation,
                                                            go_to):
    household = HouseholdFactory(commune=world.sibling_commune)
    client = _signed_in(browser_client, world.commune_officer, language)

    response = client.get(reverse("households:detail", args=[household.pk]))

    body = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in body
    assert heading in body and explanation in body
    assert go_to in body and f'href="{reverse("households:list")}"' in body
    assert 'data-testid="whoami"' in body  # the menu: the officer can go anywhere from here
    assert household.head_name not in body


@pytest.mark.parametrize(("language", "heading"), [
    ("vi", "Bạn không được làm việc này"), ("en", "You may not do this"),
])
def test_refused_role_answers_the_sites_403_page(browser_client, world, language, heading):
    client = _signed_in(browser_client, world.district_member, language)

    response = client.get(reverse("households:create"))

    body = response.content.decode()
    assert response.status_code == 403
    assert heading in body and 'data-testid="whoami"' in body
    assert reverse("home") in body


@pytest.mark.parametrize(("language", "heading"), [
    ("vi", "Yêu cầu không được chấp nhận"), ("en", "The request could not be accepted"),
])
def test_bad_request_answers_the_sites_400_page(browser_client, world, language, heading):
    client = _signed_in(browser_client, world.commune_officer, language)

    response = client.get(reverse("households:list"), {"q": "Nguy\x00ễn"})

    body = response.content.decode()
    assert response.status_code == 400
    assert heading in body and 'data-testid="whoami"' in body


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize(("language", "heading", "go_to"), [
    ("vi", "Đã có lỗi ở phía hệ thống", "Về trang chủ"),
    ("en", "Something went wrong on our side", "Go to the home page"),
])
def test_a_failing_page_answers_the_sites_500_page_without_the_user_menu(browser_client, world, language, heading,
                                                                         go_to):
    client = _signed_in(browser_client, world.commune_officer, language)

    response = client.get("/households/broken/")

    body = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in body
    assert heading in body and go_to in body
    assert "FrontWelfare" in body and "vendor/bootstrap.min.css" in body  # the layout
    assert 'data-testid="whoami"' not in body and 'data-testid="language-switch"' not in body


def test_500_page_reads_neither_the_database_nor_the_session(db, django_assert_num_queries):
    def untouchable():
        raise AssertionError("the 500 page read the user or the session")

    request = RequestFactory().get("/households/")
    request.COOKIES["django_language"] = "en"
    request.user = SimpleLazyObject(untouchable)
    request.session = SimpleLazyObject(untouchable)

    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize(("language", "heading"), [
    ("vi", "Không gửi được biểu mẫu"), ("en", "The form could not be sent"),
])
def test_form_without_csrf_token_answers_the_sites_page(world, settings, language, heading):
    settings.DEBUG = False
    client = _signed_in(Client(enforce_csrf_checks=True), world.commune_officer, language)

    response = client.post(reverse("households:create"), {"hamlet": "Ấp 1"})

    body = response.content.decode()
    assert response.status_code == 403
    assert heading in body and 'data-testid="whoami"' in body
    assert "CSRF cookie" not in body  # Django's reason is for the log


def test_api_errors_answer_json(browser_client, world):
    client = _signed_in(browser_client, world.commune_officer)

    missing = client.get("/api/v1/no-such-thing/")
    refused = client.get("/api/v1/households/", {"q": "\x00"})

    # An /api/ URL that names no operation answers as the API's other 404s do (frontwelfare.api.not_found).
    assert missing.status_code == 404 and missing.json() == {"detail": "Không tìm thấy."}
    assert refused.status_code == 400 and "detail" in refused.json()


def test_expected_403_is_logged_in_one_line(browser_client, world, caplog):
    client = _signed_in(browser_client, world.district_member)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("households:create"))

    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /households/new/"
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_a_refusal_with_a_reason_logs_and_shows_it(browser_client, world, caplog, monkeypatch):
    from households.views import pages

    def refuse(request):
        raise PermissionDenied("Only the commune's officers may register households.")

    monkeypatch.setattr(pages, "_own_commune", refuse)
    client = _signed_in(browser_client, world.commune_officer, "en")

    with caplog.at_level(logging.WARNING, logger="django.request"):
        body = client.get(reverse("households:create")).content.decode()

    assert "Only the commune&#x27;s officers may register households." in body
    assert caplog.records[-1].getMessage().endswith("(Only the commune's officers may register households.)")
    assert "Traceback" not in caplog.text

"""Rules once written in several places, now written once: each is asked here of every place
that reads it (the list filter, the API, the page, the service), and they must agree."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from frontwelfare.services import require_known
from housing import services
from housing.choices import AttachmentKind, CaseState, Transition
from housing.models import HousingCase
from housing.workflow import can_attach

from .factories import TINY_PDF, HousingCaseFactory, ProgrammeFactory, case_in_state


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def cases_around_the_deadline(world):
    """Open and closed cases of a programme that ended yesterday, and an open one of a programme
    that ends today. Only the first is overdue."""
    today = timezone.localdate()
    ended = ProgrammeFactory(unit=world.district, start_date=today - datetime.timedelta(days=90),
                             deadline=today - datetime.timedelta(days=1))
    ends_today = ProgrammeFactory(unit=world.district, start_date=today - datetime.timedelta(days=90),
                                  deadline=today)
    return {
        "open_after_deadline": HousingCaseFactory(programme=ended, household__commune=world.commune),
        "handed_over_after_deadline": case_in_state(CaseState.HANDED_OVER, programme=ended,
                                                    household__commune=world.commune),
        "cancelled_after_deadline": case_in_state(CaseState.CANCELLED, programme=ended,
                                                  household__commune=world.commune),
        "open_on_deadline_day": HousingCaseFactory(programme=ends_today, household__commune=world.commune),
    }


def test_overdue_is_the_same_in_the_model_the_queryset_the_list_filter_and_the_api(world, cases_around_the_deadline):
    cases = cases_around_the_deadline
    by_model = {name for name, case in cases.items() if HousingCase.objects.get(pk=case.pk).is_overdue}
    by_queryset = {name for name, case in cases.items() if HousingCase.objects.overdue().filter(pk=case.pk).exists()}
    client = _api(world.commune_officer)
    rows = client.get(reverse("api:housing-case-list")).json()["results"]
    by_api_field = {name for name, case in cases.items() for row in rows if row["id"] == case.pk and row["overdue"]}
    filtered = client.get(reverse("api:housing-case-list"), {"overdue": "true"}).json()["results"]
    by_filter = {name for name, case in cases.items() if case.pk in {row["id"] for row in filtered}}

    assert by_model == by_queryset == by_api_field == by_filter == {"open_after_deadline"}


def test_case_page_and_list_mark_only_the_overdue_case(client, world, cases_around_the_deadline):
    client.force_login(world.commune_officer)
    client.cookies["django_language"] = "en"
    for name, case in cases_around_the_deadline.items():
        page = client.get(reverse("housing:case-detail", args=[case.pk]))
        assert page.context["overdue"] == (name == "open_after_deadline"), name
    listed = client.get(reverse("housing:case-list")).content.decode()
    assert listed.count(">Overdue</span>") == 1


# -- the API's refusals are the services' -------------------------------------------------------


def _service_refusal(call) -> str:
    with pytest.raises(PermissionDenied) as refused:
        call()
    return str(refused.value)


def test_api_refusal_to_change_a_programme_is_the_services_message(world, english):
    programme = ProgrammeFactory(unit=world.district)
    officer = world.commune_officer
    expected = _service_refusal(lambda: services.programme_update(actor=officer, programme=programme, name="X"))
    response = _api(officer).patch(reverse("api:housing-programme-detail", args=[programme.pk]), {"name": "X"},
                                   format="json")
    assert (response.status_code, response.json()["detail"]) == (403, expected)


def test_api_refusal_to_change_a_proposal_is_the_services_message(world, english):
    case = HousingCaseFactory(household__commune=world.commune)
    member = world.district_member
    expected = _service_refusal(lambda: services.case_update(actor=member, case=case, labour_days=3))
    response = _api(member).patch(reverse("api:housing-case-detail", args=[case.pk]), {"labour_days": 3},
                                  format="json")
    assert (response.status_code, response.json()["detail"]) == (403, expected)


def test_api_refusal_of_a_step_is_the_services_message(world, english):
    case = case_in_state(CaseState.SURVEYED, household__commune=world.commune)
    officer = world.commune_officer
    expected = _service_refusal(lambda: services.case_advance(actor=officer, case=case, step=Transition.APPROVE))
    response = _api(officer).post(reverse("api:housing-case-approve", args=[case.pk]), {}, format="json")
    assert (response.status_code, response.json()["detail"]) == (403, expected)


def test_api_refusal_to_attach_is_the_services_message(world, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = HousingCaseFactory(household__commune=world.commune)
    member = world.district_member
    photo = SimpleUploadedFile("bien-ban.pdf", TINY_PDF, content_type="application/pdf")
    expected = _service_refusal(lambda: services.attachment_add(actor=member, case=case, kind=AttachmentKind.DOCUMENT,
                                                                 uploaded_file=photo))
    response = _api(member).post(reverse("api:housing-case-attachments", args=[case.pk]),
                                 {"kind": AttachmentKind.DOCUMENT, "file": photo}, format="multipart")
    assert (response.status_code, response.json()["detail"]) == (403, expected)


def test_api_refusal_to_propose_is_the_services_message(world, english):
    case = HousingCaseFactory(household__commune=world.commune)
    member = world.district_member
    expected = _service_refusal(lambda: services.case_propose(
        actor=member, household=case.household, programme=case.programme,
        data=services.CaseData(work_kind=case.work_kind, current_condition="x", estimated_cost=1)))
    response = _api(member).post(reverse("api:housing-case-list"), {}, format="json")
    assert (response.status_code, response.json()["detail"]) == (403, expected)


# -- may attach a file ----------------------------------------------------------------------------


@pytest.mark.parametrize("state, may", [(CaseState.PROPOSED, True), (CaseState.HANDED_OVER, True),
                                        (CaseState.REJECTED, False), (CaseState.CANCELLED, False)])
def test_the_upload_form_shows_exactly_when_the_service_accepts_a_file(client, world, state, may):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = case_in_state(state, household__commune=world.commune)
    client.force_login(world.commune_officer)
    page = client.get(reverse("housing:case-detail", args=[case.pk]))
    assert (page.context["attachment_form"] is not None) == may == can_attach(world.commune_officer, case)
    photo = SimpleUploadedFile("bien-ban.pdf", TINY_PDF, content_type="application/pdf")
    if may:
        services.attachment_add(actor=world.commune_officer, case=case, kind=AttachmentKind.DOCUMENT,
                                uploaded_file=photo)
    else:
        with pytest.raises(ValidationError):
            services.attachment_add(actor=world.commune_officer, case=case, kind=AttachmentKind.DOCUMENT,
                                    uploaded_file=photo)


# -- unknown fields -------------------------------------------------------------------------------


def test_services_refuse_fields_they_do_not_set(world):
    programme = ProgrammeFactory(unit=world.district)
    with pytest.raises(TypeError, match=r"programme_update cannot set \['created_by'\]"):
        services.programme_update(actor=world.district_member, programme=programme, created_by=world.administrator)
    with pytest.raises(TypeError, match="household_update cannot set"):
        from households.services import household_update

        household_update(actor=world.commune_officer, household=HousingCaseFactory(
            household__commune=world.commune).household, code="X")
    require_known({"name": "x"}, ("name",), "anything")

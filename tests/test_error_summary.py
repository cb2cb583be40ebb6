"""A failed form shows, at the top of the page, the fields to correct, each a link to its field."""

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from households.models import Household
from tests.households.test_views import _registration


@pytest.mark.parametrize(("language", "heading", "member_label"), [
    ("vi", "Có 2 mục cần sửa:", "Thành viên 2 · Họ và tên"),
    ("en", "2 fields need correcting:", "Member 2 · Full name"),
])
def test_failed_registration_lists_each_field_at_the_top_with_a_link(client, world, language, heading,
                                                                     member_label):
    client.force_login(world.commune_officer)
    if language == "en":
        client.cookies.load({"django_language": "en"})

    response = client.post(reverse("households:create"), _registration(**{
        "consent_date": "", "members-1-full_name": "",
    }))

    body = response.content.decode()
    assert response.status_code == 400 and not Household.objects.exists()
    start = body.index('data-testid="error-summary"')
    summary = body[start:body.index("</ul>", start)]
    assert heading in summary
    assert 'href="#id_consent_date"' in summary
    assert f'href="#id_members-1-full_name">{member_label}</a>' in summary
    # At the top: before the page's heading and the form.
    assert body.index('data-testid="error-summary"') < body.index("<h1") < body.index('id="household-form"')


def test_page_without_errors_has_no_summary(client, world):
    client.force_login(world.commune_officer)

    body = client.get(reverse("households:create")).content.decode()

    assert 'data-testid="error-summary"' not in body and "error_summary.js" not in body


class _Choices(forms.Form):
    name = forms.CharField(label="Name")
    kinds = forms.MultipleChoiceField(label="Kinds", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    token = forms.CharField(widget=forms.HiddenInput)


def _summary(**context) -> str:
    return Template("{% load error_summary %}{% error_summary %}").render(Context(context))


def test_unbound_form_shows_no_summary():
    assert 'data-testid="error-summary"' not in _summary(form=_Choices())


def test_checkbox_groups_link_to_their_first_box_and_hidden_fields_are_named_without_a_link():
    form = _Choices(data={})
    form.is_valid()

    html = _summary(form=form)

    assert 'href="#id_name"' in html and 'href="#id_kinds_0"' in html
    assert 'href="#id_token"' not in html and "token" in html.lower()

"""Each role's home page counts what exists in its scope, and nothing outside it."""

import re

from django.urls import reverse

from ..factories import CommuneOfficerFactory


def _figures(response) -> dict[str, str]:
    return {label: figure for figure, label in re.findall(
        r'class="fw-figure"[^>]*>([\d.]+)</div>\s*<div class="text-secondary small">([^<]+)</div>',
        response.content.decode(),
    )}


def _english_home(client, user):
    client.force_login(user)
    client.cookies.load({"django_language": "en"})
    return client.get(reverse("home"))


def test_district_member_sees_the_communes_and_users_of_the_district(client, world):
    CommuneOfficerFactory(unit=world.other_district_commune)  # outside: not counted
    response = _english_home(client, world.district_member)
    assert _figures(response) == {"Communes": "2"}
    # The officer of the district's commune and the member themself.
    assert response.context["dashboard"].users_total == 2


def test_provincial_officer_sees_districts_and_communes_of_the_province(client, world):
    response = _english_home(client, world.provincial_officer)
    assert _figures(response) == {"Districts": "2", "Communes": "3"}
    assert response.context["dashboard"].users_total == 3


def test_commune_officer_sees_their_commune_and_its_users(client, world):
    CommuneOfficerFactory(unit=world.sibling_commune)
    response = _english_home(client, world.commune_officer)
    body = response.content.decode()
    assert "<h1 class=\"h4 mb-1\">Thị trấn Phước Mỹ Trung</h1>" in body
    assert response.context["dashboard"].users_total == 1


def test_administrator_sees_units_of_both_eras(client, world):
    response = _english_home(client, world.administrator)
    eras = response.context["dashboard"].units_by_era
    assert eras["Before 1 July 2025"] == {"provinces": 2, "districts": 3, "communes": 4}
    assert response.context["dashboard"].users_total == 4


def test_home_page_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    client.force_login(world.provincial_officer)
    # 8 for the page and the figures above; 3 for the province's dashboard without a programme
    # (its rows, the households by category, the programmes); 4 for the support panel (batches'
    # lines by kind, households and pupils reached, its data version); 2 for the typical models panel
    # (the year's models by state, by row and for the province). tests/reports/test_dashboard.py
    # shows the dashboard's own ceiling, with programmes and more communes.
    with django_assert_max_num_queries(17):
        client.get(reverse("home"))

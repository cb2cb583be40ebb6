import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from frontwelfare.areas.choices import Era, Level

from ..factories import CommuneFactory, DistrictFactory, ProvinceFactory


@pytest.fixture
def units(world):
    """The world's Bến Tre, plus Mỏ Cày Nam and a current-era province."""
    ben_tre, mo_cay_bac, town = world.province, world.district, world.commune
    mo_cay_nam = DistrictFactory(parent=ben_tre, name="Huyện Mỏ Cày Nam", code="833")
    new_province = ProvinceFactory(name="Tỉnh Vĩnh Long", code="86", era=Era.CURRENT)
    return {"ben_tre": ben_tre, "mo_cay_bac": mo_cay_bac, "mo_cay_nam": mo_cay_nam, "town": town,
            "new_province": new_province}


def _names(client, **params):
    response = client.get(reverse("api:unit-list"), params)
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_units_are_found_by_name_without_diacritics(client, world, units):
    client.force_login(world.commune_officer)
    assert _names(client, name="mo cay bac") == ["Huyện Mỏ Cày Bắc"]
    assert _names(client, name="MỎ CÀY") == ["Huyện Mỏ Cày Nam", "Huyện Mỏ Cày Bắc"]
    assert "Tỉnh Lâm Đồng" in _names(client, name="lam dong")


def test_units_filter_by_level_parent_era_and_code(client, world, units):
    client.force_login(world.commune_officer)
    assert _names(client, parent=units["ben_tre"].pk) == [
        "Huyện Châu Thành", "Huyện Mỏ Cày Nam", "Huyện Mỏ Cày Bắc"
    ]
    assert _names(client, level=Level.COMMUNE, district=units["mo_cay_bac"].pk) == [
        "Xã Phú Mỹ", "Thị trấn Phước Mỹ Trung"
    ]
    assert _names(client, era=Era.CURRENT) == ["Tỉnh Vĩnh Long"]
    assert _names(client, code="838") == ["Huyện Mỏ Cày Bắc"]


def test_unknown_filter_value_is_a_clear_400(client, world, units):
    client.force_login(world.commune_officer)
    response = client.get(reverse("api:unit-list"), {"level": "hamlet"})
    assert response.status_code == 400
    assert "level" in response.json()


def test_unit_detail_gives_code_type_and_parent(client, world, units):
    client.force_login(world.district_member)
    body = client.get(reverse("api:unit-detail", args=[units["town"].pk])).json()
    assert body["code"] == "28915"
    assert body["level"] == Level.COMMUNE
    assert body["division_type"] == "xa"
    assert body["parent"] == units["mo_cay_bac"].pk
    assert body["province"] == units["ben_tre"].pk


def test_api_accepts_a_token_instead_of_a_session(client, world, units):
    token = Token.objects.create(user=world.provincial_officer)
    response = client.get(reverse("api:user-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "provincial" in {row["username"] for row in response.json()["results"]}
    refused = client.get(reverse("api:user-list"), HTTP_AUTHORIZATION="Token not-a-token")
    assert refused.status_code == 401


def test_unit_list_has_a_query_ceiling(client, world, units, django_assert_max_num_queries):
    client.force_login(world.commune_officer)
    for index in range(30):
        CommuneFactory(parent=units["mo_cay_nam"], name=f"Xã Số {index}")
    with django_assert_max_num_queries(8):
        client.get(reverse("api:unit-list"), {"province": units["ben_tre"].pk})

from django.urls import reverse

from ..factories import CommuneFactory


def test_unit_page_lists_units_directly_under_the_viewers_unit(client, world):
    client.force_login(world.district_member)
    body = client.get(reverse("areas:unit-list")).content.decode()
    assert "Thị trấn Phước Mỹ Trung" in body
    assert "Xã Phú Mỹ" in body
    assert "Xã Tân Thạch" not in body  # another district's commune is not "under" this member


def test_unit_page_search_ignores_diacritics(client, world):
    client.force_login(world.district_member)
    body = client.get(reverse("areas:unit-list"), {"name": "tan thach"}).content.decode()
    assert "Xã Tân Thạch" in body
    assert "Xã Phú Mỹ" not in body


def test_unit_detail_shows_code_and_the_units_under_it(client, world):
    client.force_login(world.provincial_officer)
    body = client.get(reverse("areas:unit-detail", args=[world.district.pk])).content.decode()
    assert "838" in body
    assert "Thị trấn Phước Mỹ Trung" in body
    assert "Tỉnh Bến Tre" in body


def test_unit_list_page_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    for index in range(40):
        CommuneFactory(parent=world.district, name=f"Xã Số {index}")
    client.force_login(world.district_member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("areas:unit-list"))
    assert "Xã Số 39" in response.content.decode()


def test_unit_page_shows_human_filters_and_keeps_api_ids_hidden(client, world):
    client.force_login(world.district_member)
    body = client.get(reverse("areas:unit-list"), {"parent": world.district.pk}).content.decode()
    assert 'name="name"' in body and 'class="form-control"' in body
    assert f'type="hidden" name="parent" value="{world.district.pk}"' in body
    assert 'name="province"' not in body  # an empty id filter is not rendered at all
    assert "Xã Phú Mỹ" in body and "Xã Tân Thạch" not in body


def test_second_page_of_units_under_the_viewer_is_still_units_under_the_viewer(client, world):
    for index in range(55):
        CommuneFactory(parent=world.district, name=f"Xã Số {index:02d}", code=f"9{index:04d}")
    client.force_login(world.district_member)
    response = client.get(reverse("areas:unit-list"), {"page": 2})
    assert response.context["paginator"].count == 57  # 55 + the two communes of the world
    body = response.content.decode()
    assert "Xã Tân Thạch" not in body and "Tỉnh Lâm Đồng" not in body


def _menu(body: str) -> str:
    return body[body.index('id="main-nav"'):body.index("</ul>", body.index('id="main-nav"'))]


def test_units_and_users_are_in_the_menu_of_those_with_units_below_them_only(client, world):
    client.force_login(world.district_member)
    menu = _menu(client.get(reverse("home")).content.decode())
    assert reverse("areas:unit-list") in menu and reverse("user-list") in menu

    client.force_login(world.commune_officer)
    home = client.get(reverse("home")).content.decode()
    assert reverse("areas:unit-list") not in _menu(home) and reverse("user-list") not in _menu(home)
    assert reverse("user-list") not in home, "nor linked from the home page"


def test_commune_officer_is_refused_the_unit_and_user_pages_with_a_reason(client, world):
    client.force_login(world.commune_officer)
    client.cookies.load({"django_language": "en"})
    for url in (reverse("areas:unit-list"), reverse("areas:unit-detail", args=[world.commune.pk]),
                reverse("user-list"), reverse("user-detail", args=[world.commune_officer.pk])):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Xã Phú Mỹ" not in response.content.decode()

from django.urls import reverse

from ..factories import CommuneFactory


def test_unit_page_lists_units_directly_under_the_viewers_unit(client, world):
    client.force_login(world.district_member)
    body = client.get(reverse("areas:unit-list")).content.decode()
    assert "Thị trấn Phước Mỹ Trung" in body
    assert "Xã Phú Mỹ" in body
    assert "Xã Tân Thạch" not in body  # another district's commune is not "under" this member


def test_unit_page_search_ignores_diacritics(client, world):
    client.force_login(world.commune_officer)
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
    client.force_login(world.commune_officer)
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

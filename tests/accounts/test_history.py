"""Who changed which user's role and unit, when — recorded and shown."""

from django.urls import reverse

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.models import User
from frontwelfare.accounts.services import user_assign_role

from ..factories import CommuneOfficerFactory


def test_role_and_unit_change_is_recorded_with_author(world):
    officer = world.commune_officer
    user_assign_role(actor=world.administrator, user=officer, role=Role.DISTRICT_MEMBER, unit=world.district)
    latest = officer.history.latest()
    assert latest.history_user == world.administrator
    assert latest.history_type == "~"
    assert (latest.role, latest.unit_id) == (Role.DISTRICT_MEMBER, world.district.pk)
    previous = latest.prev_record
    assert (previous.role, previous.unit_id) == (Role.COMMUNE_OFFICER, world.commune.pk)


def test_user_page_shows_who_changed_the_role_and_unit(client, world):
    officer = world.commune_officer
    user_assign_role(actor=world.administrator, user=officer, role=Role.DISTRICT_MEMBER, unit=world.district)
    client.force_login(world.provincial_officer)
    client.cookies.load({"django_language": "en"})
    body = client.get(reverse("user-detail", args=[officer.pk])).content.decode()
    history = body.split('data-testid="history"')[1]
    assert world.administrator.get_full_name() in history  # the full name, as on every other history
    assert "Commune officer → <strong>District committee member</strong>" in history
    assert "Thị trấn Phước Mỹ Trung → <strong>Huyện Mỏ Cày Bắc</strong>" in history


def test_change_made_in_the_admin_is_recorded_with_the_administrator(client, world):
    officer = world.commune_officer
    client.force_login(world.administrator)
    response = client.post(reverse("admin:accounts_user_change", args=[officer.pk]), {
        "username": officer.username, "first_name": "An", "last_name": "Nguyễn Văn", "email": "",
        "phone": "", "role": Role.COMMUNE_OFFICER, "unit": world.sibling_commune.pk, "is_active": "on",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "01/01/2025", "date_joined_1": "08:00:00",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = officer.history.latest()
    assert latest.history_user == world.administrator
    assert latest.unit_id == world.sibling_commune.pk


def test_admin_refuses_a_unit_of_the_wrong_level_and_changes_nothing(client, world):
    officer = world.commune_officer
    client.force_login(world.administrator)
    response = client.post(reverse("admin:accounts_user_change", args=[officer.pk]), {
        "username": officer.username, "role": Role.COMMUNE_OFFICER, "unit": world.district.pk,
        "is_active": "on", "date_joined_0": "01/01/2025", "date_joined_1": "08:00:00",
    })
    assert response.status_code == 200
    officer.refresh_from_db()
    assert officer.unit == world.commune
    assert officer.history.count() == 1


def test_user_list_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    for _ in range(30):
        CommuneOfficerFactory(unit=world.sibling_commune)
    client.force_login(world.district_member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("user-list"))
    assert response.context["paginator"].count == 32  # 30 + the officer + the member


def test_user_detail_has_a_query_ceiling_however_long_the_history(client, world, django_assert_max_num_queries):
    officer = world.commune_officer
    for unit in [world.sibling_commune, world.commune] * 10:
        user_assign_role(actor=world.administrator, user=officer, role=Role.COMMUNE_OFFICER, unit=unit)
    client.force_login(world.district_member)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("user-detail", args=[officer.pk]))
    assert len(response.context["history"]) == 21


def test_administrator_creates_a_user_with_role_and_unit_in_the_admin(client, world):
    client.force_login(world.administrator)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "xa.phumy", "password1": "Mật-khẩu-2025-xã", "password2": "Mật-khẩu-2025-xã",
        "usable_password": "true", "role": Role.COMMUNE_OFFICER, "unit": world.sibling_commune.pk,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="xa.phumy")
    assert (created.role, created.unit, created.is_staff) == (Role.COMMUNE_OFFICER, world.sibling_commune, False)
    assert created.history.get().history_user == world.administrator

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.models import User
from frontwelfare.accounts.services import user_assign_role, user_create


def test_role_must_be_given_a_unit_of_its_level(world):
    with pytest.raises(ValidationError) as error:
        user_create(actor=world.administrator, username="wrong", password="x-Secret-123",
                    role=Role.DISTRICT_MEMBER, unit=world.commune)
    assert "unit" in error.value.message_dict
    assert not User.objects.filter(username="wrong").exists()


def test_administrator_has_no_unit_and_enters_the_admin(world):
    admin = user_create(actor=None, username="root2", password="x-Secret-123",
                        role=Role.ADMINISTRATOR, unit=None)
    assert admin.is_staff and admin.is_superuser
    with pytest.raises(ValidationError):
        user_assign_role(actor=None, user=admin, role=Role.ADMINISTRATOR, unit=world.province)


def test_officer_without_unit_is_refused_by_the_database_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nounit", role=Role.COMMUNE_OFFICER, unit=None)


def test_leaving_the_administrator_role_removes_admin_access(world):
    user = user_assign_role(actor=world.administrator, user=world.administrator,
                            role=Role.PROVINCIAL_OFFICER, unit=world.province)
    assert not user.is_staff and not user.is_superuser


def test_createsuperuser_makes_an_administrator(db):
    user = User.objects.create_superuser("boss", "boss@example.org", "x-Secret-123")
    assert user.role == Role.ADMINISTRATOR
    assert user.unit is None

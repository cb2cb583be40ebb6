from django.db import models
from django.utils.translation import gettext_lazy as _

from frontwelfare.areas.choices import Level


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    DISTRICT_MEMBER = "district_member", _("District committee member")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    ADMINISTRATOR = "administrator", _("Administrator")


# The level of the unit each role is granted; the administrator has no unit.
ROLE_UNIT_LEVEL = {
    Role.COMMUNE_OFFICER: Level.COMMUNE,
    Role.DISTRICT_MEMBER: Level.DISTRICT,
    Role.PROVINCIAL_OFFICER: Level.PROVINCE,
}

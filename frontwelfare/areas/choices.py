from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class Era(models.TextChoices):
    """Vietnam abolished districts and merged provinces and communes on 1 July 2025.

    Records entered under the old units keep them, so both sets live side by side.
    """

    LEGACY = "legacy", _("Before 1 July 2025")
    CURRENT = "current", _("From 1 July 2025")


class DivisionType(models.TextChoices):
    """The unit's own kind, as the GSO names it (tỉnh, huyện, xã, …)."""

    PROVINCE = "tinh", _("province")
    CENTRAL_CITY = "thanh_pho_trung_uong", _("centrally-run city")
    RURAL_DISTRICT = "huyen", _("rural district")
    URBAN_DISTRICT = "quan", _("urban district")
    PROVINCIAL_CITY = "thanh_pho", _("provincial city")
    TOWN = "thi_xa", _("town")
    COMMUNE = "xa", _("commune")
    WARD = "phuong", _("ward")
    TOWNSHIP = "thi_tran", _("township")
    SPECIAL_ZONE = "dac_khu", _("special zone")


# GSO codes are zero-padded to a fixed width per level.
CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}

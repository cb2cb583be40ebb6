"""The fixed lists of the household registry. Values are stored; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from frontwelfare.imports.choices import ImportStatus  # noqa: F401 (the states of every file import)


class Sex(models.TextChoices):
    # The citizen ID encodes only these two (its 4th digit), so the registry does too.
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", _("Other")


class SchoolLevel(models.TextChoices):
    NONE = "", _("Not a pupil or student")
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational school")
    UNIVERSITY = "university", _("College or university")


class Disability(models.TextChoices):
    """Levels of Law 51/2010/QH12 on people with disabilities."""

    NONE = "", _("None")
    ESPECIALLY_SEVERE = "especially_severe", _("Especially severe disability")
    SEVERE = "severe", _("Severe disability")
    MILD = "mild", _("Mild disability")


class Ethnicity(models.TextChoices):
    """The 54 ethnic groups with their GSO codes (Decision 121-TCTK/PPCĐ). Proper names:
    they read the same in both languages, so they are not marked for translation."""

    KINH = "01", "Kinh"
    TAY = "02", "Tày"
    THAI = "03", "Thái"
    HOA = "04", "Hoa"
    KHMER = "05", "Khơ-me"
    MUONG = "06", "Mường"
    NUNG = "07", "Nùng"
    HMONG = "08", "HMông"
    DAO = "09", "Dao"
    GIA_RAI = "10", "Gia-rai"
    NGAI = "11", "Ngái"
    E_DE = "12", "Ê-đê"
    BA_NA = "13", "Ba-na"
    XO_DANG = "14", "Xơ-đăng"
    SAN_CHAY = "15", "Sán Chay"
    CO_HO = "16", "Cơ-ho"
    CHAM = "17", "Chăm"
    SAN_DIU = "18", "Sán Dìu"
    HRE = "19", "Hrê"
    MNONG = "20", "Mnông"
    RA_GLAI = "21", "Ra-glai"
    XTIENG = "22", "Xtiêng"
    BRU_VAN_KIEU = "23", "Bru-Vân Kiều"
    THO = "24", "Thổ"
    GIAY = "25", "Giáy"
    CO_TU = "26", "Cơ-tu"
    GIE_TRIENG = "27", "Gié-Triêng"
    MA = "28", "Mạ"
    KHO_MU = "29", "Khơ-mú"
    CO = "30", "Co"
    TA_OI = "31", "Tà-ôi"
    CHO_RO = "32", "Chơ-ro"
    KHANG = "33", "Kháng"
    XINH_MUN = "34", "Xinh-mun"
    HA_NHI = "35", "Hà Nhì"
    CHU_RU = "36", "Chu-ru"
    LAO = "37", "Lào"
    LA_CHI = "38", "La Chí"
    LA_HA = "39", "La Ha"
    PHU_LA = "40", "Phù Lá"
    LA_HU = "41", "La Hủ"
    LU = "42", "Lự"
    LO_LO = "43", "Lô Lô"
    CHUT = "44", "Chứt"
    MANG = "45", "Mảng"
    PA_THEN = "46", "Pà Thẻn"
    CO_LAO = "47", "Cơ Lao"
    CONG = "48", "Cống"
    BO_Y = "49", "Bố Y"
    SI_LA = "50", "Si La"
    PU_PEO = "51", "Pu Péo"
    BRAU = "52", "Brâu"
    O_DU = "53", "Ơ-đu"
    RO_MAM = "54", "Rơ-măm"


class Category(models.TextChoices):
    """A household's status for one year, each recognised by a commune decision."""

    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")
    ESCAPED_POVERTY = "escaped_poverty", _("Newly escaped poverty")
    DIFFICULT = "difficult", _("Household in difficult circumstances")


# A household has at most one of these in a year; "difficult" may come on top of any.
POVERTY_CATEGORIES = (Category.POOR, Category.NEAR_POOR, Category.ESCAPED_POVERTY)


class PolicyType(models.TextChoices):
    """Policy families (gia đình chính sách): recognised once, not reviewed yearly."""

    MARTYR_FAMILY = "martyr_family", _("Martyr's family")
    WAR_INVALID = "war_invalid", _("War invalid")
    SICK_SOLDIER = "sick_soldier", _("Sick soldier")
    HEROIC_MOTHER = "heroic_mother", _("Heroic Vietnamese Mother")
    REVOLUTIONARY_CONTRIBUTOR = "revolutionary_contributor", _("Revolutionary contributor")
    AGENT_ORANGE = "agent_orange", _("Agent Orange victim")


class AreaKind(models.TextChoices):
    """Poverty lines differ for rural and urban areas."""

    RURAL = "rural", _("Rural")
    URBAN = "urban", _("Urban")


class Classification(models.TextChoices):
    """What a poverty assessment proposes, and what the officer confirms."""

    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    NEITHER = "neither", _("Neither poor nor near-poor")


class Indicator(models.TextChoices):
    """The deprivation indicators of the multidimensional poverty standards. A standard
    (PovertyStandard) lists which of them it measures; Decree 07/2021 uses these 12."""

    EMPLOYMENT = "employment", _("Employment")
    DEPENDANTS = "dependants", _("Dependants in the household")
    NUTRITION = "nutrition", _("Nutrition")
    HEALTH_INSURANCE = "health_insurance", _("Health insurance")
    ADULT_EDUCATION = "adult_education", _("Adult education level")
    CHILD_SCHOOLING = "child_schooling", _("Children's school attendance")
    HOUSING_QUALITY = "housing_quality", _("Housing quality")
    FLOOR_AREA = "floor_area", _("Floor area per person")
    DOMESTIC_WATER = "domestic_water", _("Domestic water")
    LATRINE = "latrine", _("Hygienic latrine")
    TELECOMMUNICATION = "telecommunication", _("Use of telecommunication services")
    INFORMATION_ACCESS = "information_access", _("Means of access to information")

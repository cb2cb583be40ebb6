import datetime

import factory
from factory.django import DjangoModelFactory

from donations import services
from donations.choices import CampaignKind, DonorKind, FundKind, MemberOrganisation
from donations.models import Campaign, Donor, Fund, Pledge, Receipt, StatementImport
from donations.support.choices import ActivityKind
from donations.support.models import Activity, Organisation
from frontwelfare.areas.choices import Level

from ..factories import (
    CommuneFactory,
    CommuneOfficerFactory,
    DistrictMemberFactory,
    ProvincialOfficerFactory,
    UserFactory,
)


class FundFactory(DjangoModelFactory):
    class Meta:
        model = Fund

    kind = FundKind.FOR_THE_POOR
    name = factory.Sequence(lambda n: f"Quỹ Vì người nghèo {n}")


class DonorFactory(DjangoModelFactory):
    class Meta:
        model = Donor

    kind = DonorKind.BUSINESS
    name = factory.Sequence(lambda n: f"Công ty TNHH Minh Phát {n}")
    created_by = factory.LazyAttribute(lambda donor: UserFactory(unit=donor.unit))


# -- campaigns and pledges (the pages of donors and campaigns) ---------------------------------------


class CampaignFactory(DjangoModelFactory):
    """A campaign of ``unit`` (required), collected into a fund of that unit unless ``fund`` is given."""

    class Meta:
        model = Campaign

    kind = CampaignKind.MONTH_FOR_THE_POOR
    name = factory.Sequence(lambda n: f"Tháng cao điểm Vì người nghèo {n}")
    code = factory.Sequence(lambda n: f"VNN{n:05d}")
    starts_on = datetime.date(2025, 10, 17)
    ends_on = datetime.date(2025, 11, 18)
    target = 2_000_000_000
    fund = factory.SubFactory(FundFactory, unit=factory.SelfAttribute("..unit"))
    created_by = factory.LazyAttribute(lambda campaign: UserFactory(unit=campaign.unit))


class PledgeFactory(DjangoModelFactory):
    """A pledge recorded by ``unit`` (required) for ``campaign`` and ``donor`` (required)."""

    class Meta:
        model = Pledge

    amount = 50_000_000
    pledged_on = datetime.date(2025, 10, 17)
    recorded_by = factory.LazyAttribute(lambda pledge: UserFactory(unit=pledge.unit))


# -- money, written only through the services (the ledger has no other way in) ----------------------

DAY = datetime.date(2025, 10, 20)


def manager_of(unit):
    """A new Front officer of ``unit``, who records its fund's money and keeps its donors."""
    officer = {Level.COMMUNE: CommuneOfficerFactory, Level.DISTRICT: DistrictMemberFactory,
               Level.PROVINCE: ProvincialOfficerFactory}[unit.level]
    return officer(unit=unit)


def fund_of(unit) -> Fund:
    """The unit's Fund for the Poor (made on first use)."""
    return Fund.objects.get_or_create(unit=unit, name=f"Quỹ Vì người nghèo {unit.name}",
                                      defaults={"kind": FundKind.FOR_THE_POOR})[0]


def receipt_into(fund: Fund, *, amount: int = 10_000_000, actor=None, donor=None, **fields) -> Receipt:
    actor = actor or manager_of(fund.unit)
    donor = donor or DonorFactory(unit=fund.unit, created_by=actor)
    return services.receipt_record(actor=actor, fund=fund, donor=donor, amount=amount,
                                   happened_on=fields.pop("happened_on", DAY), **fields)


def campaign_for(fund: Fund, *, actor=None, **fields) -> Campaign:
    number = Campaign.objects.count() + 1
    values = {"kind": CampaignKind.MONTH_FOR_THE_POOR, "name": f"Tháng cao điểm Vì người nghèo {fund.unit.name}",
              "code": f"VNN{fund.unit.code}{number}", "starts_on": datetime.date(2025, 10, 17),
              "ends_on": datetime.date(2025, 11, 18), "target": 100_000_000, **fields}
    return services.campaign_create(actor=actor or manager_of(fund.unit), fund=fund, **values)
class StatementImportFactory(DjangoModelFactory):
    """An import of a fund's bank statement, as the check leaves one with an error."""

    class Meta:
        model = StatementImport

    fund = factory.SubFactory(FundFactory, unit=factory.SubFactory(CommuneFactory))
    uploaded_by = factory.SubFactory(CommuneOfficerFactory, unit=factory.SelfAttribute("..fund.unit"))
    original_name = factory.Sequence(lambda n: f"sao-ke-{n:05d}.xlsx")
    status = "invalid"
    row_count = 1
    errors = factory.LazyFunction(lambda: [{"row": 8, "column": "Số bút toán", "message": "Thiếu số bút toán."}])


# -- member organisations and their activities -------------------------------------------------------


class OrganisationFactory(DjangoModelFactory):
    """A member organisation of ``unit`` (required)."""

    class Meta:
        model = Organisation

    kind = MemberOrganisation.RED_CROSS
    name = factory.Sequence(lambda n: f"Hội Chữ thập đỏ {n:05d}")
    created_by = factory.LazyAttribute(lambda organisation: UserFactory(unit=organisation.unit))


class ActivityFactory(DjangoModelFactory):
    """An activity of ``unit`` (required), of ``organisation`` when given."""

    class Meta:
        model = Activity

    kind = ActivityKind.MEDICAL_EXAMINATION
    name = factory.Sequence(lambda n: f"Khám bệnh, cấp thuốc miễn phí {n:05d}")
    starts_on = datetime.date(2025, 6, 1)
    occurrences = 1
    people_served = 120
    value = 30_000_000
    recorded_by = factory.LazyAttribute(lambda activity: UserFactory(unit=activity.unit))

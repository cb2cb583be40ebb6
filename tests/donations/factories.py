import datetime

import factory
from factory.django import DjangoModelFactory

from donations.choices import CampaignKind, DonorKind, FundKind
from donations.models import Campaign, Donor, Fund, Pledge

from ..factories import UserFactory


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

import factory
from factory.django import DjangoModelFactory

from donations.choices import DonorKind, FundKind
from donations.models import Donor, Fund

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

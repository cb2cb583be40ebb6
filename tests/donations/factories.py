import factory
from factory.django import DjangoModelFactory

from donations.choices import FundKind
from donations.models import Fund


class FundFactory(DjangoModelFactory):
    class Meta:
        model = Fund

    kind = FundKind.FOR_THE_POOR
    name = factory.Sequence(lambda n: f"Quỹ Vì người nghèo {n}")

import factory
from factory.django import DjangoModelFactory

from donations.choices import DonorKind, FundKind
from donations.models import Donor, Fund, StatementImport

from ..factories import CommuneFactory, CommuneOfficerFactory, UserFactory


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

"""One FilterSet per model, shared by the list pages and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from frontwelfare.accounts.scope import within_q
from frontwelfare.filters import IdFilter, StyledFilterSet, UnitFilter, YearFilter, units_to_filter_by
from frontwelfare.text import fold_diacritics

from .choices import CampaignKind, DonorKind, Earmark, FundKind, PaymentMethod, PostingKind, Purpose
from .models import Campaign, Donor, Fund, Pledge, Posting, PostingLine, Receipt, SpendingDecision


def funds_to_filter_by(request):
    user = getattr(request, "user", None)
    return Fund.objects.none() if user is None else Fund.objects.visible_to(user).order_by("unit__code", "name")


def campaigns_to_filter_by(request):
    user = getattr(request, "user", None)
    return Campaign.objects.none() if user is None else Campaign.objects.visible_to(user).order_by("-starts_on")


def _unit_field():
    return extend_schema_field(OpenApiTypes.INT)(UnitFilter(
        label=_("Unit"), queryset=units_to_filter_by, method="filter_unit", empty_label=_("All units"),
    ))


class _ByUnit(StyledFilterSet):
    unit_path = "unit"

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(within_q(unit, self.unit_path))


class FundFilterSet(_ByUnit):
    unit = _unit_field()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FundKind.choices, empty_label=_("Any kind"))

    page_fields = ("unit", "kind")

    class Meta:
        model = Fund
        fields = []


class EntryFilterSet(StyledFilterSet):
    """A fund's entries (its lines): by kind of posting, earmark, purpose and the day it happened."""

    kind = django_filters.ChoiceFilter(field_name="posting__kind", label=_("Kind"), choices=PostingKind.choices,
                                       empty_label=_("Any kind"))
    earmark = django_filters.ChoiceFilter(label=_("Earmark"), choices=Earmark.choices, empty_label=_("Any earmark"))
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=Purpose.choices, empty_label=_("Any purpose"))
    happened_from = django_filters.DateFilter(field_name="posting__happened_on", lookup_expr="gte",
                                              label=_("From"))
    happened_to = django_filters.DateFilter(field_name="posting__happened_on", lookup_expr="lte", label=_("To"))

    page_fields = ("kind", "earmark", "purpose", "happened_from", "happened_to")

    class Meta:
        model = PostingLine
        fields = []


class DonorFilterSet(_ByUnit):
    q = django_filters.CharFilter(label=_("Name, tax code or phone"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DonorKind.choices, empty_label=_("Any kind"))
    unit = _unit_field()

    page_fields = ("q", "kind", "unit")

    class Meta:
        model = Donor
        fields = []

    def filter_search(self, queryset, name, value):
        folded, typed = fold_diacritics(value), value.strip()
        if not typed:
            return queryset
        return queryset.filter(Q(name_folded__contains=folded) | Q(tax_code=typed) | Q(phone=typed))


class CampaignFilterSet(_ByUnit):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CampaignKind.choices, empty_label=_("Any kind"))
    year = YearFilter(label=_("Running in year"), method="filter_year")
    unit = _unit_field()

    page_fields = ("q", "kind", "year", "unit")

    class Meta:
        model = Campaign
        fields = []

    def filter_search(self, queryset, name, value):
        typed = value.strip()
        return queryset.filter(Q(name__icontains=typed) | Q(code__iexact=typed)) if typed else queryset

    def filter_year(self, queryset, name, year):
        return queryset.filter(starts_on__year__lte=year, ends_on__year__gte=year)


class ReceiptFilterSet(_ByUnit):
    unit_path = "fund__unit"

    q = django_filters.CharFilter(label=_("Number, bank reference or donor"), method="filter_search")
    fund = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        label=_("Fund"), queryset=funds_to_filter_by, empty_label=_("All funds")))
    campaign = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=campaigns_to_filter_by, empty_label=_("All campaigns")))
    method = django_filters.ChoiceFilter(label=_("Method"), choices=PaymentMethod.choices,
                                        empty_label=_("Any method"))
    earmark = django_filters.ChoiceFilter(label=_("Earmark"), choices=Earmark.choices, empty_label=_("Any earmark"))
    happened_from = django_filters.DateFilter(field_name="happened_on", lookup_expr="gte", label=_("From"))
    happened_to = django_filters.DateFilter(field_name="happened_on", lookup_expr="lte", label=_("To"))
    unit = _unit_field()

    page_fields = ("q", "fund", "campaign", "method", "earmark", "happened_from", "happened_to", "unit")

    class Meta:
        model = Receipt
        fields = []

    def filter_search(self, queryset, name, value):
        typed = value.strip()
        if not typed:
            return queryset
        return queryset.filter(Q(number=typed.upper()) | Q(bank_reference=typed)
                               | Q(donor__name_folded__contains=fold_diacritics(typed)))


class DecisionFilterSet(_ByUnit):
    unit_path = "fund__unit"

    q = django_filters.CharFilter(field_name="number", lookup_expr="icontains", label=_("Decision number"))
    fund = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        label=_("Fund"), queryset=funds_to_filter_by, empty_label=_("All funds")))
    year = YearFilter(field_name="decided_on__year", label=_("Year"))
    unit = _unit_field()

    page_fields = ("q", "fund", "year", "unit")

    class Meta:
        model = SpendingDecision
        fields = []


class TransferFilterSet(StyledFilterSet):
    """Postings (the ledger's journal, transfers between funds): those touching a fund, by the day
    they happened."""

    fund = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        label=_("Fund"), queryset=funds_to_filter_by, empty_label=_("All funds"), method="filter_fund"))
    happened_from = django_filters.DateFilter(field_name="happened_on", lookup_expr="gte", label=_("From"))
    happened_to = django_filters.DateFilter(field_name="happened_on", lookup_expr="lte", label=_("To"))

    page_fields = ("fund", "happened_from", "happened_to")

    class Meta:
        model = Posting
        fields = []

    def filter_fund(self, queryset, name, fund):
        return queryset.filter(Exists(PostingLine.objects.filter(posting=OuterRef("pk"), fund=fund)))


class PostingFilterSet(TransferFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PostingKind.choices, empty_label=_("Any kind"))

    page_fields = ("kind", "fund", "happened_from", "happened_to")

    class Meta(TransferFilterSet.Meta):
        pass


class PledgeFilterSet(_ByUnit):
    campaign = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=campaigns_to_filter_by, empty_label=_("All campaigns")))
    donor = IdFilter(field_name="donor_id", label=_("Donor"), help_text=_("Donor id."))
    unit = _unit_field()

    page_fields = ("campaign", "unit")

    class Meta:
        model = Pledge
        fields = []

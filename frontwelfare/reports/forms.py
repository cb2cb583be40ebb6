"""The form that asks for a report. It checks what was typed and builds the period; the rules
(the unit within the asker's scope, a period that has started, an option only for the kinds that
take it, one the asker may choose and that covers the unit; the whole country, the administrator's
first choice, only for them and the kinds made for it) are reports.services', which checks them
again. The kinds and their options are the domain apps' (reports.registry): the form has a
select for each option registered, shown only for the kinds that take it."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import Role
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import BootstrapMixin, DateInput

from . import registry
from .choices import PeriodKind, ReportFormat
from .figures import WHOLE_COUNTRY
from .models import DocumentSettings
from .periods import FIRST_YEAR, IN_A_YEAR, PERIOD_FIELDS, ROMAN, Period, period_from_fields

# A space that a <select> does not collapse: the indent of a unit under the one above it.
INDENT = "\u00a0" * 4


def may_ask_for_reports(user) -> bool:
    """Whether ``user`` may ask for reports at all: someone with a unit, or the administrator."""
    return user.role == Role.ADMINISTRATOR or user.unit_id is not None


def report_units(user) -> QuerySet:
    """The units ``user`` may ask a report on (the form's choices, the API's): their own unit and
    the units below it. The administrator gets every province and district (the communes of the
    whole country would be ten thousand options: a commune's report is asked for by the people of
    its district or province)."""
    if getattr(user, "role", None) == Role.ADMINISTRATOR:
        return AdministrativeUnit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT])
    if getattr(user, "unit_id", None) is not None:
        return AdministrativeUnit.objects.within(user.unit)
    return AdministrativeUnit.objects.none()


def report_units_for(user) -> list[AdministrativeUnit]:
    """`report_units` in the order of the form's select: their own unit, then each district
    followed by its communes (the administrator: each province followed by its districts)."""
    units = report_units(user)
    # A province row is its own province and a district row its own district: ordering by their
    # codes puts every unit right after the one above it (a province has no district: first).
    return list(units.order_by("era", "province__code", F("district__code").asc(nulls_first=True), "-level", "code"))


def _depth(unit: AdministrativeUnit, listed: set[int]) -> int:
    """How many units above ``unit`` are in the list too: its indent in the select."""
    return sum(1 for above in (unit.province_id, unit.district_id) if above and above != unit.pk and above in listed)


class ReportRequestForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=registry.kind_choices)
    unit = forms.ChoiceField(label=_("Unit"))
    period_kind = forms.ChoiceField(label=_("Reporting period"), choices=PeriodKind.choices,
                                    initial=PeriodKind.QUARTER)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False, empty_value=None)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, required=False, empty_value=None,
                                     choices=[(number, numeral) for number, numeral in enumerate(ROMAN, start=1)])
    half = forms.TypedChoiceField(label=_("Six months"), coerce=int, required=False, empty_value=None,
                                  choices=[(1, _("The first six months")), (2, _("The last six months"))])
    period_start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    file_format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.XLSX,
                                    widget=forms.RadioSelect(attrs={"class": "btn-check"}))
    number = forms.IntegerField(
        label=_("Document number"), required=False, min_value=1, max_value=2_147_483_647,
        help_text=_("Printed as Số: 12/BC-MTTQ in the PDF and Word files; leave it empty to write it in by hand."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.units = {str(unit.pk): unit for unit in report_units_for(user)}
        self.fields["unit"].choices = self._unit_choices(user)
        self.fields["unit"].initial = user.unit_id
        # The administrator's empty choice is the whole country (reports.services refuses it to others).
        self.fields["unit"].required = user.role != Role.ADMINISTRATOR
        self.options = registry.options()
        for option in self.options:
            self.fields[option.name] = forms.ModelChoiceField(
                label=option.label, queryset=option.choices(user), required=False, empty_label=option.empty_label)
        self.fields["year"].choices = [(year, year) for year in range(today.year, FIRST_YEAR - 1, -1)]
        self.fields["month"].choices = [(number, _("Month %(number)s") % {"number": number})
                                        for number in range(1, IN_A_YEAR["month"] + 1)]
        self.initial.setdefault("year", today.year)
        self.initial.setdefault("month", today.month)
        self.initial.setdefault("quarter", (today.month - 1) // 3 + 1)
        self.initial.setdefault("half", 1 if today.month <= 6 else 2)

    def _unit_choices(self, user):
        listed = {unit.pk for unit in self.units.values()}
        options = [(str(unit.pk), INDENT * _depth(unit, listed) + unit.name) for unit in self.units.values()]
        if user.role != Role.ADMINISTRATOR:
            return options
        # The administrator's list holds both sets of units (before and after 1 July 2025), where
        # the same name can come twice: one group per era; first, the whole country (no unit).
        eras = {unit.pk: unit.era for unit in self.units.values()}
        groups = [(Era(era).label, [option for option in options if eras[int(option[0])] == era])
                  for era in (Era.CURRENT, Era.LEGACY) if era in eras.values()]
        return [("", WHOLE_COUNTRY), *groups]

    def clean_unit(self) -> AdministrativeUnit | None:
        # The choices are the units the user may report on: any other is "not one of the choices".
        # Empty (the administrator's first choice): the whole country.
        chosen = self.cleaned_data["unit"]
        return self.units[chosen] if chosen else None

    def option_fields(self) -> list[tuple]:
        """(bound field, the kinds that take it) of each option: where the page shows it."""
        return [(self[option.name], registry.kinds_taking(option.name)) for option in self.options]

    def clean(self):
        cleaned = super().clean()
        spec, unit = registry.kind(cleaned.get("kind", "")), cleaned.get("unit")
        for option in self.options:
            if spec is None or option.name not in spec.options:
                # Chosen, then the kind changed: the select is hidden, and the choice does not count.
                cleaned[option.name] = None
            elif cleaned.get(option.name) is not None and unit is not None \
                    and not option.covers(cleaned[option.name], unit):
                self.add_error(option.name, option.not_covering)
        period_kind = cleaned.get("period_kind")
        if period_kind in PERIOD_FIELDS:
            cleaned["period"] = self._period(period_kind, cleaned)
        return cleaned

    def _period(self, period_kind: str, cleaned) -> Period | None:
        try:
            return period_from_fields(period_kind, cleaned, today=timezone.localdate())
        except ValidationError as error:
            for name, field_errors in error.error_dict.items():
                # A field refused already (not one of the choices) is not "required" as well.
                if name not in self.errors:
                    self.add_error(name, field_errors)
            return None

    def request_arguments(self) -> dict:
        """The keyword arguments of services.report_request."""
        data = self.cleaned_data
        options = {option.name: data[option.name].pk for option in self.options if data.get(option.name) is not None}
        return {"kind": data["kind"], "unit": data["unit"], "period": data["period"],
                "file_format": data["file_format"], "options": options, "number": data.get("number")}


class DocumentSettingsForm(BootstrapMixin, forms.ModelForm):
    """How the unit's committee signs its documents; reports.services.document_settings_save saves it."""

    class Meta:
        model = DocumentSettings
        fields = ["signer_title", "signer", "symbol", "recipients"]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 5})}

"""Forms of the household pages. They check input and build the services' data; the rules
themselves live in the models (one-row rules) and the services (rules across rows)."""

import hashlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontwelfare.forms import BootstrapMixin, DateInput

from .choices import POVERTY_CATEGORIES, Category, Classification, Indicator, PolicyType
from .models import Household, Member
from .services import HOUSEHOLD_FIELDS, MEMBER_FIELDS, MemberData

# Stored as written: the consent is a Vietnamese document whatever the officer's interface language.
DEFAULT_CONSENT_PURPOSE = "Quản lý, hỗ trợ an sinh xã hội của Mặt trận Tổ quốc Việt Nam"


class HouseholdForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = HOUSEHOLD_FIELDS
        widgets = {
            "consent_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["consent_purpose"].initial = DEFAULT_CONSENT_PURPOSE
            self.fields["consent_date"].initial = timezone.localdate()


class PolicyTypesForm(forms.Form):
    policy_types = forms.MultipleChoiceField(
        label=_("Policy family"), choices=PolicyType.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


class MemberForm(BootstrapMixin, forms.ModelForm):
    """One member. The model's own validation runs on it (the citizen ID's structure, the
    birth year against the date, the ID already registered elsewhere)."""

    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "citizen_id": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 12, "pattern": "[0-9]{12}"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].required = False

    def clean(self):
        cleaned = super().clean()
        birth_date, birth_year = cleaned.get("birth_date"), cleaned.get("birth_year")
        if birth_date and not birth_year:
            cleaned["birth_year"] = birth_date.year
            self.instance.birth_year = birth_date.year
        elif not birth_date and not birth_year and "birth_year" not in self.errors:
            self.add_error("birth_year", _("Enter the date of birth or at least the year of birth."))
        return cleaned

    def _post_clean(self):
        # The model's clean() reads the normalised ID and derived year, as the service will.
        citizen_id = self.cleaned_data.get("citizen_id")
        if citizen_id:
            self.cleaned_data["citizen_id"] = citizen_id.strip()
        super()._post_clean()

    def member_data(self) -> MemberData:
        return MemberData(**{name: self.cleaned_data.get(name) for name in MEMBER_FIELDS})


class BaseMemberFormSet(forms.BaseFormSet):
    # How the error summary at the top of the page names a member's form (frontwelfare.templatetags.error_summary).
    error_summary_label = _("Member %(number)s")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"
    def member_data(self) -> list[MemberData]:
        return [form.member_data() for form in self.forms if form.has_changed() and form not in self.deleted_forms]


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=0, min_num=1, validate_min=True, can_delete=True,
)


class StatusForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=50,
                                      help_text=_("For example 15/QĐ-UBND"))
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class AssessmentForm(BootstrapMixin, forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    monthly_income_per_person = forms.IntegerField(
        label=_("Monthly income per person (VND)"), min_value=0, max_value=10**12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1000}),
    )
    deprivations = forms.MultipleChoiceField(
        label=_("Lacking indicators"), choices=Indicator.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, indicators: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        if indicators is not None:
            self.fields["deprivations"].choices = [(code, Indicator(code).label) for code in indicators]


class ConfirmAssessmentForm(forms.Form):
    classification = forms.ChoiceField(choices=Classification.choices)


class ReviewDecisionForm(BootstrapMixin, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=50,
                                      help_text=_("The commune's decision recognising this year's list."))
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())


REVIEW_CHOICES = [("", _("Not poor or near-poor"))] + [
    (category.value, category.label) for category in Category if category in POVERTY_CATEGORIES
]


def hamlet_field_name(hamlet: str) -> str:
    """The name of a hamlet's select in HamletAssignmentForm: derived from the hamlet's name, so that it
    names the same hamlet on the page and when it is posted, whatever hamlets appear or empty in between."""
    return "hamlet_" + hashlib.sha256(hamlet.encode()).hexdigest()[:16]


class HamletAssignmentForm(forms.Form):
    """One select per hamlet of a split former commune (`hamlet_field_name`, with a hidden copy of the
    hamlet's name beside it, ``<name>_name``), offering the communes it was divided into; a hamlet left
    empty is left as it is. A posted hamlet that is no longer one of the commune's (its households moved
    since the page was shown) and was given a commune is refused, and nothing is saved."""

    def __init__(self, *args, split, **kwargs):
        super().__init__(*args, **kwargs)
        self.split = split
        choices = [("", _("— not assigned —")), *((unit.pk, unit.name) for unit in split.successors)]
        self.names = {hamlet_field_name(row.hamlet): row for row in split.hamlets}
        for name, row in self.names.items():
            initial = row.assignment.current_commune_id if row.assignment else ""
            self.fields[name] = forms.TypedChoiceField(
                label=row.hamlet, choices=choices, required=False, coerce=int, empty_value=None, initial=initial)
        self.rows = [(row, self[name]) for name, row in self.names.items()]

    def clean(self):
        cleaned = super().clean()
        gone = [self.data.get(f"{name}_name") or name for name in self.data
                if name.startswith("hamlet_") and not name.endswith("_name") and name not in self.names
                and self.data.get(name)]
        if gone:
            raise forms.ValidationError(
                _("%(hamlets)s: no longer a hamlet of %(commune)s (its households moved since the page was shown). "
                  "Nothing was saved: check the hamlets below and save again.")
                % {"hamlets": ", ".join(sorted(gone)), "commune": self.split.commune.name})
        return cleaned

    def assignments(self) -> dict:
        """{hamlet: current commune} of the hamlets given a commune."""
        units = {unit.pk: unit for unit in self.split.successors}
        return {row.hamlet: units[self.cleaned_data[name]]
                for name, row in self.names.items() if self.cleaned_data[name]}

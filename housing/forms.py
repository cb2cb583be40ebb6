"""Forms of the housing pages. They check input and hand it to housing.services, which holds
the rules (the models hold the one-row ones)."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import BootstrapMixin, DateInput, VndField
from households.filters import households_in_name_order
from households.models import Household

from .choices import AttachmentKind, CaseState
from .models import CaseAttachment, HousingCase, Programme
from .permissions import programme_units_for
from .services import CASE_FIELDS, PROGRAMME_FIELDS, CaseData
from .workflow import Step

ACCEPTED_FILES = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"


class ProgrammeForm(BootstrapMixin, forms.ModelForm):
    new_build_support = VndField(label=_("Support per new house (VND)"), required=False,
                                 help_text=_("Leave empty if the programme sets no limit."))
    repair_support = VndField(label=_("Support per repair (VND)"), required=False)

    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        widgets = {
            "decision_date": DateInput(), "start_date": DateInput(), "deadline": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "new_build_target": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "repair_target": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = programme_units_for(user)
        self.fields["unit"].empty_label = None


class TargetsForm(forms.Form):
    """One pair of numbers (new houses, repairs) per unit below the programme's unit. A unit
    with both boxes empty has no target of its own."""

    def __init__(self, *args, units: list[AdministrativeUnit], initial_targets: dict[int, tuple[int, int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            new_builds, repairs = initial_targets.get(unit.pk, (None, None))
            for prefix, value in (("new", new_builds), ("repair", repairs)):
                self.fields[f"{prefix}_{unit.pk}"] = forms.IntegerField(
                    min_value=0, max_value=100_000, required=False, initial=value,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}),
                )

    def rows(self):
        """(unit, new-houses field, repairs field) for the template."""
        return [(unit, self[f"new_{unit.pk}"], self[f"repair_{unit.pk}"]) for unit in self.units]

    def targets(self) -> dict[int, tuple[int, int]]:
        chosen = {}
        for unit in self.units:
            new_builds = self.cleaned_data.get(f"new_{unit.pk}")
            repairs = self.cleaned_data.get(f"repair_{unit.pk}")
            if new_builds is not None or repairs is not None:
                chosen[unit.pk] = (new_builds or 0, repairs or 0)
        return chosen


class CaseForm(BootstrapMixin, forms.ModelForm):
    """The proposal and its funding plan. On a new case, also the household and programme."""

    estimated_cost = VndField(label=_("Estimated cost (VND)"), min_value=1)
    state_budget = VndField(label=_("State budget (VND)"), required=False)
    fund_for_the_poor = VndField(label=_("Fund for the Poor (VND)"), required=False)
    sponsor_amount = VndField(label=_("Sponsor (VND)"), required=False)
    army_amount = VndField(label=_("Army unit (VND)"), required=False)
    family_amount = VndField(label=_("Family's own money (VND)"), required=False)

    class Meta:
        model = HousingCase
        fields = ("household", "programme", *CASE_FIELDS)
        widgets = {
            "current_condition": forms.Textarea(attrs={"rows": 2}),
            "labour_days": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    proposed_on = forms.DateField(
        label=_("Date of the proposal"), initial=timezone.localdate, widget=DateInput(), required=False,
        help_text=_("The day the commune proposed the house, if it is entered later."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["household"], self.fields["programme"], self.fields["proposed_on"]
        else:
            commune = user.unit
            self.fields["household"].queryset = households_in_name_order(
                Household.objects.visible_to(user).filter(commune=commune))
            self.fields["programme"].queryset = Programme.objects.visible_to(user).order_by("-deadline", "name")
        self.fields["labour_days"].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ("state_budget", "fund_for_the_poor", "sponsor_amount", "army_amount", "family_amount",
                     "labour_days"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
                setattr(self.instance, name, 0)
        return cleaned

    def case_data(self) -> CaseData:
        return CaseData(**{name: self.cleaned_data[name] for name in CASE_FIELDS})


def step_form_class(step: Step) -> type[forms.Form]:
    """The form of one workflow step: the fields it records, a note, and for the handover
    the record to attach."""
    fields: dict[str, forms.Field] = {}
    for name in step.fields:
        model_field = HousingCase._meta.get_field(name)
        if name == "final_cost":
            fields[name] = VndField(label=_("Final cost (VND)"), min_value=1)
        elif name == "survey_findings":
            fields[name] = forms.CharField(label=capfirst(model_field.verbose_name),
                                           widget=forms.Textarea(attrs={"rows": 3}))
        else:
            fields[name] = forms.DateField(label=capfirst(model_field.verbose_name), widget=DateInput())
    if step.is_decision:
        fields["decided_on"] = forms.DateField(
            label=_("Date of the decision"), initial=timezone.localdate, widget=DateInput(), required=False,
            help_text=_("The day it was decided, if it is entered later."),
        )
    if step.name == "hand_over":
        fields["handover_record"] = forms.FileField(
            label=_("Handover record"), required=False,
            help_text=_("PDF or a photo of the signed record, at most 10 MB. Not needed if already attached."),
            widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
        )
    fields["note"] = forms.CharField(
        label=_("Reason") if step.note_required else _("Note"), required=step.note_required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    return type(f"{step.name.title().replace('_', '')}StepForm", (BootstrapMixin, forms.Form), fields)


class AttachmentForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CaseAttachment
        fields = ("kind", "file")
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES})}
        # The content itself is checked by the service (housing.attachments) before it is stored.
        help_texts = {"file": _("A photo (JPEG, PNG, WebP) or a PDF document, at most 10 MB.")}

    def __init__(self, *args, state: str = CaseState.PROPOSED, **kwargs):
        super().__init__(*args, **kwargs)
        # The photo most likely taken at this point of the work comes first.
        self.fields["kind"].initial = {
            CaseState.CONSTRUCTION_STARTED: AttachmentKind.PHOTO_DURING,
            CaseState.COMPLETED: AttachmentKind.PHOTO_AFTER, CaseState.HANDED_OVER: AttachmentKind.PHOTO_AFTER,
        }.get(state, AttachmentKind.PHOTO_BEFORE)

"""Forms of the level above's pages (the district's standing committee, or the province's for the
current units): the round and its criteria, reopening, the inspection plan and inspections, the
agency meeting and its decisions, the notice, awards and support. They check the input's shape and
hand it to models_registry.services, which holds the rules; what they offer is read through
`visible_to`."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from donations.choices import Earmark
from donations.models import Fund
from donations.permissions import funds_managed_by
from frontwelfare.accounts.scope import scope_q
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import BootstrapMixin, DateInput, VndField

from .choices import AwardKind, Decision, SupportKind
from .models import Notice, TypicalModel
from .selectors import round_communes
from .services.rounds import MAX_CRITERIA

ACCEPTED_FILES = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
ACCEPTED_PHOTOS = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
FIRST_YEAR = 2000


# -- the round --------------------------------------------------------------------------------------


class RoundDatesForm(BootstrapMixin, forms.Form):
    """The round's dates: the deadline for registering, the mid-year review, the final report."""

    deadline = forms.DateField(label=_("Registration deadline"), widget=DateInput())
    mid_year_review_on = forms.DateField(label=_("Mid-year review"), required=False, widget=DateInput())
    final_report_on = forms.DateField(label=_("Final report due"), required=False, widget=DateInput())

    def dates(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("deadline", "mid_year_review_on", "final_report_on")}


class RoundCreateForm(RoundDatesForm):
    """A round set up ahead of the communes: its year, and the deadline (31 March when left empty)."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    field_order = ("year", "deadline", "mid_year_review_on", "final_report_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Up to next year: read when the form is made, not when the module is imported.
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(MaxValueValidator(this_year + 1))
        self.fields["year"].widget.attrs["max"] = this_year + 1
        self.fields["year"].initial = this_year
        self.fields["deadline"].required = False
        self.fields["deadline"].help_text = _("Empty: 31 March of the year, the end of the first quarter.")


class CriterionForm(BootstrapMixin, forms.Form):
    """One row of the criteria: its name, what is looked at, and the most points it gives."""

    name = forms.CharField(label=_("Criterion"), max_length=200)
    description = forms.CharField(label=_("What is looked at"), max_length=500, required=False)
    weight = forms.IntegerField(label=_("Weight (points)"), min_value=1, max_value=100,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class BaseCriteriaFormSet(forms.BaseFormSet):
    error_summary_label = _("Criterion %(number)s")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def criteria(self) -> list[tuple[str, str, int]]:
        """The rows filled in and not deleted, in order: (name, what is looked at, weight)."""
        return [(form.cleaned_data["name"], form.cleaned_data.get("description") or "", form.cleaned_data["weight"])
                for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]

    def add_service_error(self, error) -> None:
        """A refusal of the whole set (the weights' sum) shown above the rows."""
        self.non_form_errors().extend(error.messages)


CriteriaFormSet = forms.formset_factory(CriterionForm, formset=BaseCriteriaFormSet, extra=2, can_delete=True,
                                        max_num=MAX_CRITERIA, validate_max=True)


class ReopenForm(BootstrapMixin, forms.Form):
    """The round opened again for one of its communes, until a day, with the reason."""

    commune = forms.ModelChoiceField(label=_("Commune"), queryset=AdministrativeUnit.objects.none(),
                                     empty_label=_("Choose a commune"))
    until = forms.DateField(label=_("Open until"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give the reason.")})

    def __init__(self, *args, round_, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The round's communes only, and of those the viewer's (the committee that runs it sees all).
        self.fields["commune"].queryset = round_communes(round_).filter(scope_q(user, ""))


# -- the inspection plan and inspections ------------------------------------------------------------


class PlanForm(BootstrapMixin, forms.Form):
    """A model put on the inspection plan: the officers in charge of movement work, the day."""

    officers = forms.CharField(label=_("Officers assigned"), max_length=500)
    planned_on = forms.DateField(label=_("Planned for"), widget=DateInput())
    # The plan entered late keeps the day it was decided (the model's step is dated then).
    decided_on = forms.DateField(label=_("Plan decided on"), required=False, widget=DateInput(),
                                 help_text=_("Empty: today."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class InspectionForm(BootstrapMixin, forms.Form):
    """The inspection on site: the day, the officers, the findings, and points for each criterion of
    the round's version in force, from 0 to its weight. The total is added up by the service."""

    inspected_on = forms.DateField(label=_("Inspected on"), widget=DateInput())
    officers = forms.CharField(label=_("Officers"), max_length=500)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            out_of_range = gettext("“%(criterion)s” is scored from 0 to %(weight)s points.") % {
                "criterion": criterion.name, "weight": criterion.weight}
            self.fields[self.score_name(criterion)] = forms.IntegerField(
                label=criterion.name, min_value=0, max_value=criterion.weight,
                help_text=f"0–{criterion.weight}",  # noqa: RUF001 (a range of points, as printed)
                error_messages={"min_value": out_of_range, "max_value": out_of_range},
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": criterion.weight}))
        # BootstrapMixin styled the fields it found; the scores came after.
        for criterion in criteria:
            self.fields[self.score_name(criterion)].widget.attrs.setdefault("class", "form-control")

    @staticmethod
    def score_name(criterion) -> str:
        return f"score_{criterion.pk}"

    def score_fields(self):
        return [self[self.score_name(criterion)] for criterion in self.criteria]

    def scores(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[self.score_name(criterion)] for criterion in self.criteria}


class PhotoForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_PHOTOS}),
                           help_text=_("A photo (JPEG, PNG, WebP), at most 10 MB."))


# -- the agency meeting -----------------------------------------------------------------------------


class _ModelsChoice(forms.ModelMultipleChoiceField):
    """Models as checkboxes, each named with its commune (and its score, where it has one)."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def label_from_instance(self, model):
        score = getattr(getattr(model, "inspection", None), "total_score", None)
        if score is None:
            return f"{model.name} · {model.commune.name}"
        return gettext("%(model)s · %(commune)s · %(score)s points") % {
            "model": model.name, "commune": model.commune.name, "score": score}


class MeetingForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    chaired_by = forms.CharField(label=_("Chaired by"), max_length=255)
    participants = forms.CharField(label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2}))
    models = _ModelsChoice(label=_("Models presented"), queryset=TypicalModel.objects.none())

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["models"].queryset = models


class DecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices,
                                 widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class MinutesForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Minutes"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
                           help_text=_("A PDF or a scanned page (JPEG, PNG, WebP), at most 10 MB."))


# -- the notice, awards and support -----------------------------------------------------------------


class NoticeForm(BootstrapMixin, forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    symbol = forms.CharField(label=_("Symbol"), max_length=40, initial="TB-MTTQ")
    issued_on = forms.DateField(label=_("Date"), widget=DateInput())
    signer = forms.CharField(label=_("Signed by"), max_length=255)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=255,
                                   help_text=_("For example PHÓ CHỦ TỊCH"))
    recipients = forms.CharField(label=_("Recipients (Nơi nhận)"), help_text=_("One per line"),
                                 widget=forms.Textarea(attrs={"rows": 3}))
    models = _ModelsChoice(label=_("Models recognised"), queryset=TypicalModel.objects.none())

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["models"].queryset = models

    def notice_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in
                ("number", "symbol", "issued_on", "signer", "signer_title", "recipients")}


class _FundChoice(forms.ModelChoiceField):
    def label_from_instance(self, fund):
        return fund.name


class _MoneyForm(BootstrapMixin, forms.Form):
    """Money given to a model, paid out of one of the funds the officer manages and its earmark."""

    amount = VndField(label=_("Amount (VND)"), min_value=1, required=False)
    fund = _FundChoice(label=_("Paid from fund"), queryset=Fund.objects.none(), required=False,
                       empty_label=_("No fund"))
    earmark = forms.ChoiceField(label=_("Earmark"), choices=Earmark.choices, initial=Earmark.NONE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds_managed_by(user).order_by("name")

    def money(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("amount", "fund")} | {
            "earmark": self.cleaned_data.get("earmark") or Earmark.NONE}


class AwardForm(_MoneyForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AwardKind.choices, initial=AwardKind.CERTIFICATE)
    title = forms.CharField(label=_("Title"), max_length=255, initial="Giấy khen",
                            help_text=_("For example Giấy khen"))
    awarded_on = forms.DateField(label=_("Awarded on"), widget=DateInput())
    notice = forms.ModelChoiceField(label=_("Notice"), queryset=Notice.objects.none(), required=False,
                                    empty_label=_("No notice"))
    field_order = ("kind", "title", "awarded_on", "notice", "amount", "fund", "earmark")

    def __init__(self, *args, user, model, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["notice"].queryset = Notice.objects.visible_to(user).filter(recognised_models=model)
        self.fields["awarded_on"].initial = timezone.localdate


class SupportForm(_MoneyForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices, initial=SupportKind.ADVICE)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ("kind", "given_on", "description", "amount", "fund", "earmark")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate


"""Forms of the typical-models pages. They check input and hand it to models_registry.services,
which holds the rules (the models hold the one-row ones)."""

from django import forms
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.filters import FIRST_YEAR, LAST_YEAR
from frontwelfare.forms import BootstrapMixin, DateInput, QuickSelect, VndField

from .choices import AttachmentKind
from .models import MediaCoverage, StudyVisit, TypicalModel
from .selectors import organisations_to_lead
from .services.registrations import MODEL_FIELDS
from .workflow import Step

PHOTO_FILES = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
ACCEPTED_FILES = f"{PHOTO_FILES},application/pdf,.pdf"
# The recognised models a registration may name as the one it replicates: the latest of the
# commune's province, enough for any real choice and a select a phone can still scroll.
MOST_ORIGINALS = 300


class _OriginalChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.commune.name} ({obj.round.year})"


class _OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.unit.name})"


def original_choices(commune, *, before_year: int):
    """The recognised models of ``commune``'s province from rounds before ``before_year``, latest first
    (at most MOST_ORIGINALS). Recognised models are public: the service accepts any of them."""
    recognised = TypicalModel.objects.recognised().filter(commune__province_id=commune.province_id,
                                                          round__year__lt=before_year)
    latest = recognised.order_by("-round__year", "name", "pk").values("pk")[:MOST_ORIGINALS]
    return (TypicalModel.objects.filter(pk__in=Subquery(latest)).select_related("commune", "round")
            .order_by("-round__year", "name", "pk"))


def leader_organisations(commune):
    """The member organisations offered to lead ``commune``'s model (selectors.organisations_to_lead)."""
    return organisations_to_lead(commune).select_related("unit").order_by("unit__level", "kind", "name")


class TypicalModelForm(BootstrapMixin, forms.ModelForm):
    """A commune's registration. New: with its year and, optionally, a first photo."""

    budget = VndField(label=_("Budget (VND)"), required=False, help_text=_("0 when it needs no money."))
    year = forms.IntegerField(label=_("Year of the round"), min_value=FIRST_YEAR, max_value=LAST_YEAR,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    photo = forms.FileField(
        label=_("Photo"), required=False, widget=forms.ClearableFileInput(attrs={"accept": PHOTO_FILES}),
        help_text=_("A photo of the model (JPEG, PNG or WebP, at most 10 MB). More can be added on its page."))

    class Meta:
        model = TypicalModel
        fields = MODEL_FIELDS
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "started_on": DateInput(),
            "participants": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, user, commune, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["year"], self.fields["photo"]
        else:
            self.fields["year"].initial = timezone.localdate().year
        before_year = self.instance.round.year if editing else timezone.localdate().year + 1
        originals = original_choices(commune, before_year=before_year)
        if editing and self.instance.replicates_id:
            # The original chosen stays a choice, whichever the list would offer (one chosen through
            # the API from another province, or past the list's length).
            originals = originals | TypicalModel.objects.filter(pk=self.instance.replicates_id)
        self.fields["replicates"] = _OriginalChoice(
            queryset=originals, required=False,
            label=_("Replicates the recognised model"), empty_label=_("None: a new model"),
            widget=forms.Select(attrs={"class": "form-select"}))
        self.fields["leader_organisation"] = _OrganisationChoice(
            queryset=leader_organisations(commune), required=False,
            label=_("Member organisation leading it"), empty_label=_("None: name the person or group below"),
            widget=forms.Select(attrs={"class": "form-select"}))
        self.fields["participants"].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ("budget", "participants"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
                setattr(self.instance, name, 0)
        return cleaned

    def model_fields(self) -> dict:
        """What the services take: the registration's fields, without the year and the photo."""
        return {name: self.cleaned_data[name] for name in MODEL_FIELDS}


class StepForm(BootstrapMixin, forms.Form):
    """A direct step of the workflow (register, submit, return, propose for a higher award): a note,
    required where the step needs a reason, and the day, if it happened before it is entered."""

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    happened_on = forms.DateField(label=_("Day it happened"), required=False, widget=DateInput(),
                                  help_text=_("Leave empty for today."))

    def __init__(self, *args, step: Step, **kwargs):
        kwargs.setdefault("prefix", f"step-{step.name}")
        super().__init__(*args, **kwargs)
        self.step = step
        if step.note_required:
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason")


class AttachmentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
                           # The content itself is checked by the service before it is stored.
                           help_text=_("A photo (JPEG, PNG, WebP) or a PDF document, at most 10 MB."))

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, AttachmentKind(kind).label) for kind in kinds]


class StudyVisitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = StudyVisit
        fields = ("visiting_unit", "visitors", "visited_on", "people", "note")
        widgets = {"visited_on": DateInput(), "people": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1})}

    def __init__(self, *args, model: TypicalModel, **kwargs):
        super().__init__(*args, prefix="visit", **kwargs)
        # The communes and districts of the model's province: the units that come to learn from it.
        field = self.fields["visiting_unit"]
        field.queryset = AdministrativeUnit.objects.filter(
            province_id=model.commune.province_id, level__in=[Level.DISTRICT, Level.COMMUNE]).order_by("level", "name")
        field.widget = QuickSelect(attrs={"class": "form-select"}, choices=field.choices)
        field.empty_label = _("Another unit or group: name it below")


class MediaForm(BootstrapMixin, forms.ModelForm):
    # A link typed without its scheme ("baodongkhoi.vn/…") is read as https.
    link = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = MediaCoverage
        fields = ("outlet", "title", "published_on", "link")
        widgets = {"published_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="media", **kwargs)


class BoardForm(forms.Form):
    """The board's year (this year when not given) and, for a province, the round of one unit."""

    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    unit = forms.IntegerField(min_value=1, required=False)

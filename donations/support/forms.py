"""Forms of the pages of support to households. They check input and hand it to
donations.support.services, which holds the rules; what they offer is read through `visible_to`."""

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.scope import within_q
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import BootstrapMixin, DateInput, VndField
from frontwelfare.text import fold_diacritics
from households.models import Household, Member

from ..choices import Earmark, Purpose
from ..models import Donor, Fund
from ..permissions import funds_managed_by
from .choices import Delivery, Details, Recipients
from .models import FUND_OR_DONOR, GOODS_DESCRIBED, Activity, Organisation, Recipient, SupportKind
from .services import FIRST_MEMBERSHIP_YEAR, MOST_HOUSEHOLDS_NAMED, ORGANISATION_FIELDS, TOO_MANY_HOUSEHOLDS

# -- member organisations and their activities -----------------------------------------------------


class OrganisationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class MembershipForm(BootstrapMixin, forms.Form):
    """The members of one year; recorded again, the year is corrected."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_MEMBERSHIP_YEAR,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    members = forms.IntegerField(label=_("Members"), min_value=0, max_value=10**7,
                                 widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # This year at the latest: read when the form is made, not when the module is imported.
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(MaxValueValidator(this_year))
        self.fields["year"].widget.attrs["max"] = this_year
        self.initial.setdefault("year", this_year)


CODE_SEPARATORS = re.compile(r"[\s,;]+")


class ActivityForm(BootstrapMixin, forms.ModelForm):
    value = VndField(label=_("Value (VND)"), help_text=_("0 when nothing was spent or given in money."))
    households = forms.CharField(
        label=_("Households of the registry served"), required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("Their household codes, separated by commas or spaces; leave empty when none was named."))

    class Meta:
        model = Activity
        fields = ("organisation", "kind", "name", "starts_on", "ends_on", "occurrences", "people_served", "value",
                  "funders", "note")
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2}),
                   "occurrences": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
                   "people_served": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})}

    def __init__(self, *args, user, unit_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.unit_id = user, unit_id
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user).filter(unit_id=unit_id) \
            .order_by("kind", "name")
        self.fields["organisation"].empty_label = _("The unit itself (no organisation)")
        self.fields["occurrences"].validators.append(MinValueValidator(1))
        if self.instance.pk and not self.is_bound:
            self.initial["households"] = ", ".join(self.instance.households.order_by("code")
                                                   .values_list("code", flat=True))

    def clean_households(self) -> list[Household]:
        codes = [code.upper() for code in CODE_SEPARATORS.split(self.cleaned_data["households"] or "") if code]
        if not codes:
            return []
        if len(codes) > MOST_HOUSEHOLDS_NAMED:  # before reading them all
            raise forms.ValidationError(TOO_MANY_HOUSEHOLDS)
        unit = AdministrativeUnit.objects.get(pk=self.unit_id)
        found = {household.code.upper(): household for household in Household.objects.visible_to(self.user)
                 .filter(within_q(unit, "commune"), code__in=set(codes))}
        missing = sorted(set(codes) - set(found))
        if missing:
            raise forms.ValidationError(_("No household of code %(codes)s in the activity's unit.")
                                        % {"codes": ", ".join(missing)})
        return list(found.values())


REASON_MAX = 500


class KindForm(BootstrapMixin, forms.Form):
    name_vi = forms.CharField(label=_("Name in Vietnamese"), max_length=150)
    name_en = forms.CharField(label=_("Name in English"), max_length=150)
    purpose = forms.ChoiceField(label=_("Spending purpose"), choices=Purpose.choices, help_text=_(
        "How the fund statement counts the money given."))
    recipients = forms.ChoiceField(label=_("Given"), choices=Recipients.choices, initial=Recipients.HOUSEHOLD)
    details = forms.ChoiceField(label=_("Recorded for each recipient"), choices=Details.choices, required=False)


class _FundChoice(forms.ModelChoiceField):
    def label_from_instance(self, fund):
        return fund.name


class BatchForm(BootstrapMixin, forms.Form):
    """A draft batch: what is given, for which occasion, on which day, from which money (a fund of
    the officer's unit and its earmark, or a donor giving directly)."""

    kind = forms.ModelChoiceField(label=_("Kind of support"), queryset=SupportKind.objects.none(),
                                  empty_label=_("Choose a kind"))
    occasion = forms.CharField(label=_("Occasion"), max_length=255, help_text=_(
        "Type it as the other batches of this occasion do (suggested as you type): batches of the same kind and "
        "occasion are checked against each other so that no one is helped twice by mistake."),
        widget=forms.TextInput(attrs={"list": "occasions", "autocomplete": "off",
                                      "placeholder": _("e.g. Quà Tết Bính Ngọ 2026")}))
    happened_on = forms.DateField(label=_("Date of handing over"), initial=timezone.localdate, widget=DateInput())
    fund = _FundChoice(label=_("From fund"), queryset=Fund.objects.none(), required=False, empty_label=_("No fund"))
    earmark = forms.ChoiceField(label=_("Earmark"), choices=Earmark.choices, initial=Earmark.NONE)
    donor = forms.ModelChoiceField(label=_("Or given directly by"), queryset=Donor.objects.none(), required=False,
                                   empty_label=_("No donor"), help_text=_(
                                       "Money a donor hands out directly, never in a Front fund: it is reported, "
                                       "not posted."))
    organisation = forms.ModelChoiceField(label=_("Member organisation"), queryset=Organisation.objects.none(),
                                          required=False, empty_label=_("None"))
    value = VndField(label=_("Value per recipient (VND)"), min_value=1)
    in_kind = forms.BooleanField(label=_("In kind"), required=False)
    goods = forms.CharField(label=_("Goods given"), max_length=500, required=False,
                            help_text=_("What each recipient receives, when in kind: valued above in đồng."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = user.unit
        self.fields["kind"].queryset = SupportKind.objects.available_to(unit).order_by("unit_id", "pk")
        self.fields["fund"].queryset = funds_managed_by(user).order_by("name")
        self.fields["donor"].queryset = Donor.objects.visible_to(user).order_by("name_folded", "pk")
        self.fields["organisation"].queryset = (Organisation.objects.filter(within_q(unit, "unit")).order_by("name")
                                                if unit is not None else Organisation.objects.none())

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("fund")) == bool(cleaned.get("donor")) and not self.has_error("fund"):
            self.add_error("fund", FUND_OR_DONOR)
        if cleaned.get("in_kind") and not (cleaned.get("goods") or "").strip():
            self.add_error("goods", GOODS_DESCRIBED)
        return cleaned


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class RecipientAddForm(BootstrapMixin, forms.Form):
    """A household of the batch's unit added by hand, typed by its code, with the reason."""

    household = forms.CharField(label=_("Household code"), max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "list": "batch-households"}))
    reason = forms.CharField(label=_("Reason for adding"), max_length=REASON_MAX)
    pupil = forms.CharField(label=_("Pupil's name"), max_length=150, required=False, help_text=_(
        "For support given per pupil; empty: the household's first pupil not in the batch yet."))

    def __init__(self, *args, households, per_pupil: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.households = households
        if not per_pupil:
            del self.fields["pupil"]

    def clean_household(self):
        code = self.cleaned_data["household"].strip()
        household = self.households.filter(code__iexact=code).first()
        if household is None:
            raise forms.ValidationError(_("No household of code %(code)s in the batch's unit.") % {"code": code})
        return household

    def clean(self):
        """The pupil named, among the household's pupils (without diacritics or case)."""
        cleaned = super().clean()
        household, name = cleaned.get("household"), (cleaned.get("pupil") or "").strip()
        cleaned["pupil"] = None
        if household is not None and name:
            cleaned["pupil"] = (Member.objects.filter(household=household, full_name_folded=fold_diacritics(name))
                                .exclude(school_level="").first())
            if cleaned["pupil"] is None:
                self.add_error("pupil", _("No pupil of this household is named “%(name)s”.") % {"name": name})
        return cleaned


class ConfirmForm(BootstrapMixin, forms.Form):
    duplicate_reason = forms.CharField(label=_("Reason for helping again"), max_length=REASON_MAX, required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))


class DeliveryForm(BootstrapMixin, forms.Form):
    """What happened to one line: one of the buttons of its card (``delivery``), the day it was
    handed over (today unless changed) and the name of who received it for the household."""

    delivery = forms.ChoiceField(choices=[choice for choice in Delivery.choices if choice[0] != Delivery.PENDING],
                                 error_messages={"required": _("Choose what happened."),
                                                 "invalid_choice": _("Choose what happened.")})
    delivered_on = forms.DateField(required=False, widget=DateInput())
    representative = forms.CharField(max_length=150, required=False)


# -- a line's details -----------------------------------------------------------------------------------

# The fields each kind records for a line (SupportKind.details).
DETAIL_FIELDS_OF = {
    Details.SCHOOL: ("school", "grade", "school_year"),
    Details.INSURANCE_CARD: ("card_number", "card_valid_until"),
    Details.GOODS: ("goods",),
}


class RecipientDetailsForm(BootstrapMixin, forms.ModelForm):
    """What the batch's kind records for one line: the pupil's school, grade and school year; the
    health-insurance card's number and validity; or the goods given. The service holds the rules."""

    class Meta:
        model = Recipient
        fields = ["school", "grade", "school_year", "card_number", "card_valid_until", "goods"]
        widgets = {"card_valid_until": DateInput()}

    def __init__(self, *args, details: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in DETAIL_FIELDS_OF.get(details, ()):
                del self.fields[name]

"""Forms of the donations pages. They check input and hand it to donations.services, which holds
the rules; the choices they offer are read through `visible_to`, so that a page never offers a
record outside the viewer's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.scope import within_q
from frontwelfare.forms import BootstrapMixin, DateInput, QuickSelect, VndField
from frontwelfare.templatetags.frontwelfare import vnd
from households.models import Household

from .choices import DonorKind, Earmark, FundKind, PaymentMethod, Purpose
from .models import Campaign, Donor, Fund, Pledge
from .permissions import funds_managed_by
from .selectors import funds_linked_to
from .services import CAMPAIGN_FIELDS, DONOR_FIELDS


class _DonorChoice(forms.ModelChoiceField):
    def label_from_instance(self, donor):
        return f"{donor.name} · {donor.tax_code}" if donor.tax_code else donor.name


class _PledgeChoice(forms.ModelChoiceField):
    def label_from_instance(self, pledge):
        return f"{pledge.donor.name} · {pledge.campaign.name} · {vnd(pledge.amount)}"


class _FundChoice(forms.ModelChoiceField):
    def label_from_instance(self, fund):
        return f"{fund.name} · {fund.unit.name}"


def destinations_for(fund: Fund):
    """The funds ``fund`` may pass money to or take it from (`selectors.funds_linked_to`)."""
    return (funds_linked_to(fund.unit).exclude(pk=fund.pk).select_related("unit")
            .order_by("unit__level", "unit__code", "name"))


def money_date_field(label):
    return forms.DateField(label=label, initial=timezone.localdate, widget=DateInput())


class FundForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FundKind.choices)
    name = forms.CharField(label=_("Name"), max_length=255,
                           help_text=_("As the unit calls it, e.g. Quỹ “Vì người nghèo” xã Phước Mỹ Trung."))


class ReceiptForm(BootstrapMixin, forms.Form):
    """Money (or goods) received into a fund: the donor, campaign and pledge offered are those
    the viewer sees, and the campaigns those that collect for the fund's unit."""

    happened_on = money_date_field(_("Date received"))
    donor = _DonorChoice(label=_("Donor"), queryset=Donor.objects.none())
    amount = VndField(label=_("Amount (VND)"), min_value=1,
                      help_text=_("For goods, their value in đồng."))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH)
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=64, required=False,
                                     help_text=_("For a bank transfer: the reference on the bank's statement."))
    in_kind_description = forms.CharField(label=_("Goods given"), max_length=500, required=False,
                                          help_text=_("For goods: what was given, and how much of it."))
    earmark = forms.ChoiceField(label=_("Earmark"), choices=Earmark.choices, initial=Earmark.NONE,
                                help_text=_("What the donor restricted the money to, if anything."))
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False,
                                      empty_label=_("No campaign"))
    pledge = _PledgeChoice(label=_("Settles pledge"), queryset=Pledge.objects.none(), required=False,
                           empty_label=_("No pledge"))
    attached_documents = forms.IntegerField(label=_("Attached documents"), min_value=0, max_value=1000,
                                            initial=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    note = forms.CharField(label=_("Reason or note"), max_length=500, required=False)
    soft_credits = forms.CharField(
        label=_("People listed by the agency"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For an agency collecting from its staff: one person a line, with their amount after a "
                    "semicolon if known (Nguyễn Văn An; 500.000)."))

    def __init__(self, *args, user, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = Donor.objects.visible_to(user).order_by("name_folded", "pk")
        campaigns = Campaign.objects.visible_to(user).covering(fund.unit).order_by("-starts_on", "name")
        self.fields["campaign"].queryset = campaigns
        self.fields["pledge"].queryset = (Pledge.objects.visible_to(user).filter(campaign__in=campaigns)
                                          .select_related("donor", "campaign").order_by("-pledged_on", "-pk"))

    def clean_soft_credits(self):
        credits, amount_field = [], VndField(min_value=1)
        for number, line in enumerate(self.cleaned_data["soft_credits"].splitlines(), start=1):
            name, _sep, amount = line.partition(";")
            if not name.strip():
                continue
            try:
                credits.append((name.strip()[:255], amount_field.clean(amount) if amount.strip() else None))
            except forms.ValidationError:
                raise forms.ValidationError(_("Line %(number)s: the amount after the semicolon is not a whole "
                                              "number of đồng.") % {"number": number}) from None
        return credits

    def service_values(self) -> dict:
        return dict(self.cleaned_data)


class TransferForm(BootstrapMixin, forms.Form):
    destination = _FundChoice(label=_("To fund"), queryset=Fund.objects.none())
    amount = VndField(label=_("Amount (VND)"), min_value=1)
    happened_on = money_date_field(_("Date"))
    earmark = forms.ChoiceField(label=_("Earmark"), choices=Earmark.choices, initial=Earmark.NONE,
                                help_text=_("The money passed keeps its earmark in the fund it goes to."))
    description = forms.CharField(label=_("Description"), max_length=500, required=False,
                                  help_text=_("e.g. the allocation round and its decision."))

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations_for(fund)


class DecisionForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=64, help_text=_("e.g. 15/QĐ-MTTQ"))
    decided_on = money_date_field(_("Decided on"))
    signer = forms.CharField(label=_("Signed by"), max_length=255)
    earmark = forms.ChoiceField(label=_("Paid from earmark"), choices=Earmark.choices, initial=Earmark.NONE,
                                help_text=_("Money of one earmark pays only for its purpose; unrestricted money "
                                            "pays for any."))


class PaymentLineForm(BootstrapMixin, forms.Form):
    """One line of a spending decision: an amount for a purpose, paid to a household of the fund's
    unit (typed by its code), into another fund, or to a work or recipient described (a bridge
    and its place)."""

    # Not marked required: the empty lines left over on the page are skipped (clean asks for the
    # amount of every line that is filled in).
    amount = VndField(label=_("Amount (VND)"), min_value=1, required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", "—"), *Purpose.choices], required=False)
    household = forms.CharField(label=_("Household code"), max_length=20, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off",
                                                              "list": "fund-households"}))
    destination = _FundChoice(label=_("Or into fund"), queryset=Fund.objects.none(), required=False,
                              empty_label="—")
    description = forms.CharField(label=_("Or the work and its place, or the recipient"), max_length=500,
                                  required=False)

    def __init__(self, *args, households=None, destinations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.households = households if households is not None else Household.objects.none()
        if destinations is not None:
            self.fields["destination"].queryset = destinations

    def clean_household(self):
        code = self.cleaned_data["household"].strip()
        if not code:
            return None
        household = self.households.filter(code__iexact=code).first()
        if household is None:
            raise forms.ValidationError(_("No household of code %(code)s in the fund's unit.") % {"code": code})
        return household

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount of this line."))
        chosen = [name for name in ("household", "destination") if cleaned.get(name)]
        if len(chosen) > 1:
            raise forms.ValidationError(_("A line pays one household or one fund, not both."))
        if not self.has_error("household") and not chosen and not (cleaned.get("description") or "").strip():
            raise forms.ValidationError(_("Say who or what is paid: a household, a fund, or the work and its "
                                          "place."))
        if cleaned.get("destination") is None and not cleaned.get("purpose") and "purpose" not in self.errors:
            self.add_error("purpose", _("Choose what the money is spent on."))
        return cleaned


class _PaymentLines(forms.BaseFormSet):
    error_summary_label = _("Line %(number)s")

    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(_("A decision pays at least one line."))


PaymentLineFormSet = forms.formset_factory(PaymentLineForm, formset=_PaymentLines, extra=0, max_num=100,
                                           validate_max=True, absolute_max=100)


def households_of(user, fund: Fund):
    """The households a decision of ``fund`` may pay: of its unit, as the viewer sees them."""
    return Household.objects.visible_to(user).filter(within_q(fund.unit, "commune"))


class ReverseForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Why the posting is corrected: it stays, marked as reversed."))
    happened_on = money_date_field(_("Date of the correction"))


# -- donors, campaigns, pledges -------------------------------------------------------------------


class DonorForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Donor
        fields = DONOR_FIELDS
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "tax_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_organisation"].help_text = _("Only for a member organisation of the Front.")

    def clean(self):
        cleaned = super().clean()
        # The choice shows only for a member organisation (donor_form.js); one left over from
        # another kind is dropped, as donations.services does, before the model checks it.
        if cleaned.get("kind") != DonorKind.MEMBER_ORGANISATION:
            cleaned["member_organisation"] = ""
        return cleaned

    def typed(self) -> dict[str, str]:
        """What the duplicate check reads, as typed, whether or not the form is valid."""
        return {name: (self.data.get(name) or "").strip()[:255] for name in ("name", "tax_code", "phone")}


class CampaignForm(BootstrapMixin, forms.ModelForm):
    # A province's yearly drive can pass a trillion đồng (one reported 1,105 bn pledged).
    target = VndField(label=_("Target (VND)"), max_value=10**15, help_text=_("0 when the campaign sets no target."))

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS
        widgets = {
            "starts_on": DateInput(), "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
            "code": forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds_managed_by(user).select_related("unit").order_by("name")
        self.fields["fund"].empty_label = None

    def clean_code(self):
        # Stored in capitals (donations.services): checked for uniqueness as it will be stored.
        return self.cleaned_data["code"].strip().upper()


class PledgeForm(BootstrapMixin, forms.Form):
    donor = forms.ModelChoiceField(label=_("Donor"), queryset=Donor.objects.none(), widget=QuickSelect,
                                   empty_label=_("Choose a donor"))
    amount = VndField(label=_("Amount pledged (VND)"), min_value=1)
    pledged_on = forms.DateField(label=_("Pledged on"), initial=timezone.localdate, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           help_text=_("e.g. announced at the opening ceremony"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = Donor.objects.visible_to(user).order_by("name_folded", "pk")

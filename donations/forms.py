"""Forms of the donations pages. They check input and hand it to donations.services, which holds
the rules (the models hold the one-row ones)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontwelfare.forms import BootstrapMixin, DateInput, QuickSelect, VndField

from .choices import DonorKind
from .models import Campaign, Donor
from .permissions import funds_managed_by
from .services import CAMPAIGN_FIELDS, DONOR_FIELDS

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

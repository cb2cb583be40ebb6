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
from households.models import Household

from .models import Activity, Organisation
from .services import FIRST_MEMBERSHIP_YEAR, ORGANISATION_FIELDS

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
        if len(codes) > 1000:
            raise forms.ValidationError(_("Name at most 1,000 households here; record a larger programme's "
                                          "people served as a number."))
        unit = AdministrativeUnit.objects.get(pk=self.unit_id)
        found = {household.code.upper(): household for household in Household.objects.visible_to(self.user)
                 .filter(within_q(unit, "commune"), code__in=set(codes))}
        missing = sorted(set(codes) - set(found))
        if missing:
            raise forms.ValidationError(_("No household of code %(codes)s in the activity's unit.")
                                        % {"codes": ", ".join(missing)})
        return list(found.values())

"""Funds, donors, campaigns, pledges, receipts, decisions and postings as JSON. Serializers read
and parse; every rule is in donations.services, which the views call with what the serializers
parsed.

What a viewer may not see of the ledger is never named: a line on a fund of a unit above theirs,
or paying a household outside their units, is left out of a posting and counted
(``lines_not_shown``); the views annotate each line with ``fund_seen`` and ``household_seen``
(`views.seen_lines`), so that this costs no query per line.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from donations.choices import Earmark, PaymentMethod, Purpose
from donations.models import (
    Campaign,
    Donor,
    Fund,
    Pledge,
    Posting,
    PostingLine,
    Receipt,
    SoftCredit,
    SpendingDecision,
)
from donations.selectors import funds_to_pay_into
from donations.services import CAMPAIGN_FIELDS, DONOR_FIELDS
from frontwelfare.forms import MAX_VND
from frontwelfare.text import amount_in_words
from households.models import Household
from housing.api.serializers import UnitRefSerializer, user_name
from housing.models import HousingCase

# -- fields ---------------------------------------------------------------------------------------


class WholeDongField(serializers.IntegerField):
    """An amount in whole đồng, as a JSON integer. A string ("100"), a fraction (1.5) or a float
    that looks whole (100.0) is refused rather than read: money is never rounded or guessed."""

    default_error_messages = {
        "not_whole": _("Give the amount as a whole number of đồng: a JSON integer, without quotes or decimals."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_VND)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("not_whole")
        return super().to_internal_value(data)


def _visible(model, request, queryset=None):
    """Records of ``model`` the caller sees: one outside their units reads as missing (400)."""
    if request is None:
        return model.objects.none()
    return queryset if queryset is not None else model.objects.visible_to(request.user)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A record by id, among those the caller sees (``scope(request)`` narrows further)."""

    def __init__(self, model, scope=None, **kwargs):
        self.model, self.scope = model, scope
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return _visible(self.model, request, self.scope(request) if self.scope and request else None)


def _funds_to_pay_into(request):
    return funds_to_pay_into(request.user)


# -- references -----------------------------------------------------------------------------------


class FundRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fund
        fields = ["id", "name"]


class DonorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Donor
        fields = ["id", "name", "kind"]


class CampaignRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "code"]


class HouseholdRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = ["id", "code", "head_name"]


def _fund_ref(fund) -> dict | None:
    return {"id": fund.pk, "name": fund.name} if fund is not None else None


def _household_ref(household) -> dict | None:
    if household is None:
        return None
    return {"id": household.pk, "code": household.code, "head_name": household.head_name}


def _amounts_serializer(name: str, doc: str, choices) -> type[serializers.Serializer]:
    """One integer per choice, keyed by the choice's value."""
    return type(name, (serializers.Serializer,), {
        "__doc__": doc,
        **{choice.value: serializers.IntegerField(read_only=True, label=choice.label) for choice in choices},
    })


EarmarkAmountsSerializer = _amounts_serializer(
    "EarmarkAmountsSerializer", "What a fund holds for each earmark, in whole đồng.", Earmark)
PurposeAmountsSerializer = _amounts_serializer(
    "PurposeAmountsSerializer", "Money spent for each purpose, in whole đồng.", Purpose)


# -- postings -------------------------------------------------------------------------------------


def line_is_seen(line: PostingLine) -> bool:
    """Whether the caller sees all of ``line``: its fund (if any) and its household (if any); a
    line on neither (a donor, a recipient described in words, who may be a person) only when the
    caller sees the unit that posted it, not because the posting also paid into one of their
    funds. Reads the annotations of `views.seen_lines`."""
    if line.fund_id is None and line.household_id is None:
        return line.posting_seen
    return ((line.fund_id is None or line.fund_seen)
            and (line.household_id is None or line.household_seen))


class LineSerializer(serializers.ModelSerializer):
    """One line of a posting: money into (positive) or out of (negative) a fund's earmark, or the
    outside world's side of it (a donor: negative; a recipient: positive)."""

    fund = FundRefSerializer(read_only=True, allow_null=True)
    household = HouseholdRefSerializer(read_only=True, allow_null=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, allow_blank=True, read_only=True)
    earmark = serializers.ChoiceField(choices=Earmark.choices, allow_blank=True, read_only=True)

    class Meta:
        model = PostingLine
        fields = ["id", "party", "fund", "earmark", "amount", "purpose", "description", "household", "case"]

    def to_representation(self, line):
        return {"id": line.pk, "party": line.party, "fund": _fund_ref(line.fund), "earmark": line.earmark,
                "amount": line.amount, "purpose": line.purpose, "description": line.description,
                "household": _household_ref(line.household), "case": line.case_id}


class DocumentRefSerializer(serializers.Serializer):
    """The receipt or decision a posting records."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)


def _document(posting, name: str) -> dict | None:
    document = getattr(posting, name, None)  # a reverse one-to-one, read with select_related
    return {"id": document.pk, "number": document.number} if document is not None else None


def _reversed_by(posting) -> int | None:
    reversal = getattr(posting, "reversed_by", None)
    return reversal.pk if reversal is not None else None


class PostingSerializer(serializers.ModelSerializer):
    """A posting and the lines of it the caller may see; its lines sum to zero."""

    unit = UnitRefSerializer(read_only=True)
    reversed_by = serializers.SerializerMethodField(help_text=_("The posting that reverses this one, if any."))
    recorded_by = serializers.SerializerMethodField()
    receipt = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()
    lines_not_shown = serializers.SerializerMethodField(help_text=_(
        "Lines on a fund or a household outside the caller's units: counted, not shown."))

    class Meta:
        model = Posting
        fields = ["id", "kind", "unit", "happened_on", "description", "reverses", "reason", "reversed_by",
                  "receipt", "decision", "recorded_by", "recorded_at", "lines", "lines_not_shown"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_reversed_by(self, posting):
        return _reversed_by(posting)

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, posting) -> str:
        return user_name(posting.recorded_by)

    @extend_schema_field(DocumentRefSerializer(allow_null=True))
    def get_receipt(self, posting):
        return _document(posting, "receipt")

    @extend_schema_field(DocumentRefSerializer(allow_null=True))
    def get_decision(self, posting):
        return _document(posting, "decision")

    @extend_schema_field(LineSerializer(many=True))
    def get_lines(self, posting):
        return [LineSerializer().to_representation(line) for line in posting.lines.all() if line_is_seen(line)]

    def get_lines_not_shown(self, posting) -> int:
        return sum(not line_is_seen(line) for line in posting.lines.all())


class ReversalSerializer(serializers.Serializer):
    """Why a posting is reversed, and the day of the correction."""

    reason = serializers.CharField(max_length=500, allow_blank=True)
    happened_on = serializers.DateField(help_text=_("The day of the correction (reports count it on this day)."))


class TransferWriteSerializer(serializers.Serializer):
    """Money passed between levels: from a fund of the caller's unit to a fund of a unit above or
    below it. donations.services.transfer_record checks the rest."""

    source = ScopedRelatedField(Fund, help_text=_("The fund the money leaves: one of the caller's unit."))
    destination = ScopedRelatedField(Fund, scope=_funds_to_pay_into, help_text=_(
        "The fund the money goes into: one of a unit above or below the source's."))
    amount = WholeDongField()
    happened_on = serializers.DateField()
    earmark = serializers.ChoiceField(choices=Earmark.choices, default=Earmark.NONE)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# -- funds ----------------------------------------------------------------------------------------


class FundListSerializer(serializers.ModelSerializer):
    """A fund and what it holds, summed from its lines."""

    unit = UnitRefSerializer(read_only=True)
    balance = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = ["id", "name", "kind", "unit", "balance"]

    def get_balance(self, fund) -> int:
        return self.context["balances"][fund.pk]


class FundSerializer(FundListSerializer):
    """One fund: its balance, and its balance per earmark."""

    balance_by_earmark = serializers.SerializerMethodField()

    class Meta(FundListSerializer.Meta):
        fields = [*FundListSerializer.Meta.fields, "balance_by_earmark", "created_at"]

    def get_balance(self, fund) -> int:
        return sum(self.context["earmark_balances"].values())

    @extend_schema_field(EarmarkAmountsSerializer)
    def get_balance_by_earmark(self, fund):
        return dict(self.context["earmark_balances"])


class EntryPostingSerializer(serializers.ModelSerializer):
    reversed_by = serializers.SerializerMethodField(help_text=_("The posting that reverses this one, if any."))

    class Meta:
        model = Posting
        fields = ["id", "kind", "happened_on", "description", "reverses", "reversed_by"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_reversed_by(self, posting):
        return _reversed_by(posting)


class EntryReceiptSerializer(DocumentRefSerializer):
    donor = DonorRefSerializer(read_only=True)


class EntrySerializer(serializers.ModelSerializer):
    """One line of a fund: money in (positive) or out (negative) of one earmark, with the posting
    it belongs to and the receipt or decision behind it."""

    posting = EntryPostingSerializer(read_only=True)
    receipt = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    household = HouseholdRefSerializer(read_only=True, allow_null=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, allow_blank=True, read_only=True)

    class Meta:
        model = PostingLine
        fields = ["id", "posting", "receipt", "decision", "earmark", "amount", "purpose", "description",
                  "household", "case"]

    @extend_schema_field(EntryReceiptSerializer(allow_null=True))
    def get_receipt(self, line):
        receipt = getattr(line.posting, "receipt", None)
        if receipt is None:
            return None
        donor = receipt.donor
        return {"id": receipt.pk, "number": receipt.number,
                "donor": {"id": donor.pk, "name": donor.name, "kind": donor.kind}}

    @extend_schema_field(DocumentRefSerializer(allow_null=True))
    def get_decision(self, line):
        return _document(line.posting, "decision")


# -- donors ---------------------------------------------------------------------------------------


class DonorSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Donor
        fields = ["id", "unit", "kind", "member_organisation", "name", "tax_code", "phone", "address", "anonymous",
                  "note", "created_by", "created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_created_by(self, donor) -> str:
        return user_name(donor.created_by)


class DonorWriteSerializer(serializers.ModelSerializer):
    """A donor's own fields; the unit is the caller's. The rules are donations.services'."""

    class Meta:
        model = Donor
        fields = list(DONOR_FIELDS)
        validators = []


class DonorCreateSerializer(DonorWriteSerializer):
    duplicates_checked = serializers.BooleanField(
        required=False, default=False, write_only=True,
        help_text=_("Set once the likely duplicates the first request answered with have been checked."),
    )

    class Meta(DonorWriteSerializer.Meta):
        fields = [*DONOR_FIELDS, "duplicates_checked"]


class DuplicateDonorSerializer(serializers.ModelSerializer):
    """A donor of the caller's units that looks like the one being entered."""

    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Donor
        fields = ["id", "name", "kind", "unit", "tax_code", "phone"]


class DuplicateDonorsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    duplicates = DuplicateDonorSerializer(many=True)


# -- campaigns and pledges --------------------------------------------------------------------------


class CampaignProgressSerializer(serializers.Serializer):
    """Against the target: money pledged, money received (receipts that stand), and what of the
    received money was spent, by purpose, wherever it was passed on to."""

    target = serializers.IntegerField(read_only=True)
    pledged = serializers.IntegerField(read_only=True)
    received = serializers.IntegerField(read_only=True)
    received_share = serializers.IntegerField(read_only=True, help_text=_(
        "Received, as a whole percentage of the target (0 without a target)."))
    spent = serializers.IntegerField(read_only=True)
    spent_by_purpose = serializers.SerializerMethodField()
    left = serializers.IntegerField(read_only=True)

    @extend_schema_field(PurposeAmountsSerializer)
    def get_spent_by_purpose(self, progress):
        return {purpose: progress.spent_by_purpose.get(purpose, 0) for purpose in Purpose.values}


class CampaignSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    fund = serializers.SerializerMethodField(help_text=_(
        "The fund its money goes into; null when it is a fund of a unit above the caller's."))
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "name", "code", "kind", "unit", "fund", "earmark", "starts_on", "ends_on", "target",
                  "description", "created_by", "created_at"]

    @extend_schema_field(FundRefSerializer(allow_null=True))
    def get_fund(self, campaign):
        return _fund_ref(campaign.fund) if campaign.fund_seen else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_created_by(self, campaign) -> str:
        return user_name(campaign.created_by)


class CampaignDetailSerializer(CampaignSerializer):
    """One campaign with its progress."""

    progress = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "progress"]

    @extend_schema_field(CampaignProgressSerializer)
    def get_progress(self, campaign):
        return CampaignProgressSerializer(self.context["progress"]).data


class CampaignWriteSerializer(serializers.ModelSerializer):
    """A campaign's own fields. Its fund must be one of the caller's unit (donations.services)."""

    fund = ScopedRelatedField(Fund, help_text=_("The fund its money goes into."))
    target = WholeDongField(min_value=0, required=False)

    class Meta:
        model = Campaign
        fields = list(CAMPAIGN_FIELDS)
        # Uniqueness of the code and the dates' order are checked by full_clean in the services.
        validators = []
        extra_kwargs = {"code": {"validators": []}}


class PledgeSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    campaign = CampaignRefSerializer(read_only=True)
    donor = DonorRefSerializer(read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = ["id", "unit", "campaign", "donor", "amount", "pledged_on", "note", "recorded_by", "recorded_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, pledge) -> str:
        return user_name(pledge.recorded_by)


class PledgeDetailSerializer(PledgeSerializer):
    outstanding = serializers.SerializerMethodField(help_text=_(
        "What is left to settle: the amount less the receipts that settle it and stand."))

    class Meta(PledgeSerializer.Meta):
        fields = [*PledgeSerializer.Meta.fields, "outstanding"]

    def get_outstanding(self, pledge) -> int:
        return self.context["outstanding"]


class PledgeWriteSerializer(serializers.Serializer):
    campaign = ScopedRelatedField(Campaign)
    donor = ScopedRelatedField(Donor)
    amount = WholeDongField()
    pledged_on = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# -- receipts -------------------------------------------------------------------------------------


class SoftCreditSerializer(serializers.ModelSerializer):
    """A person an agency's receipt lists as having given (the agency holds the credit)."""

    name = serializers.CharField(max_length=255)
    amount = WholeDongField(required=False, allow_null=True, default=None)

    class Meta:
        model = SoftCredit
        fields = ["name", "amount"]


class ReceiptListSerializer(serializers.ModelSerializer):
    fund = FundRefSerializer(read_only=True)
    donor = DonorRefSerializer(read_only=True)
    campaign = CampaignRefSerializer(read_only=True, allow_null=True)
    reversed_by = serializers.SerializerMethodField(help_text=_(
        "The posting that reverses the receipt's, if any: a reversed receipt counts for nothing."))

    class Meta:
        model = Receipt
        fields = ["id", "number", "fund", "happened_on", "donor", "amount", "method", "bank_reference", "campaign",
                  "earmark", "posting", "reversed_by"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_reversed_by(self, receipt):
        return _reversed_by(receipt.posting)


class SpentSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices, read_only=True)
    amount = serializers.IntegerField(read_only=True)
    fund = FundRefSerializer(read_only=True, help_text=_("The fund that paid."))
    household = HouseholdRefSerializer(read_only=True, allow_null=True)
    case = serializers.IntegerField(read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)


class SpentElsewhereSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices, read_only=True)
    households = serializers.IntegerField(read_only=True, help_text=_("How many households it reached."))
    amount = serializers.IntegerField(read_only=True)


class HeldSerializer(serializers.Serializer):
    fund = FundRefSerializer(read_only=True)
    earmark = serializers.ChoiceField(choices=Earmark.choices, read_only=True)
    amount = serializers.IntegerField(read_only=True)


class TrailSerializer(serializers.Serializer):
    """Where the receipt's money went (through any transfers): what it paid for and what of it
    each fund still holds. Payments and funds outside the caller's units are only counted."""

    spent = SpentSerializer(many=True, read_only=True)
    spent_elsewhere = SpentElsewhereSerializer(many=True, read_only=True, help_text=_(
        "Paid out by funds or to households outside the caller's units, by purpose."))
    held = HeldSerializer(many=True, read_only=True)
    held_elsewhere = serializers.IntegerField(read_only=True, help_text=_(
        "Still held by funds outside the caller's units."))

    def to_representation(self, trail):
        return {
            "spent": [{"purpose": row.purpose, "amount": row.amount, "fund": _fund_ref(trail.funds[row.fund_id]),
                       "household": _household_ref(trail.households.get(row.household_id)), "case": row.case_id,
                       "description": row.description} for row in trail.spent],
            "spent_elsewhere": [{"purpose": row.purpose, "households": row.households, "amount": row.amount}
                                for row in trail.spent_elsewhere],
            "held": [{"fund": _fund_ref(trail.funds[fund_id]), "earmark": earmark, "amount": amount}
                     for (fund_id, earmark), amount in sorted(trail.held.items())],
            "held_elsewhere": trail.held_elsewhere,
        }


class ReceiptSerializer(ReceiptListSerializer):
    """One receipt, with the amount in words as it prints, and where its money went."""

    amount_in_words = serializers.SerializerMethodField()
    soft_credits = SoftCreditSerializer(many=True, read_only=True)
    recorded_by = serializers.SerializerMethodField()
    trail = serializers.SerializerMethodField()

    class Meta(ReceiptListSerializer.Meta):
        fields = [*ReceiptListSerializer.Meta.fields, "amount_in_words", "in_kind_description", "pledge", "note",
                  "attached_documents", "soft_credits", "recorded_by", "recorded_at", "trail"]

    def get_amount_in_words(self, receipt) -> str:
        return amount_in_words(receipt.amount)

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, receipt) -> str:
        return user_name(receipt.recorded_by)

    @extend_schema_field(TrailSerializer)
    def get_trail(self, receipt):
        return TrailSerializer(self.context["trail"]).data


class ReceiptWriteSerializer(serializers.Serializer):
    """Money (or goods, valued in đồng) received into a fund of the caller's unit. The number is
    given by the fund's series for the year of ``happened_on``."""

    fund = ScopedRelatedField(Fund)
    donor = ScopedRelatedField(Donor)
    amount = WholeDongField()
    happened_on = serializers.DateField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices, default=PaymentMethod.CASH)
    earmark = serializers.ChoiceField(choices=Earmark.choices, default=Earmark.NONE)
    bank_reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                           help_text=_("Required for a bank transfer."))
    in_kind_description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                                help_text=_("Required for goods: what was given."))
    campaign = ScopedRelatedField(Campaign, required=False, allow_null=True, default=None)
    pledge = ScopedRelatedField(Pledge, required=False, allow_null=True, default=None,
                                help_text=_("The donor's pledge this receipt settles, all or part of it."))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    attached_documents = serializers.IntegerField(min_value=0, max_value=999, required=False, default=0)
    soft_credits = SoftCreditSerializer(many=True, required=False, default=list)

    def service_arguments(self) -> dict:
        attrs = dict(self.validated_data)
        attrs["soft_credits"] = [(credit["name"], credit.get("amount")) for credit in attrs["soft_credits"]]
        return attrs


# -- spending decisions ---------------------------------------------------------------------------


class PaymentSerializer(serializers.Serializer):
    """One line of a decision: to a household of the fund's unit, into another fund, or to a work
    or recipient described in words (the work and its place)."""

    amount = WholeDongField()
    purpose = serializers.ChoiceField(choices=Purpose.choices, allow_blank=True, help_text=_(
        "What the money is spent on; empty (in an answer) for money passed into another fund."))
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    household = ScopedRelatedField(Household, required=False, allow_null=True, default=None)
    destination = ScopedRelatedField(Fund, scope=_funds_to_pay_into, required=False, allow_null=True,
                                     default=None, help_text=_("Another fund, when the money is passed on."))
    case = ScopedRelatedField(HousingCase, required=False, allow_null=True, default=None,
                              help_text=_("The house case paid for, if any."))


class PaymentShownSerializer(serializers.Serializer):
    amount = serializers.IntegerField(read_only=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, allow_blank=True, read_only=True)
    description = serializers.CharField(read_only=True)
    household = HouseholdRefSerializer(read_only=True, allow_null=True)
    destination = FundRefSerializer(read_only=True, allow_null=True)
    case = serializers.IntegerField(read_only=True, allow_null=True)


def decision_payments(decision) -> tuple[list[dict], int]:
    """The payments of ``decision`` read back from its posting's lines, and how many of them the
    caller may not see. `services.decision_record` writes each payment as two lines, in order: the
    decision's fund paying out, then the recipient's side or the fund it goes into."""
    lines = list(decision.posting.lines.all())
    shown, hidden = [], 0
    for paid, other in zip(lines[::2], lines[1::2], strict=False):
        if not (line_is_seen(paid) and line_is_seen(other)):
            hidden += 1
            continue
        shown.append({"amount": -paid.amount, "purpose": paid.purpose, "description": paid.description,
                      "household": _household_ref(paid.household),
                      "destination": _fund_ref(other.fund) if other.fund_id else None, "case": paid.case_id})
    return shown, hidden


class DecisionListSerializer(serializers.ModelSerializer):
    fund = FundRefSerializer(read_only=True)
    total = serializers.SerializerMethodField(help_text=_("What the decision paid out of the fund."))
    reversed_by = serializers.SerializerMethodField(help_text=_("The posting that reverses the decision's, if any."))

    class Meta:
        model = SpendingDecision
        fields = ["id", "number", "fund", "decided_on", "signer", "earmark", "total", "posting", "reversed_by"]

    def get_total(self, decision) -> int:
        return -decision.fund_total

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_reversed_by(self, decision):
        return _reversed_by(decision.posting)


class DecisionSerializer(DecisionListSerializer):
    """One decision with its payments."""

    payments = serializers.SerializerMethodField()
    payments_not_shown = serializers.SerializerMethodField(help_text=_(
        "Payments to a household or a fund outside the caller's units: counted, not shown."))
    recorded_by = serializers.SerializerMethodField()

    class Meta(DecisionListSerializer.Meta):
        fields = [*DecisionListSerializer.Meta.fields, "payments", "payments_not_shown", "recorded_by",
                  "recorded_at"]

    @extend_schema_field(PaymentShownSerializer(many=True))
    def get_payments(self, decision):
        return decision_payments(decision)[0]

    def get_payments_not_shown(self, decision) -> int:
        return decision_payments(decision)[1]

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, decision) -> str:
        return user_name(decision.recorded_by)


class DecisionWriteSerializer(serializers.Serializer):
    """A spending decision of a fund of the caller's unit, paying each of its payments out of the
    earmark; refused whole when the earmark cannot pay them all."""

    fund = ScopedRelatedField(Fund)
    number = serializers.CharField(max_length=64, allow_blank=True, help_text=_("e.g. 15/QĐ-MTTQ"))
    decided_on = serializers.DateField()
    signer = serializers.CharField(max_length=255, allow_blank=True)
    earmark = serializers.ChoiceField(choices=Earmark.choices, default=Earmark.NONE)
    payments = PaymentSerializer(many=True)

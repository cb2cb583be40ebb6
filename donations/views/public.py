"""The public disclosure pages (công khai): a unit's funds and a campaign, open to everyone without
signing in, and the search by which a donor checks that their money arrived.

They publish only what `donations.disclosure` reads: no personal data of anyone helped. They will
be linked from social media, so a page is built once and then served from the cache for
`PAGE_TIMEOUT` (its figures say when they were read): the figures of a unit or campaign are
cached once for every language, the rendered body once per language and page of donors. A
request served from the cache reads nothing from the database. The search is not cached: it
answers only an exact receipt number or bank reference, from the indexes of those columns.
"""

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import BootstrapMixin

from .. import disclosure
from ..choices import DonorKind, FundKind, PaymentMethod, Purpose
from ..models import Campaign

# How long a page's figures are served before they are read again: short enough that a donor
# finds a receipt recorded this morning, long enough that a post shared widely costs one read.
PAGE_TIMEOUT = 5 * 60
# In every key: a page cached by the previous release is not read as this one's figures.
KEY_PREFIX = "disclosure:v1"
CAMPAIGN_CODE_LENGTH = Campaign._meta.get_field("code").max_length
PAGE_TEMPLATE = "donations/public/page.html"


class ReceiptSearchForm(BootstrapMixin, forms.Form):
    """What a donor types to find their receipt: its number, or the bank's reference of their
    transfer. Matched exactly (`disclosure.find_receipts`)."""

    q = forms.CharField(
        label=gettext_lazy("Receipt number or bank reference"), max_length=disclosure.SEARCH_LENGTH,
        help_text=gettext_lazy("As printed on your receipt (PT-2025-000123) or on your bank's statement."),
        error_messages={
            "required": gettext_lazy("Enter the number of your receipt or the bank reference of your transfer."),
            "max_length": gettext_lazy("A receipt number or a bank reference has at most %(limit_value)d "
                                       "characters."),
        },
    )


def _cached(key: str, build):
    """The value cached under ``key``, or ``build()``'s, cached for `PAGE_TIMEOUT`."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, PAGE_TIMEOUT)
    return value


def _page_number(request, pages: int) -> int:
    """The page of donors asked for, within 1 and ``pages``: anything else is the first or the
    last page (so the cache holds no more bodies than there are pages)."""
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), pages)


def _labelled(choices, values: dict[str, int]) -> list[tuple[str, int]]:
    """(label, amount) of each of ``values``, in the order the choices are declared."""
    order = {value: index for index, value in enumerate(choices.values)}
    return [(str(choices(value).label) if value in order else value, amount)
            for value, amount in sorted(values.items(), key=lambda item: order.get(item[0], len(order)))]


def _donor_rows(donors: list[disclosure.DonorTotal]) -> list[dict]:
    return [{"name": donor.name if not donor.anonymous else _("An anonymous donor"), "anonymous": donor.anonymous,
             "kind": DonorKind(donor.kind).label if donor.kind in DonorKind.values else donor.kind,
             "gifts": donor.gifts, "amount": donor.amount} for donor in donors]


def _respond(request, *, title: str, body: str, status: int = 200):
    # ``body`` is our own template's output, escaped as it was rendered.
    safe_body = mark_safe(body)  # noqa: S308
    return render(request, PAGE_TEMPLATE, {"title": title, "body": safe_body}, status=status)


# -- a unit's page ---------------------------------------------------------------------------------


@login_not_required
@require_GET
def unit_page(request, pk):
    """A unit's funds, published: balances, donors, spending by purpose and by the units below,
    households helped (counted only), and the unit's campaigns."""
    def figures():
        return disclosure.unit_disclosure(get_object_or_404(AdministrativeUnit, pk=pk))

    summary = _cached(f"{KEY_PREFIX}:unit:{pk}", figures)
    page = _page_number(request, summary.donor_pages)
    language = translation.get_language()

    def body():
        # within_q reads only the unit's id and level: no need to read its row again.
        unit = AdministrativeUnit(pk=summary.unit_id, level=summary.level)
        donors = disclosure.donor_totals(disclosure.unit_receipts(unit), page=page)
        return render_to_string("donations/public/unit_body.html", {
            "summary": summary, "donors": _donor_rows(donors), "page": page,
            "first_donor": (page - 1) * disclosure.DONORS_PER_PAGE,
            "funds": [(fund.name, FundKind(fund.kind).label if fund.kind in FundKind.values else fund.kind,
                       fund.balance) for fund in summary.funds],
            "purposes": _labelled(Purpose, summary.spent_by_purpose),
            "computed_at": timezone.localtime(summary.computed_at),
            "form": ReceiptSearchForm(), "search_url": _unit_search_url(summary.unit_id),
        })

    return _respond(request, title=_("Public disclosure: %(unit)s") % {"unit": summary.name},
                    body=_cached(f"{KEY_PREFIX}:unit:{pk}:{page}:{language}", body))


def _unit_search_url(pk: int) -> str:
    return reverse("disclosure:unit-receipts", args=[pk])


# -- a campaign's page -----------------------------------------------------------------------------


def _campaign_key(code: str) -> str:
    # Codes are letters and digits, but the URL may carry anything: quoted, the key stays plain.
    return f"{KEY_PREFIX}:campaign:{quote(code, safe='')}"


def _campaign_code(code: str) -> str:
    """The campaign code of the URL as codes are kept (upper case); 404 for one no campaign has."""
    code = code.strip().upper()
    if not code or len(code) > CAMPAIGN_CODE_LENGTH:
        raise Http404
    return code


def _campaign_of(code: str) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("unit", "fund"), code=_campaign_code(code))


@login_not_required
@require_GET
def campaign_page(request, code):
    """A campaign, published: target, pledged, received, spent by purpose and where, households
    helped (counted only), and its donors."""
    code = _campaign_code(code)
    summary = _cached(_campaign_key(code), lambda: disclosure.campaign_disclosure(_campaign_of(code)))
    page = _page_number(request, summary.donor_pages)
    language = translation.get_language()

    def body():
        donors = disclosure.donor_totals(disclosure.campaign_receipts(Campaign(pk=summary.campaign_id)), page=page)
        return render_to_string("donations/public/campaign_body.html", {
            "summary": summary, "progress": summary.progress, "donors": _donor_rows(donors), "page": page,
            "first_donor": (page - 1) * disclosure.DONORS_PER_PAGE,
            "purposes": _labelled(Purpose, summary.progress.spent_by_purpose),
            "computed_at": timezone.localtime(summary.computed_at),
            "form": ReceiptSearchForm(), "search_url": _campaign_search_url(summary.code),
        })

    return _respond(request, title=_("Public disclosure: %(campaign)s") % {"campaign": summary.name},
                    body=_cached(f"{_campaign_key(code)}:{page}:{language}", body))


def _campaign_search_url(code: str) -> str:
    return reverse("disclosure:campaign-receipts", args=[code])


# -- a donor checks their receipt -------------------------------------------------------------------


def _search(request, *, receipts, where: str, back_url: str, search_url: str):
    """The search form and, for a valid search, the receipts found; bad input (nothing typed,
    too long) is answered with the form's message, and nothing else is read."""
    form = ReceiptSearchForm(request.GET if "q" in request.GET else None)
    found = None
    if form.is_valid():
        found = [{"receipt": receipt, "method": PaymentMethod(receipt.method).label,
                  "purposes": _labelled(Purpose, receipt.spent_by_purpose)}
                 for receipt in disclosure.find_receipts(receipts, form.cleaned_data["q"])]
    body = render_to_string("donations/public/receipt_search.html", {
        "form": form, "found": found, "where": where, "back_url": back_url, "search_url": search_url,
        "at_most": disclosure.FOUND_AT_MOST,
    })
    return _respond(request, title=_("Check a receipt: %(where)s") % {"where": where}, body=body,
                    status=400 if form.is_bound and not form.is_valid() else 200)


@login_not_required
@require_GET
def unit_receipt_search(request, pk):
    """Find a receipt of the unit's funds (or of the units below) by its number or bank reference."""
    unit = get_object_or_404(AdministrativeUnit.objects.only("pk", "name", "level"), pk=pk)
    return _search(request, receipts=disclosure.unit_search_scope(unit), where=unit.name,
                   back_url=reverse("disclosure:unit", args=[unit.pk]), search_url=_unit_search_url(unit.pk))


@login_not_required
@require_GET
def campaign_receipt_search(request, code):
    """Find a receipt of the campaign by its number or bank reference."""
    campaign = _campaign_of(code)
    return _search(request, receipts=disclosure.campaign_search_scope(campaign), where=campaign.name,
                   back_url=reverse("disclosure:campaign", args=[campaign.code]),
                   search_url=_campaign_search_url(campaign.code))

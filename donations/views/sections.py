"""What the donor and campaign pages share: a section of a detail page paged on its own."""

from django.core.paginator import Page, Paginator

SECTION_SIZE = 20


def section_page(request, rows, param: str, per_page: int = SECTION_SIZE) -> Page:
    """One page of ``rows`` (a queryset in its order), turned by the query parameter ``param``, so
    that a page with two lists (receipts, pledges) turns each without the other."""
    return Paginator(rows, per_page).get_page(request.GET.get(param))

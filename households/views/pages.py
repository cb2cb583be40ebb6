"""The household pages: list, register, detail with its sections, edit, annual review.

Every view reads households through `visible_to` (ScopedQuerysetMixin or `_household_for`),
so an out-of-scope household answers 404 like a missing one; every write goes through
households.services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from frontwelfare.accounts.choices import Role
from frontwelfare.paging import CountedPaginator
from frontwelfare.submissions import made_once, submit_once
from frontwelfare.views import ScopedQuerysetMixin

from .. import services
from ..choices import POVERTY_CATEGORIES, Category, Classification, Relation
from ..filters import HouseholdFilterSet, categories_year, households_in_name_order
from ..forms import (
    REVIEW_CHOICES,
    AssessmentForm,
    ConfirmAssessmentForm,
    HouseholdForm,
    MemberForm,
    MemberFormSet,
    PolicyTypesForm,
    ReviewDecisionForm,
    StatusForm,
)
from ..models import Household, HouseholdStatus, Member, PovertyAssessment
from ..permissions import can_edit_households_of, can_see_full_citizen_ids_of, mask_citizen_id, may_assign_hamlets
from ..selectors import (
    PersonToCheck,
    category_counts,
    duplicates_to_confirm,
    household_history,
    household_list_count,
    likely_duplicates,
    status_years,
)
from ..timeline import household_timeline, totals_by_year


def _errors_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _household_for(request, pk: int, *, for_update: bool = False) -> Household:
    """The household ``pk`` if the user may see it (404 otherwise); with ``for_update``, the
    user must also be its commune's officer (403)."""
    household = get_object_or_404(Household.objects.visible_to(request.user).select_related("commune"), pk=pk)
    if for_update and not can_edit_households_of(request.user, household.commune):
        raise PermissionDenied
    return household


def _own_commune(request):
    """The commune a user registers households in: a commune officer's own."""
    unit = request.user.unit
    if not can_edit_households_of(request.user, unit):
        raise PermissionDenied
    return unit


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


class HouseholdListView(ScopedQuerysetMixin, ListView):
    """The registry within the viewer's scope, filtered, in Vietnamese name order, with the
    number of households per category (in the chosen year) above it.

    A constant number of queries at any scope, none reading every household in it: the rows come
    in the order of an index (migration 0006), the totals from the tallies or a bounded count
    (selectors.household_list_count), the members from each household's kept count."""

    model = Household
    filterset_class = HouseholdFilterSet
    paginate_by = 50
    template_name = "households/household_list.html"

    def get_queryset(self):
        # The communes of the page's rows in a query of their own: joined, PostgreSQL would join
        # every match of a search (5,000 across the country) to the units before keeping fifty.
        queryset = super().get_queryset().prefetch_related("commune")
        return households_in_name_order(queryset, by_index=not self._filters().get("q"))

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        list_count = household_list_count(user=self.request.user, households=queryset, filters=self._filters(),
                                          year=categories_year(self.request.GET),
                                          search_matches=self._search_matches(self.filterset))
        return CountedPaginator(queryset, per_page, list_count=list_count, orphans=orphans,
                                allow_empty_first_page=allow_empty_first_page, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = categories_year(self.request.GET)
        unfiltered_by_category = self._filtered_but_category()
        context.update(
            title=_("Households"),
            year=year,
            counts=category_counts(user=self.request.user, households=unfiltered_by_category.qs,
                                   filters=self._filters(), year=year,
                                   search_matches=self._search_matches(unfiltered_by_category)),
            can_register=can_edit_households_of(self.request.user, self.request.user.unit),
            may_assign_hamlets=may_assign_hamlets(self.request.user),
            current_categories=self._categories_of(context["object_list"], year),
            query_string=self.request.GET.urlencode(),
            show_commune=self.request.user.role != Role.COMMUNE_OFFICER,
            filters_applied=any(self.request.GET.get(name) for name in HouseholdFilterSet.base_filters if name != "q"),
        )
        return context

    def _filters(self) -> dict:
        """The filters applied, as the filter set cleaned them (an invalid one is left out, as the
        filter set leaves it out of the list)."""
        if not self.filterset.is_bound:
            return {}
        return {name: value for name, value in self.filterset.form.cleaned_data.items()
                if name not in self.filterset.form.errors}

    def _filtered_but_category(self) -> HouseholdFilterSet:
        """The list's filter set but for the category: the cards then count every category of
        what the other filters select, and choosing one category leaves the others' counts."""
        if not self._filters().get("category"):
            return self.filterset  # the list's own (its search, if any, already read)
        data = self.request.GET.copy()
        data.pop("category", None)
        data.pop("page", None)
        filterset = HouseholdFilterSet(data, queryset=self.get_base_queryset(), request=self.request)
        if not any(data.get(name) for name in HouseholdFilterSet.base_filters) or not filterset.is_valid():
            return HouseholdFilterSet(None, queryset=self.get_base_queryset(), request=self.request)
        return filterset

    @staticmethod
    def _search_matches(filterset: HouseholdFilterSet) -> list[int] | None:
        """The ids the filter set's search read, if it did (HouseholdFilterSet.search_matches)."""
        if filterset.is_bound:
            filterset.qs  # noqa: B018 (filters, the search included, run when qs is first read)
        return filterset.search_matches

    @staticmethod
    def _categories_of(households, year: int) -> dict[int, list[str]]:
        """The labels of the categories of the households of this page in ``year``: one query for
        the page, read as values (a province's list page is served dozens of times a second)."""
        labels = dict(Category.choices)
        categories: dict[int, list[str]] = {}
        statuses = HouseholdStatus.objects.filter(household_id__in=[household.pk for household in households],
                                                  year=year).order_by("category")
        for household_id, category in statuses.values_list("household_id", "category"):
            categories.setdefault(household_id, []).append(labels[category])
        return categories


class HouseholdCreateView(View):
    """Register a household with its members on one page. Likely duplicates in the district
    are shown before anything is saved; the officer must say they checked them."""

    template_name = "households/household_form.html"

    def get(self, request):
        commune = _own_commune(request)
        members = MemberFormSet(prefix="members", initial=[{"relation": Relation.HEAD}])
        return self._render(request, commune, HouseholdForm(), members, PolicyTypesForm())

    def post(self, request):
        commune = _own_commune(request)
        household, _first = submit_once(request, lambda: self._register(request, commune), page=True)
        if isinstance(household, HttpResponse):
            return household
        messages.success(request, _("Household %(code)s registered.") % {"code": household.code})
        return redirect("households:detail", pk=household.pk)

    def _register(self, request, commune) -> Household | HttpResponse:
        """The household registered, or the form again (errors, duplicates to check)."""
        form = HouseholdForm(request.POST)
        formset = MemberFormSet(request.POST, prefix="members")
        policies = PolicyTypesForm(request.POST)
        if not (form.is_valid() and formset.is_valid() and policies.is_valid()):
            return self._render(request, commune, form, formset, policies)
        members = formset.member_data()
        duplicates = duplicates_to_confirm(user=request.user, commune=commune, members=members,
                                           checked=bool(request.POST.get("duplicates_checked")))
        if duplicates:
            return self._render(request, commune, form, formset, policies, duplicates=duplicates)
        data = services.HouseholdData(
            members=members, policy_types=policies.cleaned_data["policy_types"],
            **{name: form.cleaned_data[name] for name in services.HOUSEHOLD_FIELDS},
        )
        try:
            return services.household_register(actor=request.user, commune=commune, data=data)
        except ValidationError as error:
            return self._render(request, commune, form, formset, policies, errors=_errors_of(error))

    def _render(self, request, commune, form, formset, policies, duplicates=(), errors=()):
        return render(request, self.template_name, {
            "title": _("Register a household"), "commune": commune, "form": form, "formset": formset,
            "policies": policies, "duplicates": duplicates, "errors": errors,
        }, status=400 if errors or (form.is_bound and not duplicates) else 200)


def member_form_row(request):
    """An empty member form for the registration page (htmx), numbered by the formset's count
    so far (``members-TOTAL_FORMS``, sent by the button, or ``index``); the answer also raises
    that count by one, out of band, so the page needs no script of its own."""
    _own_commune(request)
    try:
        index = max(0, min(int(request.GET.get("members-TOTAL_FORMS", request.GET.get("index", "0"))), 50))
    except ValueError:
        index = 0
    form = MemberFormSet(prefix="members").empty_form
    form.prefix = f"members-{index}"
    return render(request, "households/partials/member_form_row_added.html", {"form": form, "index": index})


class DuplicateCheckView(View):
    """Likely duplicates of the people typed so far on the registration page (htmx)."""

    def post(self, request):
        commune = _own_commune(request)
        formset = MemberFormSet(request.POST, prefix="members")
        people = []
        for form in formset.forms:
            name = (form.data.get(f"{form.prefix}-full_name") or "").strip()
            year = form.data.get(f"{form.prefix}-birth_year") or (form.data.get(f"{form.prefix}-birth_date") or "")[:4]
            citizen_id = (form.data.get(f"{form.prefix}-citizen_id") or "").strip()
            people.append(PersonToCheck(full_name=name, birth_year=int(year) if str(year).isdigit() else None,
                                        citizen_id=citizen_id if citizen_id.isdigit() else ""))
        duplicates = likely_duplicates(user=request.user, commune=commune, people=people)
        return render(request, "households/partials/duplicates.html", {"duplicates": duplicates, "live": True})


class HouseholdDetailView(ScopedQuerysetMixin, DetailView):
    model = Household
    template_name = "households/household_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("commune", "commune__district", "consent_recorded_by") \
            .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("id")), "policies")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        household = self.object
        user = self.request.user
        context.update(household_context(user, household))
        context.update(
            title=household.code,
            statuses_by_year=status_years(household=household),
            assessments=household.assessments.select_related("standard", "assessed_by", "confirmed_by"),
            **_support(household_timeline(household=household, user=user)),
            history=household_history(household=household, mask_ids=not can_see_full_citizen_ids_of(user, household)),
            status_form=StatusForm(),
            classifications=Classification.choices,
            policy_form=PolicyTypesForm(initial={"policy_types": [p.policy_type for p in household.policies.all()]}),
        )
        return context


def _support(timeline) -> dict:
    received = [entry for entry in timeline if entry.received]
    return {"support_received": received, "support_by_year": totals_by_year(received),
            "support_in_progress": [entry for entry in timeline if not entry.received]}


def household_context(user, household) -> dict:
    """What every household section needs: may the user edit it, and its members with their
    citizen IDs as this user may see them."""
    full_ids = can_see_full_citizen_ids_of(user, household)
    members = list(household.members.all())
    for member in members:
        member.shown_citizen_id = member.citizen_id if full_ids else mask_citizen_id(member.citizen_id)
    return {"household": household, "members": members, "can_edit": can_edit_households_of(user, household.commune)}


class HouseholdUpdateView(View):
    template_name = "households/household_edit.html"

    def get(self, request, pk):
        household = _household_for(request, pk, for_update=True)
        return self._render(request, household, HouseholdForm(instance=household))

    def post(self, request, pk):
        household = _household_for(request, pk, for_update=True)
        form = HouseholdForm(request.POST, instance=household)
        if not form.is_valid():
            return self._render(request, household, form, status=400)
        try:
            services.household_update(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(request, household, form, status=400)
        messages.success(request, _("Household %(code)s saved.") % {"code": household.code})
        return redirect("households:detail", pk=household.pk)

    def _render(self, request, household, form, status=200):
        household = get_object_or_404(Household.objects.visible_to(request.user).select_related("commune")
                                      .prefetch_related("members"), pk=household.pk)
        context = {"title": _("Edit household %(code)s") % {"code": household.code}, "form": form,
                   "member_form": MemberForm(), **household_context(request.user, household)}
        return render(request, self.template_name, context, status=status)


class _MembersSection(View):
    """Base of the htmx member actions: each answers with the members section redrawn."""

    def members_section(self, request, household, *, form=None, errors=(), status=200):
        household = get_object_or_404(Household.objects.visible_to(request.user)
                                      .select_related("commune", "commune__district")
                                      .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("id"))),
                                      pk=household.pk)
        context = {**household_context(request.user, household), "member_form": form, "errors": errors}
        if not _is_htmx(request):
            if status == 200:
                return redirect("households:detail", pk=household.pk)
            return render(request, "households/member_form_page.html", context, status=status)
        return render(request, "households/partials/members.html", context, status=status)


class MemberAddView(_MembersSection):
    def get(self, request, pk):
        household = _household_for(request, pk, for_update=True)
        template = "households/partials/members.html" if _is_htmx(request) else "households/member_form_page.html"
        return render(request, template, {**household_context(request.user, household), "member_form": MemberForm()})

    def post(self, request, pk):
        household = _household_for(request, pk, for_update=True)
        form = MemberForm(request.POST)
        if not form.is_valid():
            return self.members_section(request, household, form=form, status=400)
        try:
            made_once(request, lambda: services.member_add(actor=request.user, household=household,
                                                           data=form.member_data()))
        except ValidationError as error:
            return self.members_section(request, household, form=form, errors=_errors_of(error), status=400)
        return self.members_section(request, household)


def _member_for(request, pk: int) -> Member:
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("household__commune"), pk=pk)
    if not can_edit_households_of(request.user, member.household.commune):
        raise PermissionDenied
    return member


class MemberUpdateView(_MembersSection):
    template_name = "households/member_form_page.html"

    def get(self, request, pk):
        member = get_object_or_404(Member.objects.visible_to(request.user).select_related("household__commune"),
                                   pk=pk)
        household = member.household
        context = household_context(request.user, household)
        if not context["can_edit"]:
            raise PermissionDenied
        return render(request, self.template_name, {**context, "member_form": MemberForm(instance=member),
                                                    "member": member})

    def post(self, request, pk):
        member = _member_for(request, pk)
        form = MemberForm(request.POST, instance=member)
        if form.is_valid():
            try:
                services.member_update(actor=request.user, member=member, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            context = {**household_context(request.user, member.household), "member_form": form, "member": member}
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("%(name)s saved.") % {"name": member.full_name})
        return redirect("households:detail", pk=member.household_id)


class MemberRemoveView(_MembersSection):
    def post(self, request, pk):
        member = _member_for(request, pk)
        try:
            services.member_remove(actor=request.user, member=member)
        except ValidationError as error:
            if not _is_htmx(request):
                messages.error(request, " ".join(_errors_of(error)))
                return redirect("households:detail", pk=member.household_id)
            return self.members_section(request, member.household, errors=_errors_of(error), status=400)
        return self.members_section(request, member.household)


class MemberMakeHeadView(_MembersSection):
    def post(self, request, pk):
        member = _member_for(request, pk)
        services.member_make_head(actor=request.user, member=member)
        messages.info(request, _("%(name)s is now the head of household. Check the other members' relation.")
                      % {"name": member.full_name})
        return redirect("households:detail", pk=member.household_id)


class StatusAddView(View):
    def post(self, request, pk):
        household = _household_for(request, pk, for_update=True)
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                made_once(request, lambda: services.status_record(actor=request.user, household=household,
                                                                  **form.cleaned_data))
                messages.success(request, _("Status recorded."))
            except ValidationError as error:
                messages.error(request, " ".join(_errors_of(error)))
        else:
            messages.error(request, _("The status was not recorded: %(errors)s") % {"errors": _form_errors(form)})
        return redirect(reverse("households:detail", args=[household.pk]) + "#statuses")


def _form_errors(form) -> str:
    return "; ".join(f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".lstrip(": ")
                     for name, errors in form.errors.items())


class StatusRemoveView(View):
    def post(self, request, pk):
        status = get_object_or_404(HouseholdStatus.objects.visible_to(request.user).select_related("household"),
                                   pk=pk)
        household = _household_for(request, status.household_id, for_update=True)
        services.status_remove(actor=request.user, status=status)
        messages.success(request, _("Status removed."))
        return redirect(reverse("households:detail", args=[household.pk]) + "#statuses")


class PolicyTypesView(View):
    def post(self, request, pk):
        household = _household_for(request, pk, for_update=True)
        form = PolicyTypesForm(request.POST)
        if form.is_valid():
            services.policy_types_set(actor=request.user, household=household,
                                      policy_types=form.cleaned_data["policy_types"])
            messages.success(request, _("Policy types saved."))
        else:
            messages.error(request, _form_errors(form))
        return redirect("households:detail", pk=household.pk)


class AssessmentAddView(View):
    """Record a survey; the page then shows the classification the standard proposes."""

    template_name = "households/assessment_form.html"

    def get(self, request, pk):
        household = _household_for(request, pk, for_update=True)
        standard = self._standard(timezone.localdate())
        form = AssessmentForm(indicators=standard.indicators if standard else None)
        return self._render(request, household, form, standard)

    def post(self, request, pk):
        household = _household_for(request, pk, for_update=True)
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                assessment = made_once(request, lambda: services.assessment_record(
                    actor=request.user, household=household, **form.cleaned_data))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Assessment recorded: the standard proposes “%(classification)s”.")
                                 % {"classification": assessment.get_proposed_display()})
                return redirect(reverse("households:detail", args=[household.pk]) + "#assessments")
        return self._render(request, household, form, self._standard(timezone.localdate()), status=400)

    @staticmethod
    def _standard(on):
        try:
            return services.poverty_standard_in_force(on=on)
        except ValidationError:
            return None

    def _render(self, request, household, form, standard, status=200):
        return render(request, self.template_name, {
            "title": _("Poverty assessment"), "household": household, "form": form, "standard": standard,
            "area_kind": services.area_kind_of(household.commune),
        }, status=status)


class AssessmentConfirmView(View):
    def post(self, request, pk):
        assessment = get_object_or_404(PovertyAssessment.objects.visible_to(request.user), pk=pk)
        household = _household_for(request, assessment.household_id, for_update=True)
        form = ConfirmAssessmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the classification to confirm."))
        else:
            services.assessment_confirm(actor=request.user, assessment=assessment,
                                        classification=form.cleaned_data["classification"])
            messages.success(request, _("Classification confirmed."))
        return redirect(reverse("households:detail", args=[household.pk]) + "#assessments")


class AnnualReviewView(View):
    """This year's poverty status of the commune's households, set many at once under one
    decision, with last year's status and this year's assessment beside each."""

    template_name = "households/annual_review.html"
    page_size = 200

    def get(self, request):
        return self._render(request, ReviewDecisionForm())

    def post(self, request):
        commune = _own_commune(request)
        form = ReviewDecisionForm(request.POST)
        year = self._year(request)
        if not form.is_valid():
            return self._render(request, form, status=400)
        ids = [int(key.removeprefix("category_")) for key in request.POST if key.startswith("category_")
               and key.removeprefix("category_").isdigit()]
        households = {h.pk: h for h in Household.objects.visible_to(request.user).filter(commune=commune, pk__in=ids)}
        if len(households) != len(set(ids)):
            raise Http404
        entries = [
            services.ReviewEntry(household=households[pk], category=request.POST[f"category_{pk}"])
            for pk in ids if request.POST[f"category_{pk}"] != request.POST.get(f"was_{pk}", "")
        ]
        try:
            changed = services.annual_review_record(actor=request.user, commune=commune, year=year, entries=entries,
                                                    **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(request, form, status=400)
        messages.success(request, _("%(count)s households updated for %(year)s.") % {"count": changed, "year": year})
        return redirect(f"{reverse('households:review')}?year={year}&hamlet={request.GET.get('hamlet', '')}")

    @staticmethod
    def _year(request) -> int:
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        return max(2000, min(year, 2100))

    def _render(self, request, form, status=200):
        commune = _own_commune(request)
        year = self._year(request)
        hamlet = request.GET.get("hamlet", "").strip()
        households = Household.objects.visible_to(request.user).filter(commune=commune)
        if hamlet:
            households = households.filter(hamlet__icontains=hamlet)
        households = list(households_in_name_order(households)[: self.page_size])
        rows = _review_rows(households, year)
        if request.method == "POST":  # a refused review shows the choices made, not the presets again
            for row in rows:
                row["preset"] = request.POST.get(f"category_{row['household'].pk}", row["preset"])
        return render(request, self.template_name, {
            "title": _("Annual review"), "form": form, "year": year, "hamlet": hamlet, "rows": rows,
            "choices": REVIEW_CHOICES, "commune": commune, "truncated": len(households) == self.page_size,
        }, status=status)


def _review_rows(households, year: int) -> list[dict]:
    """Per household: last year's and this year's poverty category and this year's latest
    assessment. Three queries for the whole page."""
    statuses = HouseholdStatus.objects.filter(household__in=households, year__in=[year - 1, year],
                                              category__in=POVERTY_CATEGORIES)
    by_key = {(s.household_id, s.year): s for s in statuses}
    assessments = {}
    for assessment in PovertyAssessment.objects.filter(household__in=households, assessed_on__year=year) \
            .order_by("household_id", "assessed_on", "id"):
        assessments[assessment.household_id] = assessment
    rows = []
    for household in households:
        last_year, this_year = by_key.get((household.pk, year - 1)), by_key.get((household.pk, year))
        # Poor or near-poor stays so until the commune decides otherwise; a household that
        # escaped poverty last year is simply not poor this year.
        kept = last_year.category if last_year and last_year.category in KEPT_FROM_LAST_YEAR else ""
        rows.append({
            "household": household, "last_year": last_year, "this_year": this_year,
            "assessment": assessments.get(household.pk), "kept": kept,
            # The select starts at what is recorded for the year, or else at last year's status.
            "preset": this_year.category if this_year else kept,
        })
    return rows


KEPT_FROM_LAST_YEAR = (Category.POOR, Category.NEAR_POOR)


"""`make bench`, annual part (issue 16): the annual report of a province.

The data set, in a database of its own (tests/bench.py runs this part like ``province``): Bến Tre
with about 120,000 households (tests/bench_national.py's generator, statuses for three years, plus
the housing part's 20,000 cases with their households), the cases' steps, 1,000,000 ledger lines over
the report's year and the one before (tests/bench_donations.py's ledger), ANNUAL_MODELS typical
models with their steps over the two years, member organisations with their members and activities,
and support batches delivered to households in both years. Loaded in bulk (SQL, COPY, bulk_create),
not through the services; then the registry's kept counts are derived (registry_rebuild) as an
operator would after a bulk load.

Timed: the annual report of the province for the year (the year most of the last twelve months fall
in: the housing part's cases are dated back from today), in every format (`ReportFormat`), made as
the worker makes it (`report_build`) and beside its bare SQL (its statements, captured and run again
from a plain cursor: tests/bench_reports.timed_build). Targets: under TARGET_SECONDS and under
TIMES_BARE_SQL times the bare SQL. Each section is also timed alone (both periods), to name the slow one.

The kind is the year-end report (frontwelfare/reports/annual.py): each section computed for the
period and for the same period a year before.
"""

import datetime
import os
import random
import time
from collections import Counter

from django.db import connection, transaction

PROVINCE = "83"  # Bến Tre before the July 2025 reform: the demo's province
ANNUAL_MODELS = 2_000
ORGANISATION_KINDS_PER_COMMUNE = 3
ACTIVITIES = 4_000
HOUSEHOLDS_PER_ACTIVITY = (0, 30)
SUPPORT_RECIPIENTS = 20_000
TARGET_SECONDS = 30
TIMES_BARE_SQL = 2


def report_year(today: datetime.date) -> int:
    """The year the report is about: the one most of the last twelve months fall in."""
    return (today - datetime.timedelta(days=182)).year


def annual_kind():
    """The year-end report's kind (frontwelfare.reports.annual)."""
    from frontwelfare.reports import registry
    from frontwelfare.reports.annual import ANNUAL_REPORT

    return registry.kind(ANNUAL_REPORT)


# -- the data set -------------------------------------------------------------------------------------


# The states a case reaches after its approval.
APPROVED_STATES = ("approved", "construction_started", "completed", "handed_over")


def case_steps() -> int:
    """The steps of every case without any, from the dates it holds: proposed (on the day it was
    entered, or its survey's if earlier), surveyed, approved or rejected (a few days after the survey),
    construction started, completed, handed over, cancelled (the day it last changed). Returns how
    many steps were written."""
    from housing.models import CaseTransition, HousingCase

    cases, steps = HousingCase._meta.db_table, CaseTransition._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {steps} (case_id, name, from_state, to_state, actor_id, happened_on, at, note)
            SELECT s.case_id, s.name, s.from_state, s.to_state, s.actor_id, s.happened_on, now(), ''
            FROM (
              SELECT c.id AS case_id, '' AS name, '' AS from_state, 'proposed' AS to_state,
                     c.proposed_by_id AS actor_id,
                     LEAST(c.created_at::date, c.survey_date) AS happened_on, 1 AS step FROM {cases} c
              UNION ALL SELECT c.id, 'survey', 'proposed', 'surveyed', c.proposed_by_id, c.survey_date, 2
                FROM {cases} c WHERE c.survey_date IS NOT NULL
              UNION ALL SELECT c.id, 'approve', 'surveyed', 'approved', c.proposed_by_id,
                     LEAST(c.survey_date + 5, COALESCE(c.start_date, c.survey_date + 5)), 3
                FROM {cases} c WHERE c.survey_date IS NOT NULL AND c.state = ANY(%s)
              UNION ALL SELECT c.id, 'reject', 'surveyed', 'rejected', c.proposed_by_id,
                     COALESCE(c.survey_date, c.updated_at::date), 3 FROM {cases} c WHERE c.state = 'rejected'
              UNION ALL SELECT c.id, 'start', 'approved', 'construction_started', c.proposed_by_id, c.start_date, 4
                FROM {cases} c WHERE c.start_date IS NOT NULL
              UNION ALL SELECT c.id, 'complete', 'construction_started', 'completed', c.proposed_by_id,
                     c.completion_date, 5 FROM {cases} c WHERE c.completion_date IS NOT NULL
              UNION ALL SELECT c.id, 'hand_over', 'completed', 'handed_over', c.proposed_by_id, c.handover_date, 6
                FROM {cases} c WHERE c.handover_date IS NOT NULL
              UNION ALL SELECT c.id, 'cancel', '', 'cancelled', c.proposed_by_id,
                     GREATEST(c.updated_at::date, c.survey_date), 7 FROM {cases} c WHERE c.state = 'cancelled'
            ) s
            WHERE NOT EXISTS (SELECT 1 FROM {steps} t WHERE t.case_id = s.case_id)
            ORDER BY s.case_id, s.step""", [list(APPROVED_STATES)])  # noqa: S608 - our own tables
        return cursor.rowcount


# Each final state of a model and the steps that led there: (step, from, to); the first is the draft.
MODEL_PATH = [("", "", "draft"), ("register", "draft", "registered"), ("submit", "registered", "submitted"),
              ("plan", "submitted", "planned"), ("inspect", "planned", "inspected"),
              ("present", "inspected", "presented"), ("recognise", "presented", "recognised"),
              ("propose_higher", "recognised", "proposed_higher")]
MODEL_STATES = {"draft": 4, "registered": 8, "submitted": 8, "planned": 6, "inspected": 10, "presented": 6,
                "recognised": 38, "not_recognised": 10, "proposed_higher": 10}
# The day of the year (from 1 January) each step happens about: registered by the end of Q1.
STEP_DAY = {"": 10, "register": 40, "submit": 80, "plan": 110, "inspect": 170, "present": 250, "recognise": 280,
            "not_recognise": 280, "propose_higher": 310}


def _model_steps(state: str) -> list[tuple[str, str, str]]:
    if state == "not_recognised":
        return [*MODEL_PATH[:6], ("not_recognise", "presented", "not_recognised")]
    return MODEL_PATH[:[to for _name, _from, to in MODEL_PATH].index(state) + 1]


def typical_models_load(province, years: tuple[int, int], *, actor, count: int = ANNUAL_MODELS, today: datetime.date,
                        rng) -> dict:
    """``count`` models over the two years' rounds of the province's districts (half each), each in
    a state drawn from MODEL_STATES with the steps that led there (none after ``today``), a sixth of
    the second year's copying a model recognised the year before; study visits to and media pieces
    about the recognised ones. Returns the counts."""
    from simple_history.utils import bulk_create_with_history

    from frontwelfare.areas.models import AdministrativeUnit
    from models_registry.choices import Field
    from models_registry.models import MediaCoverage, ModelStep, Round, StudyVisit, TypicalModel

    communes = list(AdministrativeUnit.objects.filter(level="commune", province=province).order_by("code"))
    rounds = {}
    for year in years:
        for district in {commune.district_id for commune in communes}:
            rounds[district, year] = Round.objects.get_or_create(
                unit_id=district, year=year, defaults={"deadline": datetime.date(year, 3, 31),
                                                       "created_by": actor})[0]
    created, step_rows, recognised_before = [], [], []
    for year in years:
        models, paths = [], []
        for number in range(count // len(years)):
            commune = rng.choice(communes)
            state = rng.choices(list(MODEL_STATES), list(MODEL_STATES.values()))[0]
            start = datetime.date(year, 1, 1)
            paths.append([(name, before, after,
                           min(start + datetime.timedelta(days=STEP_DAY[name] + rng.randrange(20)), today))
                          for name, before, after in _model_steps(state)])
            copies = rng.choice(recognised_before) if recognised_before and rng.random() < 1 / 6 else None
            field = Field.values[number % len(Field.values)]
            name = f"Mô hình {field} {commune.name} {year}-{number}"
            models.append(TypicalModel(round=rounds[commune.district_id, year], commune=commune, name=name,
                                       name_folded=name.lower(), field=field, replicates=copies,
                                       leader_name="Chi hội Phụ nữ ấp", goals="Dữ liệu đo hiệu năng (make bench)",
                                       started_on=start, participants=rng.randrange(10, 200),
                                       budget=rng.randrange(0, 200) * 1_000_000, state=state, created_by=actor))
        made = bulk_create_with_history(models, TypicalModel, batch_size=1_000, default_user=actor)
        step_rows += [ModelStep(model=model, name=name, from_state=before, to_state=after, actor=actor,
                                happened_on=day)
                      for model, path in zip(made, paths, strict=True) for name, before, after, day in path]
        created += made
        # The next year's replicas copy the models recognised this year.
        recognised_before = [model for model in made if model.state in ("recognised", "proposed_higher")]
    ModelStep.objects.bulk_create(step_rows, batch_size=5_000)
    recognised = [model for model in created if model.state in ("recognised", "proposed_higher")]
    visits = [StudyVisit(model=model, visitors=f"Đoàn cán bộ Mặt trận {rng.randrange(1, 50)}",
                         visited_on=min(datetime.date(model.round.year, 11, 1)
                                        + datetime.timedelta(days=rng.randrange(60)), today),
                         people=rng.randrange(5, 60), created_by=actor)
              for model in recognised if rng.random() < 0.4]
    media = [MediaCoverage(model=model, outlet="Báo Đồng Khởi", title=f"{model.name} lan tỏa",
                           published_on=min(datetime.date(model.round.year, 11, 15), today), created_by=actor)
             for model in recognised if rng.random() < 0.3]
    bulk_create_with_history(visits, StudyVisit, batch_size=1_000, default_user=actor)
    bulk_create_with_history(media, MediaCoverage, batch_size=1_000, default_user=actor)
    return {"models": len(created), "steps": len(step_rows), "rounds": len(rounds),
            "states": Counter(model.state for model in created), "visits": len(visits), "media": len(media)}


def organisations_load(province, years: tuple[int, int], *, actor, activities: int = ACTIVITIES,
                       today: datetime.date, rng) -> dict:
    """Every kind of member organisation at the province and each district, ORGANISATION_KINDS_PER_COMMUNE
    kinds in each commune, with their members in both years; ``activities`` activities over the two
    years, each of an organisation and some of them serving households of the registry."""
    from donations.choices import MemberOrganisation
    from donations.support.choices import ActivityKind
    from donations.support.models import Activity, Membership, Organisation
    from frontwelfare.areas.models import AdministrativeUnit
    from households.models import Household

    units = [province, *AdministrativeUnit.objects.filter(province=province).exclude(pk=province.pk)
             .order_by("level", "code")]
    taken = set(Organisation.objects.filter(unit__in=units).values_list("unit_id", "name"))
    rows = []
    for unit in units:
        kinds = list(MemberOrganisation) if unit.level != "commune" else \
            rng.sample(list(MemberOrganisation), ORGANISATION_KINDS_PER_COMMUNE)
        rows += [Organisation(unit=unit, kind=kind, name=f"{kind.label} {unit.name}", created_by=actor)
                 for kind in kinds if (unit.pk, f"{kind.label} {unit.name}") not in taken]
    organisations = Organisation.objects.bulk_create(rows, batch_size=2_000)
    Membership.objects.bulk_create(
        [Membership(organisation=organisation, year=year, members=rng.randrange(50, 5_000))
         for organisation in organisations for year in years], batch_size=5_000, ignore_conflicts=True)
    days = (today - datetime.date(years[0], 1, 1)).days + 1
    made = Activity.objects.bulk_create([
        Activity(unit=organisation.unit, organisation=organisation, kind=rng.choice(ActivityKind.values),
                 name=f"Hoạt động {number}", starts_on=datetime.date(years[0], 1, 1)
                 + datetime.timedelta(days=rng.randrange(days)), occurrences=rng.randrange(1, 40),
                 people_served=rng.randrange(0, 500), value=rng.randrange(0, 100) * 1_000_000,
                 recorded_by=actor)
        for number, organisation in enumerate(rng.choices(organisations, k=activities))], batch_size=5_000)
    households = dict(Household.objects.filter(commune__province=province).values_list("pk", "commune_id"))
    by_commune: dict[int, list[int]] = {}
    for pk, commune in households.items():
        by_commune.setdefault(commune, []).append(pk)
    unit_of = {unit.pk: unit for unit in units}
    links = []
    for activity in made:
        unit = unit_of[activity.unit_id]
        pool = by_commune.get(unit.pk) or by_commune[rng.choice(list(by_commune))]
        links += [Activity.households.through(activity_id=activity.pk, household_id=pk)
                  for pk in set(rng.sample(pool, min(len(pool), rng.randrange(*HOUSEHOLDS_PER_ACTIVITY))))]
    Activity.households.through.objects.bulk_create(links, batch_size=10_000)
    return {"organisations": len(organisations), "activities": len(made), "served": len(links)}


def support_load(province, years: tuple[int, int], *, actor, recipients: int = SUPPORT_RECIPIENTS,
                 today: datetime.date, rng) -> dict:
    """For each district and year, a confirmed batch of each of a few nationwide kinds, paid from the
    district's Fund for the Poor, whose lines (``recipients`` in all) were handed over to households of
    the district on the batch's day (a few not found)."""
    from donations.models import Fund
    from donations.support.models import Batch, Recipient, SupportKind, occasion_key
    from frontwelfare.areas.models import AdministrativeUnit
    from households.models import Household

    kinds = list(SupportKind.objects.filter(unit=None, recipients="household").order_by("code")[:3])
    districts = list(AdministrativeUnit.objects.filter(level="district", province=province).order_by("code"))
    funds = {fund.unit_id: fund for fund in Fund.objects.filter(unit__in=districts, kind="for_the_poor")}
    batches = []
    for year in years:
        for district in districts:
            for number, kind in enumerate(kinds):
                day = min(datetime.date(year, 2 + 4 * number, 10), today)
                occasion = f"{kind.name_vi} {year} (bench)"
                batches.append(Batch(unit=district, kind=kind, occasion=occasion, occasion_key=occasion_key(occasion),
                                     happened_on=day, fund=funds.get(district.pk), value=500_000,
                                     donor=None if district.pk in funds else _any_donor(district),
                                     state="confirmed", confirmed_by=actor, confirmed_at=datetime.datetime.now(
                                         datetime.UTC), created_by=actor))
    batches = Batch.objects.bulk_create(batches)
    households: dict[int, list[int]] = {}
    for pk, district in Household.objects.filter(commune__province=province).values_list("pk", "commune__district_id"):
        households.setdefault(district, []).append(pk)
    lines = []
    per_batch = recipients // len(batches)
    for batch in batches:
        pool = households.get(batch.unit_id, [])
        for household in rng.sample(pool, min(per_batch, len(pool))):
            found = rng.random() > 0.02
            lines.append(Recipient(batch=batch, household_id=household, value=batch.value,
                                   delivery="delivered" if found else "not_found",
                                   delivered_on=batch.happened_on if found else None,
                                   delivery_recorded_by=actor,
                                   delivery_recorded_at=datetime.datetime.now(datetime.UTC)))
    Recipient.objects.bulk_create(lines, batch_size=10_000)
    return {"batches": len(batches), "recipients": len(lines)}


def _any_donor(unit):
    from donations.models import Donor

    return Donor.objects.filter(unit=unit).first()


def annual_load(*, today: datetime.date) -> dict:
    """The whole data set (see the module's docstring). Returns what was loaded and the seconds each
    step took."""
    from django.core.management import call_command

    from frontwelfare.accounts.models import User
    from frontwelfare.areas.choices import Era, Level
    from frontwelfare.areas.models import AdministrativeUnit
    from households.models import Household
    from tests.bench import housing_bulk_load
    from tests.bench_donations import donations_bulk_load
    from tests.bench_national import national_load

    rng = random.Random(16)  # bench data, not secrets
    year = report_year(today)
    years = (year - 1, year)
    steps, loaded = {}, {"year": year}

    def step(name, work):
        started = time.perf_counter()
        result = work()
        steps[name] = time.perf_counter() - started
        return result

    registry = step("registry", lambda: national_load(national=False))
    housing = step("housing", housing_bulk_load)
    province = housing["province"]
    loaded["case_steps"] = step("case steps", case_steps)
    loaded["ledger"] = step("ledger", lambda: donations_bulk_load(
        first_day=datetime.date(years[0], 1, 1), last_day=min(datetime.date(year, 12, 31), today)))
    actor = User.objects.get(username="demo.tinh")
    made = {"actor": actor, "today": today, "rng": rng}
    with transaction.atomic():
        loaded["models"] = step("typical models", lambda: typical_models_load(province, years, **made))
        loaded["organisations"] = step("organisations", lambda: organisations_load(province, years, **made))
        loaded["support"] = step("support", lambda: support_load(province, years, **made))
    step("registry_rebuild", lambda: call_command("registry_rebuild", stdout=open(os.devnull, "w")))  # noqa: SIM115
    with connection.cursor() as cursor:
        step("vacuum", lambda: cursor.execute("VACUUM ANALYZE"))
    assert province == AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code=PROVINCE)
    loaded.update(province=province, steps=steps, statuses=registry["statuses"], cases=housing["cases"],
                  households=Household.objects.filter(commune__province=province).count())
    return loaded


# -- the measures ---------------------------------------------------------------------------------


def time_annual_reports(province, year: int) -> tuple[str, list[tuple[str, float, float, int]]]:
    """(the kind timed, [(format, seconds, seconds of its bare SQL, queries)]): the annual report of
    ``province`` for ``year`` in each format, as the worker makes it, once untimed first (the first
    read of the tables and WeasyPrint's fonts are not what a report costs once the server runs)."""
    import tempfile

    from django.test import override_settings

    from frontwelfare.accounts.models import User
    from frontwelfare.reports import periods
    from frontwelfare.reports.choices import ReportFormat
    from frontwelfare.reports.models import Report
    from frontwelfare.reports.services import report_build
    from tests.bench_reports import timed_build

    spec = annual_kind()
    asker = User.objects.get(username="demo.tinh")
    period = periods.year(year)

    def new_report(file_format):
        return Report.objects.create(kind=spec.value, unit=province, period_kind=period.kind,
                                     period_start=period.start, period_end=period.end, format=file_format,
                                     requested_by=asker)

    rows = []
    with tempfile.TemporaryDirectory(prefix="fw-bench-annual-") as media, override_settings(MEDIA_ROOT=media):
        report_build(new_report(ReportFormat.XLSX).pk)
        for file_format in ReportFormat.values:
            rows.append((file_format, *timed_build(new_report(file_format))))
    return spec.value, rows


def time_sections(province, year: int) -> list[tuple[str, float, float, int]]:
    """(section, seconds, seconds of its bare SQL, queries) of each section of the kind timed, built
    alone in a context of its own (the period only), in the order of the report.
    Figures shared between sections (the fund statement's one query) count in the first that asks."""
    from django.utils import translation

    from frontwelfare.db_routers import reading_for_reports
    from frontwelfare.reports import periods, registry
    from frontwelfare.reports.figures import report_context
    from tests.bench_reports import _bare

    spec = annual_kind()
    context = report_context(unit=province, period=periods.year(year))
    context.breakdown  # noqa: B018 - read once, before the sections are timed
    rows = []
    with translation.override("vi"), reading_for_reports():
        for section in registry.sections_of(spec):
            statements = []

            def capture(execute, sql, params, many, query_context, statements=statements):
                statements.append((sql, params))
                return execute(sql, params, many, query_context)

            started = time.perf_counter()
            with connection.execute_wrapper(capture):
                section.build(context)
            rows.append((section.name, time.perf_counter() - started, _bare(statements), len(statements)))
    return rows


def annual_part() -> dict:
    """Load the data set and time the annual report (tests.bench.scale_main has made the database)."""
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import timezone

    from frontwelfare.areas.models import AdministrativeUnit

    loaded = annual_load(today=timezone.localdate())
    # The report a province makes now is the current province's (Vĩnh Long, which the former Bến Tre
    # became part of): it counts the former units' records through the 2025 mapping, by current commune.
    reported = AdministrativeUnit.objects.get(pk=loaded["province"].current_province_id)
    teardown_test_environment()  # as in production: no template instrumentation (see tests.bench)
    try:
        kind, reports = time_annual_reports(reported, loaded["year"])
        sections = time_sections(reported, loaded["year"])
    finally:
        setup_test_environment()
    return {"loaded": loaded, "reported": reported, "kind": kind, "reports": reports, "sections": sections}


def report_annual(result: dict) -> bool:
    """Print the part; True when a target was missed."""
    loaded = result["loaded"]
    ledger, models, organisations, support = (loaded[name] for name in ("ledger", "models", "organisations",
                                                                         "support"))
    steps = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in loaded["steps"].items())
    print(f"\nannual report: {loaded['province'].name}, {loaded['households']:,} households "
          f"({loaded['statuses']:,} statuses in the country), {loaded['cases']:,} house cases with "
          f"{loaded['case_steps']:,} steps, {ledger['lines']:,} ledger lines ({ledger['funds']} funds), "
          f"{models['models']:,} typical models with {models['steps']:,} steps ({models['visits']} study visits, "
          f"{models['media']} media), {organisations['organisations']:,} member organisations with "
          f"{organisations['activities']:,} activities ({organisations['served']:,} households served), "
          f"{support['batches']} support batches with {support['recipients']:,} lines")
    print(f"  loaded in {sum(loaded['steps'].values()):.0f} s ({steps})")
    print(f"\nthe year-end report of the current {result['reported'].name} (the former {loaded['province'].name}'s "
          f"records through the 2025 mapping, by current commune)")
    print(f"\n{'annual report ' + str(loaded['year']) + ' of the province':<40} {'whole s':>8} {'bare SQL s':>10} "
          f"{'ratio':>6} {'queries':>7}   target < {TARGET_SECONDS} s and < {TIMES_BARE_SQL}x   kind {result['kind']}")
    missed = False
    for file_format, seconds, bare, queries in result["reports"]:
        ratio = seconds / bare if bare else float("inf")
        late = seconds >= TARGET_SECONDS or ratio >= TIMES_BARE_SQL
        missed |= late
        print(f"{file_format:<40} {seconds:>8.2f} {bare:>10.2f} {ratio:>6.2f} {queries:>7}"
              f"{'   MISSED' if late else ''}")
    print(f"\n{'its sections, each alone':<40} {'s':>8} {'bare SQL s':>10} {'ratio':>6} {'queries':>7}")
    for name, seconds, bare, queries in result["sections"]:
        print(f"{name:<40} {seconds:>8.2f} {bare:>10.2f} {seconds / bare if bare else 0:>6.2f} {queries:>7}")
    print(f"annual report: {'FAIL' if missed else 'PASS'}")
    return missed

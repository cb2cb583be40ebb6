"""Schemathesis against the API's own schema, once per role with that role's token: requests made
from the schema (valid ones, and ones the schema says are invalid) are sent to the app in-process
(WSGI), and every answer must be one the schema documents, in the shape it documents: no 5xx, no
undocumented status, no answer outside its documented shape, and no request the schema says is
invalid accepted (an invalid boolean, a year past 2100...).

Left out: schemathesis' "valid request accepted" check. A well-formed id of a record that does not
exist or is outside the caller's units (a unit to filter by, the household of a new member) is
refused with 400 by design, and no schema can list the ids that exist.

Bounded: a few examples per operation and mode, no shrinking, each answered within seconds."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from donations import services as donation_services
from donations.choices import Purpose
from frontwelfare.accounts.choices import Role
from households.choices import Category

from .donations.factories import DAY, ActivityFactory, OrganisationFactory, campaign_for, fund_of, receipt_into
from .households.factories import HouseholdFactory, HouseholdStatusFactory
from .housing.factories import HousingCaseFactory

EXAMPLES = 2  # per operation and generation mode

BOUNDED = hypothesis_settings(
    # A request answered in more than 3 seconds is a failure too (the API answers in milliseconds).
    max_examples=EXAMPLES, deadline=datetime.timedelta(seconds=3), database=None, derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def app():
    """Django's WSGI app, which must not close the test's database connection (inside the test's
    transaction) around each request, as Django's own test client does not either."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def records(world):
    household = HouseholdFactory(commune=world.commune, head_name="Lê Văn Tư")
    HouseholdStatusFactory(household=household, category=Category.POOR)
    HousingCaseFactory(household=household)
    # Money: a campaign's receipt into the commune's fund, a decision paying the household, and a
    # transfer down from the district's fund.
    fund, district_fund = fund_of(world.commune), fund_of(world.district)
    receipt_into(fund, actor=world.commune_officer, amount=30_000_000,
                 campaign=campaign_for(fund, actor=world.commune_officer))
    donation_services.decision_record(actor=world.commune_officer, fund=fund, number="1/QĐ-MTTQ", decided_on=DAY,
                                      signer="Lê Thị Hoa", payments=[donation_services.Payment(
                                          amount=5_000_000, purpose=Purpose.HOUSING, household=household)])
    receipt_into(district_fund, actor=world.district_member, amount=20_000_000)
    donation_services.transfer_record(actor=world.district_member, source=district_fund, destination=fund,
                                      amount=10_000_000, happened_on=DAY)
    # A member organisation of the commune with an activity that served the household.
    ActivityFactory(unit=world.commune, organisation=OrganisationFactory(unit=world.commune)).households.add(household)


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER,
                                  Role.ADMINISTRATOR])
def test_the_api_answers_as_its_schema_says(role, world, records, app):
    headers = {"Authorization": f"Token {Token.objects.create(user=world.viewer(role)).key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers=headers)
    failures, operations = [], 0

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        raw = operation.definition.raw
        # An operation with no parameter and no body has nothing to make invalid.
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if raw.get("parameters") or
                                              raw.get("requestBody") else [])
        for mode in modes:

            @BOUNDED
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case):
                case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

            try:
                call()
            except (Exception, FailureGroup) as failure:  # every failure of every operation, not only the first
                failures.append(f"{operation.label} ({mode}): {failure}")

    assert operations > 40  # the whole API was walked
    assert not failures, "\n\n".join(failures)

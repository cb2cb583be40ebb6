"""The shared reads: the round's synthesis by commune and field."""

import pytest

from models_registry.choices import ModelState
from models_registry.selectors import round_synthesis

from ..factories import CommuneOfficerFactory
from .factories import model_in_state


@pytest.mark.django_db
def test_synthesis_lists_registered_models_by_commune_and_the_communes_without_any(world):
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    draft = model_in_state(ModelState.DRAFT, officer=CommuneOfficerFactory(unit=world.sibling_commune))
    rows = {row.commune.pk: row for row in round_synthesis(model.round)}
    assert rows[world.commune.pk].by_field == {model.field: [model]}
    assert rows[draft.commune_id].registered_none  # a draft is the commune's own
    assert world.other_district_commune.pk not in rows


@pytest.mark.django_db
def test_synthesis_shows_a_commune_officer_only_their_commune(world):
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    assert [row.commune for row in round_synthesis(model.round, world.commune_officer)] == [world.commune]

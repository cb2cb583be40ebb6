import pytest

from models_registry.choices import ModelState

from .factories import model_in_state


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ModelState.RETURNED, ModelState.PROPOSED_HIGHER, ModelState.NOT_RECOGNISED])
def test_a_model_walks_to(state):
    assert model_in_state(state).state == state


@pytest.mark.django_db
def test_synthesis_lists_registered_models_by_commune_and_the_communes_without_any(world):
    from models_registry.selectors import round_synthesis

    from ..factories import CommuneOfficerFactory

    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    rows = {row.commune.pk: row for row in round_synthesis(model.round)}
    assert rows[world.commune.pk].by_field == {model.field: [model]}
    assert rows[world.sibling_commune.pk].registered_none
    assert world.other_district_commune.pk not in rows

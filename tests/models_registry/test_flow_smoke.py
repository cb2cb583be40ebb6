import pytest

from models_registry.choices import ModelState

from .factories import model_in_state


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ModelState.RETURNED, ModelState.PROPOSED_HIGHER, ModelState.NOT_RECOGNISED])
def test_a_model_walks_to(state):
    assert model_in_state(state).state == state

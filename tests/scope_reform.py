"""The 2025 reform's routes in the scope harness: see tests/scope_harness.py for the rules.
Imported at the end of scope_harness.py; adds to its SCOPED_MODELS and ROUTES."""

from frontwelfare.accounts.choices import Role
from frontwelfare.areas.choices import Era
from households.forms import hamlet_field_name
from households.models import HamletAssignment

from .factories import CommuneFactory, ProvinceFactory
from .households.factories import HouseholdFactory
from .scope_harness import ROUTES, SCOPED_MODELS, Route, ScopedModel, Write

HAMLET = "Ấp Harness"
ASSIGNERS = (Role.PROVINCIAL_OFFICER,)  # and the administrator


def split_commune(world, commune):
    """``commune`` made a former commune split between two current communes of a current province,
    with a household in one hamlet: its province's officer assigns that hamlet."""
    current = ProvinceFactory(era=Era.CURRENT)
    halves = [CommuneFactory(era=Era.CURRENT, parent=current, district=None, province=current) for _ in range(2)]
    commune.successors.set(halves)
    commune.current_province, commune.current_commune = current, None
    commune.save(update_fields=["current_province", "current_commune"])
    HouseholdFactory(commune=commune, hamlet=HAMLET)
    return commune


SCOPED_MODELS.update({
    "split_commune": ScopedModel(make=split_commune, marker=lambda record: record.name),
})


ROUTES.update({
    "households:split-communes": Route("list", "split_commune", editors=ASSIGNERS),
    "households:split-commune": Route(
        "detail", "split_commune", methods=("get", "post"), editors=ASSIGNERS,
        write=Write(data=lambda world, commune: {
                        hamlet_field_name(HAMLET): commune.successors.order_by("code").first().pk},
                    done=lambda commune: HamletAssignment.objects.filter(former_commune=commune,
                                                                         hamlet=HAMLET).exists())),
})

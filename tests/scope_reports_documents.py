"""The reports' document settings in the scope harness: see tests/scope_harness.py for the rules.
Imported at the end of scope_harness.py; adds to its SCOPED_MODELS and ROUTES.

A unit's settings are set by the people of that unit alone: the record in scope is the viewer's own
unit, any other (a commune outside their scope here; a unit below them or beside them in
tests/reports/test_document_settings.py) answers 404."""

from frontwelfare.reports.models import DocumentSettings

from .scope_harness import ROUTES, SCOPED_MODELS, Route, ScopedModel, Write

HARNESS_SIGNER = "Trần Văn Ký (harness)"


def _own_unit(world, commune, viewer=None):
    """The viewer's own unit (the only one whose settings they set); without a viewer, the commune."""
    return viewer.unit if viewer is not None else commune


def _signed_by_harness(unit) -> bool:
    return DocumentSettings.objects.filter(unit=unit, signer=HARNESS_SIGNER).exists()


SCOPED_MODELS["own_unit"] = ScopedModel(make=_own_unit, marker=lambda record: record.name, by_viewer=True)

ROUTES.update({
    "reports:document-settings": Route(
        "detail", "own_unit", methods=("get", "post"),
        write=Write(data=lambda world, unit: {"signer_title": "Phó Chủ tịch", "signer": HARNESS_SIGNER,
                                              "symbol": "BC-MTTQ", "recipients": "Thường trực Huyện ủy;"},
                    done=_signed_by_harness)),
    "api:report-document-settings": Route("page", api=True, methods=("get", "put"),
                                          reason="the caller's own unit's settings, no other unit's"),
})

"""Every write of the typical-models app. Pages, the API and the demo call these; none holds a rule.

Rounds: `round_of`, `round_create`, `round_update`, `criteria_set`, `round_reopen`.
Models: `model_create`, `model_update`, `model_delete`, `model_advance` (the direct steps of
models_registry.workflow), `attachment_add`.
The level above: `inspection_plan`, `inspection_record`, `meeting_record`, `meeting_minutes_attach`,
`meeting_decide`, `notice_issue`, `award_give`, `support_give`, `synthesis_send`.
Replication: `study_visit_record`, `media_record`.
"""

from .inspections import inspection_plan, inspection_record
from .recognition import (
    SYNTHESIS_REPORT,
    award_give,
    meeting_decide,
    meeting_minutes_attach,
    meeting_record,
    notice_issue,
    support_give,
    synthesis_send,
)
from .registrations import attachment_add, locked_model, model_advance, model_create, model_delete, model_update
from .replication import media_record, study_visit_record
from .rounds import (
    criteria_set,
    current_criteria,
    registration_refusal,
    round_create,
    round_of,
    round_reopen,
    round_update,
)

__all__ = [
    "SYNTHESIS_REPORT", "attachment_add", "award_give", "criteria_set", "current_criteria", "inspection_plan",
    "inspection_record", "locked_model", "media_record", "meeting_decide", "meeting_minutes_attach", "meeting_record",
    "model_advance", "model_create", "model_delete", "model_update", "notice_issue", "registration_refusal",
    "round_create", "round_of", "round_reopen", "round_update", "study_visit_record", "support_give",
    "synthesis_send",
]

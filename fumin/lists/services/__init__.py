"""Writes to the three lists. Every page, API endpoint, import and command changes records here.

Who may write what:

- **needs**: community staff in the need's area (``EDIT_REGISTRY``); a resident raises a need for
  their own home community on the portal (``need_raise``);
- **resources**: a unit's liaison for the unit, a member for themself, staff who may edit the
  provider's area for either, subdistrict staff (``MANAGE_PROJECTS``) for a department;
- **projects**: subdistrict staff for Fumin projects (``MANAGE_PROJECTS``), community staff for the
  Fumin small projects of their communities; sectors, programmes and ceremonies: subdistrict staff;
- **claims**: a unit's liaison claims for the unit; staff who manage the project record claims
  (one by one, or many at a ceremony).

``actor=None`` is the system (demo data, commands). Each function validates before writing, runs in
one transaction and writes its audit entry.
"""

from .claims import (
    CeremonyClaim,
    ceremony_create,
    ceremony_record_claims,
    claim_create,
    claim_withdraw,
    may_record_claim,
)
from .decisions import (
    match_accept,
    match_decline,
    project_start_from_need,
)
from .needs import (
    need_create,
    need_raise,
    need_set_status,
    need_update,
)
from .projects import (
    milestone_add,
    milestone_set_done,
    programme_create,
    project_archive,
    project_copy_forward,
    project_create,
    project_mark_adjusted,
    project_progress,
    project_set_status,
    project_update,
    sector_create,
)
from .resources import (
    lists_reindex,
    resource_archive,
    resource_create,
    resource_update,
    term_counts_rebuild,
)
from .rules import (
    CLAIMABLE,
    NEED_FIELDS,
    NEED_TRANSITIONS,
    PROJECT_FIELDS,
    PROJECT_TRANSITIONS,
    RESOURCE_FIELDS,
    may_act_for_unit,
    may_edit_need,
    may_edit_project,
    may_edit_resource,
    may_manage_projects,
    require_project_editable,
    require_project_manager,
    subdistrict_of,
)

__all__ = [
    "CLAIMABLE",
    "NEED_FIELDS",
    "NEED_TRANSITIONS",
    "PROJECT_FIELDS",
    "PROJECT_TRANSITIONS",
    "RESOURCE_FIELDS",
    "CeremonyClaim",
    "ceremony_create",
    "ceremony_record_claims",
    "claim_create",
    "claim_withdraw",
    "lists_reindex",
    "match_accept",
    "match_decline",
    "may_act_for_unit",
    "may_edit_need",
    "may_edit_project",
    "may_edit_resource",
    "may_manage_projects",
    "may_record_claim",
    "milestone_add",
    "milestone_set_done",
    "need_create",
    "need_raise",
    "need_set_status",
    "need_update",
    "programme_create",
    "project_archive",
    "project_copy_forward",
    "project_create",
    "project_mark_adjusted",
    "project_progress",
    "project_set_status",
    "project_start_from_need",
    "project_update",
    "require_project_editable",
    "require_project_manager",
    "resource_archive",
    "resource_create",
    "resource_update",
    "sector_create",
    "subdistrict_of",
    "term_counts_rebuild",
]

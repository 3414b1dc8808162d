"""The three lists (三张清单) in the API: needs, resources and projects, with matching, claims and
claim ceremonies. The endpoints live in ``lists_needs`` (categories, needs, suggestions, matches,
resources) and ``lists_projects`` (sectors, programmes, projects, milestones, claims,
ceremonies); this router gathers them.

Conventions, as elsewhere in the API: records are named by their public UUID (categories by
their code); every list is a page (``limit``, ``offset``; ``count`` and ``items``); a record
outside the caller's scope is 404, a write the caller may not make 403, bad input 400 with one
entry per field (``field`` is the API's name of it, e.g. ``community_id``).
"""

from ninja import Router

from .lists_needs import router as needs_router
from .lists_projects import router as projects_router

router = Router()
router.add_router("/", needs_router)
router.add_router("/", projects_router)

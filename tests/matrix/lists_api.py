"""Permission matrix rows for this area; merged into tests/test_permission_matrix.MATRIX.

Column order: anonymous, admin, officer, coordinator, secretary_a, secretary_b, liaison,
member, outsider.

The three lists' API (fumin/api/lists*.py). The records are made in
fumin/api/tests/test_lists_api.py: a need, a resource (of unit A) and a published small project
of community A, a claim ceremony of the subdistrict. A record outside the caller's scope is 404,
a write the caller may not make 403; a reference in the body the caller may not use is a bad
field (400), as in the activities' API.
"""

from fumin.api.tests import test_lists_api as lists
from tests.matrix.common import Row, row

#                         anon adm off crd sA  sB  lia mem out
MATRIX: dict[str, Row] = {
    "api:categories":             row("401 200 200 200 200 200 200 200 200"),
    "api:sectors":                row("401 200 200 200 200 200 200 200 200"),
    # Sectors, programmes and ceremonies are the subdistrict's scheme: its staff only.
    "api:sector_create":          row("401 201 201 403 403 403 403 403 403", method="post",
                                      json=lists.matrix_sector_body),
    "api:programme_create":       row("401 201 201 403 403 403 403 403 403", method="post",
                                      json=lists.matrix_programme_body),
    # --- needs ---
    "api:needs":                  row("401 200 200 200 200 200 200 200 200"),
    # A liaison sees the subdistrict's active needs (to offer help) but edits none.
    "api:need":                   row("401 200 200 200 200 404 200 404 404",
                                      kwargs=lists.matrix_need_ref),
    # Community A is no community of secretary B's, nor of the others': a bad field.
    "api:need_create":            row("401 201 201 201 201 400 400 400 400", method="post",
                                      json=lists.matrix_need_body),
    # Only the member's account lives in a community: everybody else is told so (400).
    "api:need_raise":             row("401 400 400 400 400 400 400 201 400", method="post",
                                      json=lists.matrix_raise_body),
    "api:need_update":            row("401 200 200 200 200 404 403 404 404", method="patch",
                                      kwargs=lists.matrix_need_ref,
                                      json=lambda w: {"urgency": "high"}),
    "api:need_status":            row("401 200 200 200 200 404 403 404 404", method="post",
                                      kwargs=lists.matrix_fresh_need_ref,
                                      json=lambda w: {"status": "matched"}),
    "api:need_suggestions":       row("401 200 200 200 200 404 403 404 404",
                                      kwargs=lists.matrix_need_ref),
    "api:need_match":             row("401 201 201 201 201 404 403 404 404", method="post",
                                      kwargs=lists.matrix_fresh_need_ref,
                                      json=lists.matrix_match_body),
    "api:need_project":           row("401 201 201 201 201 404 403 404 404", method="post",
                                      kwargs=lists.matrix_fresh_need_ref,
                                      json=lists.matrix_from_need_body),
    # --- resources ---
    "api:resources":              row("401 200 200 200 200 200 200 200 200"),
    "api:resource":               row("401 200 200 200 200 404 200 404 404",
                                      kwargs=lists.matrix_resource_ref),
    # Unit A is in scope for its liaison and community A's staff; for the rest a bad field.
    "api:resource_create":        row("401 201 201 201 201 400 201 400 400", method="post",
                                      json=lists.matrix_resource_body),
    "api:resource_update":        row("401 200 200 200 200 404 200 404 404", method="patch",
                                      kwargs=lists.matrix_resource_ref,
                                      json=lambda w: {"capacity": 30}),
    "api:resource_archive":       row("401 200 200 200 200 404 200 404 404", method="post",
                                      kwargs=lists.matrix_fresh_resource_ref),
    "api:resource_suggestions":   row("401 200 200 200 200 404 200 404 404",
                                      kwargs=lists.matrix_resource_ref),
    # --- projects: published ones are public, writes for the staff of their area ---
    "api:projects":               row("401 200 200 200 200 200 200 200 200"),
    "api:project":                row("401 200 200 200 200 200 200 200 200",
                                      kwargs=lists.matrix_project_ref),
    "api:project_create":         row("401 201 201 201 201 400 400 400 400", method="post",
                                      json=lists.matrix_project_body),
    "api:project_update":         row("401 200 200 200 200 403 403 403 403", method="patch",
                                      kwargs=lists.matrix_project_ref,
                                      json=lambda w: {"description": "每月一次"}),
    "api:project_status":         row("401 200 200 200 200 403 403 403 403", method="post",
                                      kwargs=lists.matrix_fresh_project_ref,
                                      json=lambda w: {"status": "in_progress"}),
    "api:milestone_add":          row("401 201 201 201 201 403 403 403 403", method="post",
                                      kwargs=lists.matrix_project_ref,
                                      json=lambda w: {"title": "招募志愿者"}),
    "api:milestone_done":         row("401 200 200 200 200 403 403 403 403", method="post",
                                      kwargs=lists.matrix_milestone_ref, json=lambda w: {}),
    "api:project_copy_forward":   row("401 201 201 201 201 403 403 403 403", method="post",
                                      kwargs=lists.matrix_fresh_project_ref, json=lambda w: {}),
    "api:project_mark_adjusted":  row("401 200 200 200 200 403 403 403 403", method="post",
                                      kwargs=lists.matrix_project_ref,
                                      json=lambda w: {"note": "改为线上线下结合"}),
    # --- claims and ceremonies ---
    "api:claims":                 row("401 200 200 200 200 200 200 200 200"),
    # Staff of community A and unit A's liaison may claim for unit A; others name a bad unit.
    "api:claim_create":           row("401 201 201 201 201 400 201 400 400", method="post",
                                      kwargs=lists.matrix_fresh_project_ref,
                                      json=lists.matrix_claim_body),
    "api:claim_withdraw":         row("401 200 200 200 200 404 200 404 404", method="post",
                                      kwargs=lists.matrix_claim_ref,
                                      json=lambda w: {"reason": "人手不足"}),
    "api:ceremonies":             row("401 200 200 200 200 200 200 200 200"),
    "api:ceremony_create":        row("401 201 201 403 403 403 403 403 403", method="post",
                                      json=lambda w: {"title": "仪式", "held_on": "2021-03-05"}),
    # The ceremony is the subdistrict's: staff of a grid or community do not see it.
    "api:ceremony_claims":        row("401 201 201 404 404 404 404 404 404", method="post",
                                      kwargs=lists.matrix_ceremony_ref,
                                      json=lists.matrix_ceremony_body),
}  # fmt: skip

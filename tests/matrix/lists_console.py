"""Permission matrix rows for this area; merged into tests/test_permission_matrix.MATRIX.

Column order: anonymous, admin, officer, coordinator, secretary_a, secretary_b, liaison,
member, outsider.

The records: an open need of community A (secretary B cannot see it; the liaison, whose unit is in
the same subdistrict, sees it but may not decide on it); a resource of unit A; a published Fumin
small project of community A (everybody in the console sees it, only A's staff and the subdistrict
change it); unit A's claim on it; a claim ceremony of the subdistrict (subdistrict staff only).
POSTs without data are refused as bad input (400) by those who may act, before anything is
written.
"""

from fumin.lists.services import ceremony_create, milestone_add
from fumin.lists.tests.helpers import make_claim, make_need, make_project, make_resource
from tests.matrix.common import Row, row


def _cached(world, key, make):
    if key not in world.__dict__:
        world.__dict__[key] = make()
    return world.__dict__[key]


def _count(world, key) -> int:
    counter = world.__dict__.setdefault(key, [0])
    counter[0] += 1
    return counter[0]


def need_ref(world):
    return {"public_id": _cached(world, "_lists_need", lambda: make_need(world)).public_id}


def fresh_need_ref(world):
    return {"public_id": make_need(world, title=f"需求{_count(world, '_lists_needs')}").public_id}


def resource_ref(world):
    resource = _cached(world, "_lists_resource", lambda: make_resource(world))
    return {"public_id": resource.public_id}


def fresh_resource_ref(world):
    number = _count(world, "_lists_resources")
    return {"public_id": make_resource(world, title=f"资源{number}").public_id}


def project(world):
    return _cached(world, "_lists_project", lambda: make_project(world))


def project_ref(world):
    return {"public_id": project(world).public_id}


def fresh_project_ref(world):
    number = _count(world, "_lists_projects")
    return {"public_id": make_project(world, name=f"项目{number}").public_id}


def milestone_ref(world):
    milestone = _cached(
        world,
        "_lists_milestone",
        lambda: milestone_add(actor=None, project=project(world), title="启动"),
    )
    return {"public_id": project(world).public_id, "milestone_id": milestone.pk}


def claim_ref(world):
    claim = _cached(world, "_lists_claim", lambda: make_claim(world, project=project(world)))
    return {"public_id": claim.public_id}


def ceremony_ref(world):
    ceremony = _cached(
        world,
        "_lists_ceremony",
        lambda: ceremony_create(
            actor=None, title="认领仪式", held_on="2021-03-05", area=world.subdistrict
        ),
    )
    return {"public_id": ceremony.public_id}


#                         anon adm off crd sA  sB  lia mem out
MATRIX: dict[str, Row] = {
    # --- needs and the matching workbench ---
    "console:need_index":          row("302 200 200 200 200 200 200 403 403"),
    "console:need_export":         row("302 200 200 200 200 200 200 403 403"),
    "console:need_create":         row("302 200 200 200 200 200 403 403 403"),
    "console:need_detail":         row("302 200 200 200 200 404 200 403 403", kwargs=need_ref),
    "console:need_edit":           row("302 200 200 200 200 404 403 403 403", kwargs=need_ref),
    "console:need_close":          row("302 302 302 302 302 404 403 403 403", method="post",
                                       kwargs=fresh_need_ref, data={"note": "已解决"}),
    # An open need cannot be marked met: refused with its reason.
    "console:need_mark_met":       row("302 400 400 400 400 404 403 403 403", method="post",
                                       kwargs=need_ref),
    "console:need_reopen":         row("302 302 302 302 302 404 403 403 403", method="post",
                                       kwargs=need_ref),
    "console:need_accept":         row("302 400 400 400 400 404 403 403 403", method="post",
                                       kwargs=need_ref),
    "console:need_decline":        row("302 400 400 400 400 404 403 403 403", method="post",
                                       kwargs=need_ref),
    "console:need_start_project":  row("302 400 400 400 400 404 403 403 403", method="post",
                                       kwargs=need_ref),
    # --- resources ---
    "console:resource_index":      row("302 200 200 200 200 200 200 403 403"),
    "console:resource_export":     row("302 200 200 200 200 200 200 403 403"),
    "console:resource_create":     row("302 200 200 200 200 200 200 403 403"),
    "console:resource_detail":     row("302 200 200 200 200 404 200 403 403",
                                       kwargs=resource_ref),
    "console:resource_edit":       row("302 200 200 200 200 404 200 403 403",
                                       kwargs=resource_ref),
    "console:resource_archive":    row("302 302 302 302 302 404 302 403 403", method="post",
                                       kwargs=fresh_resource_ref),
    # --- projects ---
    "console:project_index":       row("302 200 200 200 200 200 200 403 403"),
    "console:project_export":      row("302 200 200 200 200 200 200 403 403"),
    "console:project_create":      row("302 200 200 200 200 200 403 403 403"),
    "console:sector_index":        row("302 200 200 403 403 403 403 403 403"),
    "console:project_detail":      row("302 200 200 200 200 200 200 403 403",
                                       kwargs=project_ref),
    "console:project_edit":        row("302 200 200 200 200 403 403 403 403",
                                       kwargs=project_ref),
    "console:project_set_status":  row("302 400 400 400 400 403 403 403 403", method="post",
                                       kwargs=project_ref),
    "console:project_copy_forward": row("302 302 302 302 302 403 403 403 403", method="post",
                                        kwargs=fresh_project_ref),
    "console:project_mark_adjusted": row("302 400 400 400 400 403 403 403 403", method="post",
                                         kwargs=project_ref),
    "console:project_milestone_add": row("302 400 400 400 400 403 403 403 403", method="post",
                                         kwargs=project_ref),
    "console:project_milestone_done": row("302 302 302 302 302 403 403 403 403", method="post",
                                          kwargs=milestone_ref),
    # Anyone who may claim for some unit gets the form back naming the missing unit.
    "console:project_claim_record": row("302 400 400 400 400 400 400 403 403", method="post",
                                        kwargs=project_ref),
    # --- claims and ceremonies ---
    "console:claim_certificate":   row("302 200 200 200 200 404 200 403 403", kwargs=claim_ref),
    "console:claim_withdraw":      row("302 400 400 400 400 404 400 403 403", method="post",
                                       kwargs=claim_ref),
    "console:ceremony_index":      row("302 200 200 403 403 403 403 403 403"),
    "console:ceremony_create":     row("302 200 200 403 403 403 403 403 403"),
    "console:ceremony_detail":     row("302 200 200 403 403 403 403 403 403",
                                       kwargs=ceremony_ref),
    "console:ceremony_row":        row("302 200 200 403 403 403 403 403 403",
                                       kwargs=ceremony_ref),
}  # fmt: skip

"""Permission matrix rows for this area; merged into tests/test_permission_matrix.MATRIX.

Column order: anonymous, admin, officer, coordinator, secretary_a, secretary_b, liaison,
member, outsider.

The project list and a published project's page are public: anyone may read them, signed in or
not. Raising a need and "my needs" need an account (everyone signed in gets the page; whether the
need can be sent depends on being linked to a community, which the form says).
"""

from tests.matrix.common import Row, row


def published_project_id(world):
    """One published, claimed Fumin small project of community A per world."""
    from fumin.lists.tests.helpers import make_claim, make_project

    cached = world.__dict__.get("_portal_project")
    if cached is None:
        cached = world.__dict__["_portal_project"] = make_project(world, "矩阵公开项目", year=2020)
        make_claim(world, project=cached)
    return {"public_id": cached.public_id}


#                         anon adm off crd sA  sB  lia mem out
MATRIX: dict[str, Row] = {
    "portal:project_list":           row("200 200 200 200 200 200 200 200 200"),
    "portal:project_detail":         row("200 200 200 200 200 200 200 200 200",
                                         kwargs=published_project_id),
    "portal:need_new":               row("302 200 200 200 200 200 200 200 200"),
    "portal:my_needs":               row("302 200 200 200 200 200 200 200 200"),
}  # fmt: skip

"""Permission matrix rows for the KPI dashboard; merged into tests/test_permission_matrix.MATRIX.

Column order: anonymous, admin, officer, coordinator, secretary_a, secretary_b, liaison,
member, outsider. Only staff who see areas see KPIs (``may_view_kpis``); an area outside a
viewer's scope is tested in fumin/console/tests/test_dashboard_pages.py.
"""

from tests.matrix.common import Row, row

PERIOD = {"start": "2020-01-01", "end": "2020-12-31"}


def code(value):
    return lambda world: {"code": value}


#                                  anon adm off crd sA  sB  lia mem out
MATRIX: dict[str, Row] = {
    "console:dashboard":               row("302 200 200 200 200 200 403 403 403", data=PERIOD),
    "console:dashboard_export":        row("302 200 200 200 200 200 403 403 403", data=PERIOD),
    "console:dashboard_screen":        row("302 200 200 200 200 200 403 403 403"),
    "console:dashboard_screen_data":   row("302 200 200 200 200 200 403 403 403"),
    "console:dashboard_kpi":           row("302 200 200 200 200 200 403 403 403", data=PERIOD,
                                           kwargs=code("volunteer_person_times")),
    "console:dashboard_kpi_export":    row("302 200 200 200 200 200 403 403 403", data=PERIOD,
                                           kwargs=code("volunteer_person_times")),
    "console:dashboard_records":       row("302 200 200 200 200 200 403 403 403", data=PERIOD,
                                           kwargs=code("members_registered")),
    "console:dashboard_records_export": row("302 200 200 200 200 200 403 403 403", data=PERIOD,
                                           kwargs=code("members_registered")),
}  # fmt: skip

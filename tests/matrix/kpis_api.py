"""Permission matrix rows for the KPI API; merged into tests/test_permission_matrix.MATRIX.

Column order: anonymous, admin, officer, coordinator, secretary_a, secretary_b, liaison,
member, outsider.
"""

from tests.matrix.common import Row, row

#                         anon adm off crd sA  sB  lia mem out
MATRIX: dict[str, Row] = {
    "api:kpis":                      row("401 200 200 200 200 200 403 403 403"),
    "api:kpi_breakdown":             row("401 200 200 200 200 200 403 403 403",
                                         kwargs=lambda w: {"code": "pairing_activities"},
                                         data={"by": "community"}),
    "api:kpi_records":               row("401 200 200 200 200 200 403 403 403",
                                         kwargs=lambda w: {"code": "pairing_activities"}),
}  # fmt: skip
MATRIX["console:annual_summary"] = row("302 200 200 200 200 200 403 403 403")

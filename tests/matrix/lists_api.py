"""Permission matrix rows for this area; merged into tests/test_permission_matrix.MATRIX.

Column order: anonymous, admin, officer, coordinator, secretary_a, secretary_b, liaison,
member, outsider.
"""

from tests.matrix.common import Row

#                         anon adm off crd sA  sB  lia mem out
MATRIX: dict[str, Row] = {
}  # fmt: skip

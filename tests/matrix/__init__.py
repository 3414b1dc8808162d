"""Parts of the permission matrix (tests/test_permission_matrix.py), one module per area."""

"""Schema steps that Django's migration operations cannot take safely on every database."""


def drop_column_indexes(schema_editor, table: str, columns: list[str]) -> None:
    """Drop the indexes Django made for ``db_index`` on each of ``columns`` (on PostgreSQL also
    their ``_like`` twins), found by name and introspection.

    Turning ``db_index`` off with ``AlterField`` would make SQLite rebuild the table, and a
    rebuilt table loses its triggers (the append-only ones, the tallies'): the migrations that
    drop such indexes change the field in the migration state only and drop them here.
    """
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    for name, info in found.items():
        if not info["index"] or info["unique"] or info["primary_key"]:
            continue
        (column,) = info["columns"] if len(info["columns"]) == 1 else (None,)
        if column in columns and name.startswith(f"{table}_{column}_"):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_column_indexes(schema_editor, table: str, columns: list[str]) -> None:
    """The reverse of ``drop_column_indexes``: a plain index on each column, named as Django
    names those of ``db_index``."""
    for column in columns:
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name(name)} ON "
            f"{schema_editor.quote_name(table)} ({schema_editor.quote_name(column)})"
        )

"""The matrix's row type, shared by the parts of the matrix kept in this package."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    statuses: tuple[int, ...]  # one per persona, in the order of PERSONAS
    method: str = "get"
    kwargs: Callable | None = None  # world -> URL kwargs
    data: dict | None = None
    json: Callable | None = None  # world -> a JSON body (sent instead of ``data``)


def row(statuses: str, **options) -> Row:
    return Row(tuple(int(s) for s in statuses.split()), **options)


def pid(name):
    """URL kwargs naming one of the world's records by its public id."""
    return lambda world: {"public_id": getattr(world, name).public_id}

"""Every URL of the project, requested by every persona, answers with the status the matrix says.

The matrix is the project's access policy in one table. A URL added without a row here makes
``test_every_url_is_in_the_matrix`` fail, so no page can slip in unguarded.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fumin.notifications.services import notify

PERSONAS = [
    "anonymous",
    "admin",
    "officer",
    "coordinator",
    "secretary_a",
    "secretary_b",
    "liaison",
    "member",
    "outsider",
]


@dataclass
class Row:
    statuses: tuple[int, ...]  # one per persona, in the order of PERSONAS
    method: str = "get"
    kwargs: Callable | None = None  # world -> URL kwargs
    data: dict | None = None


def row(statuses: str, **options) -> Row:
    return Row(tuple(int(s) for s in statuses.split()), **options)


def member_id(world):
    return {"public_id": world.member.public_id}


def fresh_member_id(world):
    """A new member of community A for each request, so one reset does not affect the next."""
    from conftest import make_user
    from fumin.accounts.models import Role

    count = world.community_a.__dict__.setdefault("_fresh", [0])
    count[0] += 1
    user = make_user("新党员", f"1370000{count[0]:04d}", Role.MEMBER, area=world.community_a)
    return {"public_id": user.public_id}


def notification_of_member(world):
    note = notify(recipient=world.member, title="你好")
    return {"notification_id": note.pk}


#                         anon adm off crd sA  sB  lia mem out
MATRIX: dict[str, Row] = {
    "home":                          row("302 302 302 302 302 302 302 302 302"),
    "healthz":                       row("200 200 200 200 200 200 200 200 200"),
    "set_language":                  row("302 302 302 302 302 302 302 302 302", method="post",
                                         data={"language": "en", "next": "/"}),
    "accounts:login":                row("200 302 302 302 302 302 302 302 302"),
    "accounts:logout":               row("302 302 302 302 302 302 302 302 302", method="post"),
    "accounts:password_change":      row("302 200 200 200 200 200 200 200 200"),
    "console:home":                  row("302 200 200 200 200 200 200 403 403"),
    "console:area_index":            row("302 200 200 200 200 200 403 403 403"),
    "console:area_detail":           row("302 200 200 200 200 404 403 403 403",
                                         kwargs=lambda w: {"public_id": w.community_a.public_id}),
    "console:user_index":            row("302 200 200 200 200 200 200 403 403"),
    "console:user_create":           row("302 200 200 403 403 403 403 403 403"),
    "console:user_detail":           row("302 200 200 200 200 404 404 403 403", kwargs=member_id),
    "console:user_reset_password":   row("302 302 302 403 403 403 403 403 403", method="post",
                                         kwargs=fresh_member_id),
    "console:user_unmask_mobile":    row("302 200 200 200 200 404 403 403 403", method="post",
                                         kwargs=member_id),
    "console:audit_index":           row("302 200 200 403 403 403 403 403 403"),
    "portal:home":                   row("302 200 200 200 200 200 200 200 200"),
    "notifications:inbox":           row("302 200 200 200 200 200 200 200 200"),
    "notifications:open":            row("302 404 404 404 404 404 404 302 404", method="post",
                                         kwargs=notification_of_member),
    "notifications:read_all":        row("302 302 302 302 302 302 302 302 302", method="post"),
    "api:api-root":                  row("404 404 404 404 404 404 404 404 404"),
    "api:openapi-json":              row("200 200 200 200 200 200 200 200 200"),
    "api:openapi-view":              row("200 200 200 200 200 200 200 200 200"),
    "api:me":                        row("401 200 200 200 200 200 200 200 200"),
    "api:areas":                     row("401 200 200 200 200 200 200 200 200"),
    "api:area":                      row("401 200 200 200 200 404 404 404 404",
                                         kwargs=lambda w: {"area_id": w.community_a.public_id}),
    # --- registry pages and API ---
    # --- Excel import and export ---
    # --- council ---
}  # fmt: skip


def discover_url_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            prefix = ":".join(part for part in (namespace, inner) if part)
            names |= discover_url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    discovered = discover_url_names()
    missing = discovered - set(MATRIX)
    stale = set(MATRIX) - discovered
    assert not missing, f"URLs without a row in the permission matrix: {sorted(missing)}"
    assert not stale, f"Matrix rows for URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_url_answers_each_persona_as_the_matrix_says(url_name, world, client):
    entry = MATRIX[url_name]
    assert len(entry.statuses) == len(PERSONAS)
    failures = []
    for persona, expected in zip(PERSONAS, entry.statuses, strict=True):
        client.logout()
        user = world.persona(persona)
        if user is not None:
            client.force_login(user)
        url = reverse(url_name, kwargs=entry.kwargs(world) if entry.kwargs else None)
        response = getattr(client, entry.method)(url, data=entry.data or {})
        if response.status_code != expected:
            failures.append(f"{persona}: expected {expected}, got {response.status_code}")
    assert not failures, f"{url_name}: " + "; ".join(failures)

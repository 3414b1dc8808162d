from uuid import UUID

from ninja import Schema


class RoleOut(Schema):
    role: str
    role_label: str
    area: str | None
    unit: str | None


class MeOut(Schema):
    id: UUID
    name: str
    mobile_masked: str
    roles: list[RoleOut]
    capabilities: list[str]


class AreaOut(Schema):
    id: UUID
    name: str
    kind: str
    parent_id: UUID | None
    path: str
    depth: int


class ErrorOut(Schema):
    detail: str

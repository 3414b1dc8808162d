"""Records of the three lists for tests, made through the real services."""

from fumin.lists.models import Category, Claim, Need, Project, Resource
from fumin.lists.services import (
    claim_create,
    need_create,
    programme_create,
    project_create,
    project_set_status,
    resource_create,
    sector_create,
)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def make_need(
    world, title="流浪猫扰民", description="小区流浪猫较多，需要绝育和领养", **fields
) -> Need:
    fields.setdefault("category", category("environment"))
    fields.setdefault("area", world.community_a)
    return need_create(actor=world.secretary_a, title=title, description=description, **fields)


def make_resource(world, title="宠物医院绝育义诊", unit=None, **fields) -> Resource:
    fields.setdefault("category", category("environment"))
    fields.setdefault("kind", Resource.Kind.SERVICES)
    fields.setdefault("description", "为社区流浪猫提供绝育手术和领养咨询")
    return resource_create(actor=None, title=title, unit=unit or world.unit_a, **fields)


def make_programme(world, sector_name="为民服务", name="社区益生圈"):
    sector = sector_create(actor=None, name=sector_name, area=world.subdistrict)
    return programme_create(actor=None, sector=sector, name=name, area=world.subdistrict)


def make_project(world, name="宠爱YOU+社区流浪猫项目", *, publish=True, **fields) -> Project:
    fields.setdefault("level", Project.Level.COMMUNITY)
    fields.setdefault("kind", Project.Kind.PUBLIC_WELFARE)
    fields.setdefault("year", 2021)
    fields.setdefault("owner_area", world.community_a)
    project = project_create(actor=None, name=name, **fields)
    if publish:
        project = project_set_status(actor=None, project=project, status="published")
    return project


def make_claim(world, project=None, unit=None, **fields) -> Claim:
    fields.setdefault("mode", Claim.Mode.VOLUNTEERS)
    fields.setdefault("plan", "每月组织党员志愿者参与")
    return claim_create(
        actor=None, project=project or make_project(world), unit=unit or world.unit_a, **fields
    )

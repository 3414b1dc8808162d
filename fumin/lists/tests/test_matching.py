"""The matching engine: reasons shown, decisions remembered, archived and expired resources left
out, nearness in the area tree, the reverse view, units by past engagement, bounded queries."""

import datetime

import pytest
from django.utils import timezone

from fumin.activities.services import activity_mark_held, check_in
from fumin.activities.tests.helpers import make_activity
from fumin.lists.matching import (
    Reason,
    Suggestion,
    suggest_for_need,
    suggest_for_resource,
    suggest_units_for_need,
)
from fumin.lists.models import Resource
from fumin.lists.services import (
    match_accept,
    match_decline,
    need_create,
    need_set_status,
    resource_archive,
    resource_update,
)
from fumin.lists.text import terms_of
from fumin.registry.models import Unit
from fumin.registry.services import person_create, unit_archive, unit_create

from .helpers import category, make_claim, make_need, make_project, make_resource

CAT_NEED = dict(title="流浪猫扰民", description="小区流浪猫较多，夜间叫声扰民，需要绝育和领养")


def _department(world, title, area, description, **fields):
    from fumin.lists.services import resource_create

    return resource_create(
        actor=None, title=title, department="街道市容所", area=area, description=description,
        **fields,
    )  # fmt: skip


def titles(suggestions):
    return [s.resource.title for s in suggestions]


def test_a_suggestion_shows_its_reasons_and_they_add_up_to_its_score(world):
    need = make_need(world, **CAT_NEED, expected_beneficiaries=30)
    resource = make_resource(
        world,
        title="流浪猫绝育义诊",
        description="宠物医院为社区流浪猫免费绝育，并组织领养日",
        capacity=50,
        availability="每月第一个周六",
    )
    make_resource(world, title="社区合唱团排练场地", category=category("culture_sports"),
                  description="周末可借用的排练厅", kind=Resource.Kind.VENUE)  # fmt: skip

    found = suggest_for_need(need)

    assert isinstance(found[0], Suggestion) and found[0].resource == resource
    assert found[0].unit == world.unit_a
    kinds = {r.kind for r in found[0].reasons}
    assert {"category", "text", "area", "availability"} <= kinds
    assert all(isinstance(r, Reason) and r.weight > 0 for r in found[0].reasons)
    assert found[0].score == pytest.approx(sum(r.weight for r in found[0].reasons), abs=1e-3)
    labels = {r.kind: r.label for r in found[0].reasons}
    assert "环境卫生" in labels["category"]
    assert "绝育" in labels["text"] and "领养" in labels["text"]
    assert "华业居民区" in labels["area"]
    assert "50" in labels["availability"] and "30" in labels["availability"]
    assert "每月第一个周六" in labels["availability"]
    assert 0 < found[0].score <= 1
    # An unrelated resource of another category, far in words, ranks below if at all.
    assert titles(found)[0] == "流浪猫绝育义诊"


def test_declined_and_accepted_resources_are_not_suggested_again(world):
    need = make_need(world, **CAT_NEED)
    declined = make_resource(world, title="流浪猫绝育补贴", description="为流浪猫绝育提供补贴")
    accepted = make_resource(world, title="流浪猫领养日", description="组织流浪猫领养活动")
    other = make_resource(world, title="流浪猫喂养点管理", description="设置规范的流浪猫喂养点")
    assert {declined, accepted, other} <= {s.resource for s in suggest_for_need(need)}

    match_decline(actor=world.secretary_a, need=need, resource=declined, note="费用不合适")
    match_accept(actor=world.secretary_a, need=need, resource=accepted)
    need.refresh_from_db()

    again = {s.resource for s in suggest_for_need(need, limit=50)}
    assert declined not in again and accepted not in again
    assert other in again
    # The reverse view remembers the same decisions.
    assert need not in {s.need for s in suggest_for_resource(declined)}


def test_archived_expired_and_archived_units_resources_are_never_suggested(world):
    need = make_need(world, **CAT_NEED)
    archived = make_resource(world, title="流浪猫绝育（已撤回）", description="流浪猫绝育")
    resource_archive(actor=None, resource=archived)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expired = make_resource(
        world, title="流浪猫绝育（已过期）", description="流浪猫绝育",
        available_from=yesterday - datetime.timedelta(days=30), available_until=yesterday,
    )  # fmt: skip
    gone_unit = unit_create(
        actor=None, name="已注销宠物店", kind=Unit.Kind.ENTERPRISE, area=world.community_a
    )
    of_gone_unit = make_resource(world, title="流浪猫绝育（单位已注销）", unit=gone_unit,
                                 description="流浪猫绝育")  # fmt: skip
    unit_archive(actor=None, unit=gone_unit)
    live = make_resource(world, title="流浪猫绝育", description="流浪猫绝育")

    found = {s.resource for s in suggest_for_need(need, limit=50)}

    assert live in found
    assert not {archived, expired, of_gone_unit} & found
    assert suggest_for_resource(archived) == []
    assert suggest_for_resource(expired) == []


def test_nearer_resources_rank_higher_all_else_equal(world):
    need = make_need(world, **CAT_NEED)  # in 华业 (community A, grid 1)
    text = "流浪猫绝育和领养"
    far = _department(world, "流浪猫绝育 陕南", world.community_c, text,
                      category=category("environment"), kind="services")  # fmt: skip
    same_grid = _department(world, "流浪猫绝育 威海", world.community_b, text,
                            category=category("environment"), kind="services")  # fmt: skip
    same_community = _department(world, "流浪猫绝育 华业", world.community_a, text,
                                 category=category("environment"), kind="services")  # fmt: skip
    whole_subdistrict = _department(world, "流浪猫绝育 全街道", world.subdistrict, text,
                                    category=category("environment"), kind="services")  # fmt: skip

    found = suggest_for_need(need)
    order = [s.resource for s in found]

    assert order.index(same_community) < order.index(same_grid)
    assert order.index(same_grid) < order.index(whole_subdistrict)
    assert order.index(same_grid) < order.index(far)
    area = {s.resource: [r.label for r in s.reasons if r.kind == "area"] for s in found}
    assert "华业居民区" in area[same_community][0]
    assert "第一工作网格" in area[same_grid][0]
    assert "南京西路街道" in area[whole_subdistrict][0]
    assert "南京西路街道" in area[far][0]
    weight = {s.resource: sum(r.weight for r in s.reasons if r.kind == "area") for s in found}
    assert weight[same_community] > weight[same_grid] > weight[far] > 0
    assert weight[same_grid] > weight[whole_subdistrict]


def test_rare_shared_words_count_more_than_common_ones(world):
    # Many resources speak of 小区 环境; only one of 绝育.
    for n in range(8):
        make_resource(world, title=f"环境整治志愿队{n}", description="小区环境卫生 清洁 整治 扰民")
    rare = make_resource(world, title="宠物诊所", description="绝育手术")
    need = make_need(world, title="流浪猫绝育", description="环境卫生 扰民 绝育")

    assert suggest_for_need(need)[0].resource == rare


def test_synonyms_bring_differently_phrased_texts_together(world):
    assert "老人" in terms_of("长者陪伴")
    need = make_need(world, title="独居长者需要陪伴", description="高龄长者独自在家",
                     category=category("elderly_care"))  # fmt: skip
    resource = make_resource(world, title="老年人探访志愿队", description="党员定期上门陪聊",
                             category=category("elderly_care"))  # fmt: skip
    suggestion = suggest_for_need(need)[0]
    assert suggestion.resource == resource
    assert "老人" in next(r.label for r in suggestion.reasons if r.kind == "text")


def test_a_resource_not_yet_available_ranks_below_one_available_now(world):
    need = make_need(world, **CAT_NEED)
    soon = timezone.localdate() + datetime.timedelta(days=60)
    later = make_resource(world, title="流浪猫绝育", description="绝育领养", available_from=soon)
    now = make_resource(world, title="流浪猫绝育", description="绝育领养")
    found = suggest_for_need(need)
    assert [s.resource for s in found][:2] == [now, later]
    label = next(r.label for r in found[1].reasons if r.kind == "availability")
    assert label.startswith("Available from") or "起" in label


def test_a_related_category_counts_partly(world):
    need = make_need(world, title="独居老人遗嘱咨询", description="老人想了解遗嘱和继承",
                     category=category("legal_aid"))  # fmt: skip
    elderly = make_resource(world, title="律师为老人上门咨询", description="遗嘱 继承",
                            category=category("elderly_care"))  # fmt: skip
    found = suggest_for_need(need)
    reasons = {r.kind: r for r in found[0].reasons}
    assert found[0].resource == elderly
    assert 0 < reasons["category"].weight < 0.25
    assert "为老服务" in reasons["category"].label


def test_past_engagement_of_the_unit_lifts_its_resource(world):
    need = make_need(world, **CAT_NEED)
    text = dict(description="流浪猫绝育和领养")
    quiet = make_resource(world, title="流浪猫绝育 甲", unit=world.unit_b, area=world.community_a,
                          **text)  # fmt: skip
    engaged = make_resource(world, title="流浪猫绝育 乙", unit=world.unit_a, **text)
    old_need = make_need(world, title="楼道流浪猫", description="流浪猫")
    make_claim(world, project=make_project(world, needs=[old_need]), unit=world.unit_a)

    found = suggest_for_need(need)

    assert [s.resource for s in found][:2] == [engaged, quiet]
    engagement = [r for r in found[0].reasons if r.kind == "engagement"]
    assert engagement and "环境卫生" in engagement[0].label
    assert not [r for r in found[1].reasons if r.kind == "engagement"]


def test_the_reverse_view_lists_the_needs_a_resource_could_meet(world):
    cats = make_need(world, **CAT_NEED)
    also_cats = need_create(actor=world.secretary_b, title="楼道里有流浪猫",
                            description="希望有人来做绝育", category=category("environment"),
                            area=world.community_b)  # fmt: skip
    meals = make_need(world, title="老人助餐", description="独居老人吃饭难",
                      category=category("elderly_care"))  # fmt: skip
    resource = make_resource(world, title="流浪猫绝育义诊", description="为流浪猫免费绝育")
    closed = make_need(world, title="流浪猫绝育", description="已解决")
    need_set_status(actor=world.secretary_a, need=closed, status="closed", note="已由物业解决")

    found = suggest_for_resource(resource)

    needs = [s.need for s in found]
    assert needs[:2] == [cats, also_cats]
    assert meals not in needs[:2]
    assert closed not in needs
    assert {"category", "text", "area"} <= {r.kind for r in found[0].reasons}
    # The same pair scores the same from both sides.
    forward = next(s for s in suggest_for_need(cats) if s.resource == resource)
    assert forward.score == pytest.approx(found[0].score, abs=0.02)


def test_units_are_suggested_for_their_past_engagement(world):
    need = make_need(world, **CAT_NEED)
    old_need = make_need(world, title="楼道流浪猫", description="流浪猫")
    make_claim(world, project=make_project(world, needs=[old_need]), unit=world.unit_b)
    activity = make_activity(world, title="垃圾分类宣传", host_units=[world.unit_a])
    worker = person_create(actor=None, name="李敏", mobile="13600000011",
                           home_community=world.community_a, work_unit=world.unit_a)  # fmt: skip
    check_in(actor=world.secretary_a, method="staff", activity=activity, person=worker,
             walk_up=True)  # fmt: skip
    activity_mark_held(actor=world.secretary_a, activity=activity)
    quiet = unit_create(actor=None, name="无往来单位", kind=Unit.Kind.ENTERPRISE,
                        area=world.community_a)  # fmt: skip

    found = suggest_units_for_need(need)

    units = [s.unit for s in found]
    assert set(units[:2]) == {world.unit_a, world.unit_b}
    assert quiet not in units
    labels = {s.unit: " ".join(r.label for r in s.reasons) for s in found}
    assert "华业居民区" in labels[world.unit_a] and "环境卫生" in labels[world.unit_b]
    assert all(s.score == pytest.approx(sum(r.weight for r in s.reasons), abs=1e-3) for s in found)

    match_decline(actor=world.secretary_a, need=need, unit=world.unit_b)
    assert world.unit_b not in [s.unit for s in suggest_units_for_need(need)]


def test_closed_needs_get_no_suggestions(world):
    need = make_need(world, **CAT_NEED)
    make_resource(world, title="流浪猫绝育", description="绝育")
    need = need_set_status(actor=world.secretary_a, need=need, status="closed", note="物业已处理")
    assert suggest_for_need(need) == []
    assert suggest_units_for_need(need) == []


def test_editing_a_resource_keeps_the_index_in_step(world):
    need = make_need(world, **CAT_NEED)
    resource = make_resource(world, title="合唱排练场地", description="周末排练厅",
                             category=category("culture_sports"))  # fmt: skip
    assert resource not in {s.resource for s in suggest_for_need(need)}
    resource_update(actor=None, resource=resource, title="流浪猫绝育", description="绝育领养")
    assert suggest_for_need(need)[0].resource == resource


@pytest.mark.parametrize("count", [5, 40])
def test_suggestions_take_a_bounded_number_of_queries(world, django_assert_max_num_queries, count):
    need = make_need(world, **CAT_NEED)
    old_need = make_need(world, title="楼道流浪猫", description="流浪猫")
    make_claim(world, project=make_project(world, needs=[old_need]), unit=world.unit_a)
    for n in range(count):
        make_resource(world, title=f"流浪猫绝育{n}", unit=(world.unit_a, world.unit_b)[n % 2],
                      area=(world.community_a, world.community_c)[n % 2],
                      description="绝育 领养 喂养")  # fmt: skip
    need = type(need).objects.select_related("category", "area").get(pk=need.pk)
    with django_assert_max_num_queries(11):
        found = suggest_for_need(need)
        for s in found:
            s.unit and s.unit.name, s.resource.area.name, s.resource.category.name  # noqa: B018
    assert len(found) == min(10, count)
    resource = Resource.objects.get(pk=found[0].resource.pk)
    with django_assert_max_num_queries(12):
        suggest_for_resource(resource)
    with django_assert_max_num_queries(8):
        suggest_units_for_need(need)


def test_reindex_lists_recomputes_stale_words_and_the_index(world):
    from io import StringIO

    from django.core.management import call_command

    from fumin.lists.models import Need, ResourceTerm

    need = make_need(world, **CAT_NEED)
    resource = make_resource(world, title="长者助餐点", description="为高龄长者送餐")
    Need.objects.filter(pk=need.pk).update(terms="旧")
    Resource.objects.filter(pk=resource.pk).update(terms="旧")
    ResourceTerm.objects.filter(resource=resource).delete()
    ResourceTerm.objects.create(resource=resource, term="旧")

    out = StringIO()
    call_command("reindex_lists", stdout=out)

    assert "1 needs and 1 resources" in out.getvalue()
    need.refresh_from_db()
    resource.refresh_from_db()
    assert "绝育" in need.terms.split()
    words = set(ResourceTerm.objects.filter(resource=resource).values_list("term", flat=True))
    assert words == set(resource.terms.split()) and "老人" in words and "旧" not in words
    out = StringIO()
    call_command("reindex_lists", stdout=out)
    assert "0 needs and 0 resources" in out.getvalue()


def test_document_frequencies_follow_every_write_and_a_full_recount(world):
    from fumin.lists.matching import document_frequencies
    from fumin.lists.services import term_counts_rebuild

    first = make_resource(world, title="流浪猫绝育", description="绝育")
    make_resource(world, title="流浪猫领养", description="领养")
    assert document_frequencies(["流浪猫", "绝育", "领养", "无此词"]) == {
        "流浪猫": 2, "绝育": 1, "领养": 1,
    }  # fmt: skip
    resource_update(actor=None, resource=first, title="流浪猫领养", description="领养日")
    assert document_frequencies(["流浪猫", "绝育", "领养"]) == {"流浪猫": 2, "领养": 2}
    before = document_frequencies(first.terms.split())
    term_counts_rebuild()
    assert document_frequencies(first.terms.split()) == before

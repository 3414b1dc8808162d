"""Issue #5's "Done when", tried as a new user would, in a real browser.

A community secretary posts a need on her phone (a bad first try is refused naming the field, and
nothing typed is lost), sees suggestions with their reasons at her desk, declines a distractor,
starts a project from the right resource and publishes it; two units' liaisons claim it (a claim
without a plan is refused); every step shows in the lists and in the API.

Assertions read classes, ``data-testid`` attributes and the labels Django itself renders (in the
default language, Chinese), so they hold while the translations are being completed.
"""

import pytest
from django.utils import translation

from conftest import make_user
from fumin.accounts.models import Role
from fumin.lists.models import Category, Claim, Need, Project, Resource
from fumin.lists.services import resource_create
from fumin.registry.models import Unit
from fumin.registry.services import unit_create

from .conftest import screenshot
from .test_activities import log_in

pytestmark = pytest.mark.browser

NEED_TITLE = "小区流浪猫太多，需要绝育"
NEED_DESCRIPTION = (
    "华业小区流浪猫越来越多，夜里叫声扰民，希望有宠物医院帮忙给流浪猫做绝育，再组织领养。"
)
PROJECT_NAME = "宠爱华业：流浪猫绝育与领养"


def zh(label) -> str:
    """A label as the pages show it in the default language."""
    with translation.override("zh-hans"):
        return str(label)


def _resources(world):
    """The right resource for the need, and distractors of other units and categories."""
    clinic = unit_create(
        actor=None, name="爱宠宠物诊所", kind=Unit.Kind.NEW_ECONOMIC, area=world.community_a
    )
    category = {c.code: c for c in Category.objects.all()}
    right = resource_create(
        actor=None,
        title="流浪猫绝育义诊",
        unit=clinic,
        kind=Resource.Kind.SERVICES,
        category=category["environment"],
        description="宠物诊所兽医为社区流浪猫免费做绝育手术，提供疫苗接种和领养咨询。",
        capacity=60,
        availability="每周六上午",
    )
    same_category = resource_create(
        actor=None,
        title="楼道堆物清理志愿服务",
        unit=world.unit_b,
        kind=Resource.Kind.VOLUNTEERS,
        category=category["environment"],
        description="医院青年志愿者每月清理楼道堆物，整治环境卫生。",
    )
    resource_create(
        actor=None,
        title="垃圾分类上门指导",
        department="街道市容所",
        area=world.subdistrict,
        kind=Resource.Kind.EXPERTISE,
        category=category["environment"],
        description="上门指导居民垃圾分类，开展分类宣传。",
    )
    resource_create(
        actor=None,
        title="社区义诊与健康体检",
        unit=world.unit_b,
        kind=Resource.Kind.SERVICES,
        category=category["health"],
        description="公惠医院医生为居民义诊、测血压、开展慢病宣教。",
    )
    resource_create(
        actor=None,
        title="作家进社区读书会",
        unit=world.unit_a,
        kind=Resource.Kind.EXPERTISE,
        category=category["culture_sports"],
        description="作家协会会员为居民开展读书分享和写作讲座。",
    )
    return right, same_category


def _field(page, name):
    return page.locator(f".field:has([name={name}])")


def _error_names(page) -> list[str]:
    """The field names the form's error summary gives, as shown."""
    return [s.strip() for s in page.locator(".form-errors li strong").all_inner_texts()]


def _label(page, name) -> str:
    return page.locator(f"label[for=id_{name}]").inner_text().replace("*", "").strip()


def _phone(chromium):
    return chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )


def test_a_need_becomes_a_project_claimed_by_two_units(live_server, chromium, desktop, live_world):
    world = live_world
    base = live_server.url
    right, distractor = _resources(world)
    liaison_b = make_user("钱志明", "13900000008", Role.UNIT_LIAISON, unit=world.unit_b)
    environment = Category.objects.get(code="environment")

    # 1. The secretary posts the need on her phone, from the sidebar.
    phone_context = _phone(chromium)
    phone = phone_context.new_page()
    log_in(phone, base, world.secretary_a.mobile)
    assert "/accounts/login/" not in phone.url, "the secretary could not log in"
    phone.click("button.nav-toggle")
    phone.get_by_test_id("nav-lists").click()
    phone.wait_for_url(f"{base}/console/lists/needs/")
    phone.get_by_test_id("need-new").click()
    phone.wait_for_url(f"{base}/console/lists/needs/new/")
    # A first try without a title and with a negative number of beneficiaries.
    phone.fill("textarea[name=description]", NEED_DESCRIPTION)
    phone.select_option("select[name=category]", str(environment.pk))
    phone.select_option("select[name=urgency]", "high")
    phone.fill("input[name=beneficiary_group]", "小区居民")
    phone.fill("input[name=expected_beneficiaries]", "-30")
    with phone.expect_navigation():
        phone.click("form.form button[type=submit].primary")
    assert phone.locator(".form-errors").is_visible()
    assert _field(phone, "title").get_attribute("class").split().count("has-error") == 1
    assert _field(phone, "expected_beneficiaries").locator(".field-error").is_visible()
    named = _error_names(phone)
    assert "标题" in named, f"the title is not named in Chinese: {named}"
    assert _label(phone, "expected_beneficiaries") in named
    # Nothing typed is lost.
    assert phone.input_value("textarea[name=description]") == NEED_DESCRIPTION
    assert phone.input_value("select[name=category]") == str(environment.pk)
    assert phone.input_value("select[name=urgency]") == "high"
    assert phone.input_value("input[name=beneficiary_group]") == "小区居民"
    assert phone.input_value("input[name=expected_beneficiaries]") == "-30"
    assert phone.input_value("select[name=area]") == str(world.community_a.pk)
    assert not Need.objects.exists()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the need form scrolls sideways on a phone ({width}px)"
    screenshot(phone, "journey-need-form-errors-390")
    # Fixed and saved: the need's page.
    phone.fill("input[name=title]", NEED_TITLE)
    phone.fill("input[name=expected_beneficiaries]", "30")
    with phone.expect_navigation():
        phone.click("form.form button[type=submit].primary")
    need = Need.objects.get()
    assert phone.url == f"{base}/console/lists/needs/{need.public_id}/"
    assert phone.get_by_test_id("need-status").get_attribute("class").split()[-1] == "need-open"
    assert (need.title, need.expected_beneficiaries, need.area) == (
        NEED_TITLE,
        30,
        world.community_a,
    )

    # 2. At her desk: the need in the list, the workbench on its page.
    page = desktop
    log_in(page, base, world.secretary_a.mobile)
    page.get_by_test_id("nav-lists").click()
    page.wait_for_url(f"{base}/console/lists/needs/")
    row = page.get_by_test_id("need-row").filter(has_text=NEED_TITLE)
    assert row.get_by_test_id("need-status").get_attribute("class").split()[-1] == "need-open"
    row.get_by_role("link", name=NEED_TITLE).click()
    page.wait_for_url(f"{base}/console/lists/needs/{need.public_id}/")
    suggestions = page.get_by_test_id("suggestion")
    titles = [t.strip() for t in suggestions.locator(".suggestion-head strong").all_inner_texts()]
    assert titles, "no suggestions for a need with a clearly right resource"
    assert titles[0] == right.title, f"the pet clinic should come first: {titles}"
    # A resource of another category sharing no word with the need is not suggested.
    assert "作家进社区读书会" not in titles
    best = suggestions.first
    chips = best.locator(".chip-reason")
    kinds = {c.split("reason-")[1] for c in chips.evaluate_all("cs => cs.map(c => c.className)")}
    assert {"category", "text", "area"} <= kinds, f"reasons shown: {kinds}"
    assert environment.name in best.locator(".reason-category").inner_text()
    assert "流浪猫" in best.locator(".reason-text").inner_text()
    assert world.community_a.name in best.locator(".reason-area").inner_text()
    scores = [float(s) for s in suggestions.get_by_test_id("score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
    assert scores[0] - scores[1] >= 0.2, f"the right resource should stand out: {scores}"
    screenshot(page, "journey-workbench-1280")

    # 3. A distractor is declined with a note, and disappears.
    assert distractor.title in titles
    other = page.locator(f"[data-testid=suggestion][data-resource='{distractor.public_id}']")
    other.get_by_test_id("decline-open").click()
    other.get_by_test_id("decline-note").fill("与流浪猫无关")
    with page.expect_navigation():
        other.get_by_test_id("decline").click()
    assert other.count() == 0
    assert suggestions.count() == len(titles) - 1
    decisions = page.get_by_test_id("decision-row")
    assert decisions.count() == 1
    assert distractor.title in decisions.first.inner_text()
    assert "与流浪猫无关" in decisions.first.inner_text()
    assert "decision-declined" in decisions.first.locator(".chip").first.get_attribute("class")

    # 4. A project is started from the right resource; a nameless one is refused first.
    chosen = page.locator(f"[data-testid=suggestion][data-resource='{right.public_id}']")
    chosen.get_by_test_id("start-open").click()
    start_form = chosen.locator("form:has([data-testid=start-project])")
    assert start_form.locator("input[name=name]").input_value() == NEED_TITLE  # a useful default
    start_form.locator("input[name=name]").fill("")
    start_form.locator("select[name=kind]").select_option(Project.Kind.PUBLIC_WELFARE)
    with page.expect_navigation():
        start_form.get_by_test_id("start-project").click()
    assert page.get_by_test_id("action-errors").is_visible()
    chosen = page.locator(f"[data-testid=suggestion][data-resource='{right.public_id}']")
    start_form = chosen.locator("form:has([data-testid=start-project])")
    assert start_form.is_visible(), "the refused form should stay open"
    assert start_form.locator(".field.has-error input[name=name]").count() == 1
    named = [s.strip() for s in start_form.locator(".form-errors li strong").all_inner_texts()]
    name_label = start_form.locator("label[for$='-name']").inner_text().replace("*", "").strip()
    assert named == [name_label], f"the project name should be named: {named}"
    assert start_form.locator("select[name=kind]").input_value() == Project.Kind.PUBLIC_WELFARE
    assert not Project.objects.exists()
    start_form.locator("input[name=name]").fill(PROJECT_NAME)
    with page.expect_navigation():
        start_form.get_by_test_id("start-project").click()
    project = Project.objects.get()
    assert page.url == f"{base}/console/lists/projects/{project.public_id}/"
    assert page.get_by_test_id("project-status").get_attribute("class").split()[-1] == (
        "project-draft"
    )
    assert page.locator("h1").first.inner_text().startswith(PROJECT_NAME)
    assert NEED_TITLE in page.locator("main").inner_text()  # the need it answers
    assert right.title in page.locator("main").inner_text()  # and the resource

    # 5. She publishes it; the lists show the need in a project and the project published.
    with page.expect_navigation():
        page.get_by_test_id(f"status-{Project.Status.PUBLISHED}").click()
    status = page.get_by_test_id("project-status")
    assert status.get_attribute("class").split()[-1] == "project-published"
    assert status.inner_text() == zh(Project.Status.PUBLISHED.label)
    page.get_by_test_id("nav-lists").click()
    page.wait_for_url(f"{base}/console/lists/needs/")
    need_status = page.get_by_test_id("need-row").filter(has_text=NEED_TITLE)
    need_status = need_status.get_by_test_id("need-status")
    assert need_status.get_attribute("class").split()[-1] == "need-in_project"
    assert need_status.inner_text() == zh(Need.Status.IN_PROJECT.label)
    page.get_by_test_id("tab-projects").click()
    page.wait_for_url(f"{base}/console/lists/projects/")
    project_row = page.get_by_test_id("project-row").filter(has_text=PROJECT_NAME)
    assert "project-published" in project_row.get_by_test_id("project-status").get_attribute(
        "class"
    )

    # 6. The liaison of 上海市作家协会 claims it from the projects list; a claim without a plan
    # is refused first.
    log_in(page, base, world.liaison.mobile)
    page.get_by_test_id("nav-lists").click()
    page.get_by_test_id("tab-projects").click()
    page.wait_for_url(f"{base}/console/lists/projects/")
    page.get_by_test_id("project-row").filter(has_text=PROJECT_NAME).get_by_role(
        "link", name=PROJECT_NAME
    ).click()
    page.wait_for_url(f"{base}/console/lists/projects/{project.public_id}/")
    assert page.get_by_test_id("claim-row").count() == 0
    page.get_by_test_id("claim-open").click()
    page.select_option("#claims select[name=unit]", str(world.unit_a.pk))
    page.select_option("#claims select[name=mode]", Claim.Mode.VOLUNTEERS)
    with page.expect_navigation():
        page.get_by_test_id("claim-record").click()
    assert _field(page, "plan").get_attribute("class").split().count("has-error") == 1
    assert _label(page, "plan") in _error_names(page)
    assert page.input_value("#claims select[name=unit]") == str(world.unit_a.pk)
    assert page.input_value("#claims select[name=mode]") == Claim.Mode.VOLUNTEERS
    assert not Claim.objects.exists()
    page.fill("#claims textarea[name=plan]", "每月组织作家协会党员志愿者参与领养日，撰写领养故事")
    with page.expect_navigation():
        page.get_by_test_id("claim-record").click()
    assert page.get_by_test_id("claim-row").count() == 1
    status = page.get_by_test_id("project-status")
    assert status.get_attribute("class").split()[-1] == "project-claimed"

    # 7. The liaison of 公惠医院 claims it too (its own unit is the only one offered).
    log_in(page, base, liaison_b.mobile)
    page.goto(f"{base}/console/lists/projects/{project.public_id}/")
    page.get_by_test_id("claim-open").click()
    options = page.locator("#claims select[name=unit] option").all_inner_texts()
    assert [o for o in options if o.strip("-")] == [world.unit_b.name]
    page.select_option("#claims select[name=unit]", str(world.unit_b.pk))
    page.select_option("#claims select[name=mode]", Claim.Mode.EXPERTISE)
    page.fill("#claims textarea[name=plan]", "医院宠物门诊志愿者每季度为流浪猫体检")
    with page.expect_navigation():
        page.get_by_test_id("claim-record").click()
    claims = page.get_by_test_id("claim-row")
    assert claims.count() == 2
    text = " ".join(claims.all_inner_texts())
    assert world.unit_a.name in text and world.unit_b.name in text
    status = page.get_by_test_id("project-status")
    assert status.get_attribute("class").split()[-1] == "project-claimed"
    assert status.inner_text() == zh(Project.Status.CLAIMED.label)
    # Withdrawing is offered for the liaison's own unit's claim only.
    assert claims.filter(has_text=world.unit_b.name).get_by_test_id("claim-withdraw").count() == 1
    assert claims.filter(has_text=world.unit_a.name).get_by_test_id("claim-withdraw").count() == 0
    page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar drawn at the top of the shot
    screenshot(page, "journey-project-two-claims-1280")
    # The certificate of the hospital's claim opens.
    mine = claims.filter(has_text=world.unit_b.name)
    number = mine.get_by_test_id("certificate-link").inner_text().strip()
    mine.get_by_test_id("certificate-link").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("certificate").is_visible()
    assert page.get_by_test_id("certificate-unit").inner_text() == world.unit_b.name
    assert page.get_by_test_id("certificate-number").inner_text() == number
    screenshot(page, "journey-certificate-1280")

    # 8. The API shows every step (with each person's own session).
    answer = phone.request.get(
        f"{base}/api/needs?status={Need.Status.IN_PROJECT}&community_id={world.community_a.public_id}"
    )
    assert answer.ok, answer.text()
    items = answer.json()["items"]
    assert [(i["id"], i["status"]) for i in items] == [
        (str(need.public_id), Need.Status.IN_PROJECT)
    ]
    detail = phone.request.get(f"{base}/api/needs/{need.public_id}").json()
    decided = {(d["resource"]["title"], d["decision"]) for d in detail["decisions"]}
    assert decided == {(distractor.title, "declined"), (right.title, "accepted")}
    accepted = next(d for d in detail["decisions"] if d["decision"] == "accepted")
    assert accepted["project"]["id"] == str(project.public_id)
    assert {r["kind"] for r in accepted["reasons"]} >= {"category", "text", "area"}
    assert [e["to_status"] for e in detail["history"]] == [
        Need.Status.OPEN,
        Need.Status.IN_PROJECT,
    ]
    for session in (phone, page):  # the secretary, and the hospital's liaison
        answer = session.request.get(f"{base}/api/projects/{project.public_id}")
        assert answer.ok, answer.text()
        found = answer.json()
        assert found["status"] == Project.Status.CLAIMED
        assert found["claim_count"] == 2
        assert {(c["unit"]["name"], c["mode"]) for c in found["claims"]} == {
            (world.unit_a.name, Claim.Mode.VOLUNTEERS),
            (world.unit_b.name, Claim.Mode.EXPERTISE),
        }
        assert [n["id"] for n in found["needs"]] == [str(need.public_id)]
        assert [r["id"] for r in found["resources"]] == [str(right.public_id)]
    phone_context.close()

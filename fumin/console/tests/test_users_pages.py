from fumin.accounts.models import RoleAssignment, User
from fumin.audit.models import AuditEntry

NEW = "/console/users/new/"


def test_an_officer_creates_a_secretary_with_a_temporary_password(client, world):
    client.force_login(world.officer)
    response = client.post(
        NEW,
        {
            "name": "王建华",
            "mobile": "+86 137 0000 1234",
            "role": "community_secretary",
            "area": world.community_c.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    user = User.objects.get(mobile="13700001234")
    assert user.must_change_password
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.area) == ("community_secretary", world.community_c)
    assert "临时密码" in response.content.decode()
    assert AuditEntry.objects.filter(action="create", target_id=str(user.pk)).exists()


def test_bad_input_names_each_field_and_creates_nothing(client, world):
    client.force_login(world.officer)
    before = User.objects.count()
    response = client.post(NEW, {"name": " ", "mobile": "12345", "role": "community_secretary"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"name", "mobile", "area"} <= set(errors)
    assert User.objects.count() == before
    page = response.content.decode()
    assert "请输入正确的" in page or "手机号" in page


def test_a_duplicate_mobile_is_refused_with_the_field_named(client, world):
    client.force_login(world.officer)
    response = client.post(
        NEW,
        {"name": "重复", "mobile": "13900000006", "role": "member", "area": world.community_a.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["mobile"]
    assert User.objects.filter(mobile="13900000006").count() == 1


def test_an_area_outside_the_officers_scope_cannot_be_chosen(client, world):
    client.force_login(world.officer)
    response = client.post(
        NEW,
        {
            "name": "越权",
            "mobile": "13700001235",
            "role": "platform_admin",
            "area": world.district.pk,
        },
    )
    assert response.status_code == 400
    assert {"role", "area"} & set(response.context["form"].errors)
    assert not User.objects.filter(mobile="13700001235").exists()


def test_a_liaison_needs_a_unit(client, world):
    client.force_login(world.officer)
    response = client.post(NEW, {"name": "联络员", "mobile": "13700001236", "role": "unit_liaison"})
    assert response.status_code == 400
    assert response.context["form"].errors["unit"]


def test_the_user_list_filters_by_role_and_answers_htmx_with_the_table_only(client, world):
    client.force_login(world.officer)
    response = client.get(
        "/console/users/", {"role": "community_secretary"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "沈美华" in page and "陆海峰" in page and "吴志远" not in page


def test_the_user_list_runs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    from conftest import make_user

    for i in range(30):
        make_user(f"党员{i}", f"1360000{i:04d}", "member", area=world.community_a)
    client.force_login(world.officer)
    with django_assert_max_num_queries(12):
        response = client.get("/console/users/")
    assert response.context["users"].paginator.count == 36  # 6 personas in scope + 30


def test_the_area_pages_run_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.officer)
    with django_assert_max_num_queries(10):
        client.get("/console/areas/")
    with django_assert_max_num_queries(14):
        client.get(f"/console/areas/{world.community_a.public_id}/")


def test_the_area_tree_filters_by_pinyin_and_keeps_the_path_to_each_match(client, world):
    client.force_login(world.officer)
    response = client.get("/console/areas/", {"q": "weihai"})
    assert [a.name for a in response.context["tree"]] == [
        "南京西路街道",
        "第一工作网格",
        "威海居民区",
    ]

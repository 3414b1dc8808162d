from django.urls import include, path

from .views import areas, audit, home, users

app_name = "console"
urlpatterns = [
    path("", home.home, name="home"),
    path("areas/", areas.area_index, name="area_index"),
    path("areas/<uuid:public_id>/", areas.area_detail, name="area_detail"),
    path("users/", users.user_index, name="user_index"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<uuid:public_id>/", users.user_detail, name="user_detail"),
    path(
        "users/<uuid:public_id>/reset-password/",
        users.user_reset_password,
        name="user_reset_password",
    ),
    path(
        "users/<uuid:public_id>/unmask-mobile/", users.user_unmask_mobile, name="user_unmask_mobile"
    ),
    path("audit/", audit.audit_index, name="audit_index"),
    # Excel templates, imports and exports of registry records.
    path("transfer/", include("fumin.console.urls_transfer")),
    # The council: seats, motions, meetings, certificates.
    path("council/", include("fumin.console.urls_council")),
]

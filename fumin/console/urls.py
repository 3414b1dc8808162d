from django.urls import include, path

from .views import areas, audit, bodies, home, people, summary, units, users

app_name = "console"
urlpatterns = [
    path("", home.home, name="home"),
    path("areas/", areas.area_index, name="area_index"),
    path("areas/<uuid:public_id>/", areas.area_detail, name="area_detail"),
    path("communities/options/", areas.community_options, name="community_options"),
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
    path("annual-summary/", summary.annual_summary_download, name="annual_summary"),
    path("units/", units.unit_index, name="unit_index"),
    path("units/options/", units.unit_options, name="unit_options"),
    path("units/new/", units.unit_create, name="unit_create"),
    path("units/<uuid:public_id>/", units.unit_detail, name="unit_detail"),
    path("units/<uuid:public_id>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<uuid:public_id>/archive/", units.unit_archive, name="unit_archive"),
    path("party-orgs/", units.party_org_index, name="party_org_index"),
    path("party-orgs/options/", units.party_org_options, name="party_org_options"),
    path("party-orgs/new/", units.party_org_create, name="party_org_create"),
    path("party-orgs/<uuid:public_id>/", units.party_org_detail, name="party_org_detail"),
    path("party-orgs/<uuid:public_id>/edit/", units.party_org_edit, name="party_org_edit"),
    path("party-orgs/<uuid:public_id>/archive/", units.party_org_archive, name="party_org_archive"),
    path("people/", people.person_index, name="person_index"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/options/", people.person_options, name="person_options"),
    path("people/<uuid:public_id>/", people.person_detail, name="person_detail"),
    path("people/<uuid:public_id>/edit/", people.person_edit, name="person_edit"),
    path("people/<uuid:public_id>/archive/", people.person_archive, name="person_archive"),
    path("people/<uuid:public_id>/reveal/<str:field>/", people.person_reveal, name="person_reveal"),
    path("places/", bodies.place_index, name="place_index"),
    path("places/new/", bodies.place_create, name="place_create"),
    path("places/<uuid:public_id>/", bodies.place_detail, name="place_detail"),
    path("places/<uuid:public_id>/edit/", bodies.place_edit, name="place_edit"),
    path("alliances/", bodies.alliance_index, name="alliance_index"),
    path("alliances/new/", bodies.alliance_create, name="alliance_create"),
    path("alliances/<uuid:public_id>/", bodies.alliance_detail, name="alliance_detail"),
    path("alliances/<uuid:public_id>/edit/", bodies.alliance_edit, name="alliance_edit"),
    path(
        "alliances/<uuid:public_id>/members/add/",
        bodies.alliance_add_member,
        name="alliance_add_member",
    ),
    path(
        "alliances/<uuid:public_id>/members/remove/",
        bodies.alliance_remove_member,
        name="alliance_remove_member",
    ),
    path("joint-meetings/", bodies.joint_meeting_index, name="joint_meeting_index"),
    path("joint-meetings/new/", bodies.joint_meeting_create, name="joint_meeting_create"),
    path(
        "joint-meetings/<uuid:public_id>/", bodies.joint_meeting_detail, name="joint_meeting_detail"
    ),
    path(
        "joint-meetings/<uuid:public_id>/edit/",
        bodies.joint_meeting_edit,
        name="joint_meeting_edit",
    ),
    path(
        "joint-meetings/<uuid:public_id>/members/add/",
        bodies.joint_meeting_add_member,
        name="joint_meeting_add_member",
    ),
    path(
        "joint-meetings/<uuid:public_id>/members/remove/",
        bodies.joint_meeting_remove_member,
        name="joint_meeting_remove_member",
    ),
    # Dual registration: members' and organisations' registrations with communities.
    path("registrations/", include("fumin.console.urls_registration")),
    path("reports/", include("fumin.console.urls_reports")),
    # Activities, sign-up lists and the sign-in desk.
    path("activities/", include("fumin.console.urls_activities")),
    # Excel templates, imports and exports of registry records.
    path("transfer/", include("fumin.console.urls_transfer")),
    # The council: seats, motions, meetings, certificates.
    path("council/", include("fumin.console.urls_council")),
    # The three lists: needs, resources, projects; matching, claims and ceremonies.
    path("lists/", include("fumin.console.urls_lists")),
    # The KPI dashboard, its drill-downs and exports, and the big screen.
    path("dashboard/", include("fumin.console.urls_dashboard")),
]

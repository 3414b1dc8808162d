from django.urls import path

from . import activities, lists, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("registration/", views.registration, name="registration"),
    path("registration/move/", views.registration_move, name="registration_move"),
    path("registration/end/", views.registration_end, name="registration_end"),
    path("units/options/", views.unit_options, name="unit_options"),
    path("party-orgs/options/", views.party_org_options, name="party_org_options"),
    path("communities/options/", views.community_options, name="community_options"),
    # Activities: browse, sign up, check in and out, my activities.
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/mine/", activities.my_activities, name="my_activities"),
    path("activities/mine/record.docx", activities.service_record, name="service_record"),
    path("activities/checkin/", activities.activity_checkin, name="activity_checkin"),
    # The URL the sign-in desk's QR code encodes: keep this path stable.
    path(
        "activities/checkin/<str:code>/",
        activities.activity_checkin_code,
        name="activity_checkin_code",
    ),
    path("activities/<uuid:public_id>/", activities.activity_detail, name="activity_detail"),
    path("activities/<uuid:public_id>/signup/", activities.activity_signup, name="activity_signup"),
    path("activities/<uuid:public_id>/cancel/", activities.activity_cancel, name="activity_cancel"),
    path(
        "activities/<uuid:public_id>/checkout/",
        activities.activity_checkout,
        name="activity_checkout",
    ),
    # The three lists: the public project list, and needs raised by residents.
    path("projects/", lists.project_list, name="project_list"),
    path("projects/<uuid:public_id>/", lists.project_detail, name="project_detail"),
    path("needs/new/", lists.need_new, name="need_new"),
    path("needs/mine/", lists.my_needs, name="my_needs"),
]

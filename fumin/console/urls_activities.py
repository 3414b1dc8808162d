"""Console URLs for activities and the sign-in desk, included from ``fumin/console/urls.py``."""

from django.urls import path

from .views import activities as views
from .views import activity_series as series
from .views import volunteering

urlpatterns = [
    path("", views.activity_index, name="activity_index"),
    path("calendar/", views.activity_calendar, name="activity_calendar"),
    path("new/", views.activity_create, name="activity_create"),
    path("<uuid:public_id>/", views.activity_detail, name="activity_detail"),
    path("<uuid:public_id>/edit/", views.activity_edit, name="activity_edit"),
    path("<uuid:public_id>/publish/", views.activity_publish, name="activity_publish"),
    path("<uuid:public_id>/held/", views.activity_mark_held, name="activity_mark_held"),
    path("<uuid:public_id>/close/", views.activity_close, name="activity_close"),
    path("<uuid:public_id>/check-in/", views.activity_check_in, name="activity_check_in"),
    path("<uuid:public_id>/check-out/", views.activity_check_out, name="activity_check_out"),
    path("<uuid:public_id>/hours/", views.activity_hours_correct, name="activity_hours_correct"),
    path("<uuid:public_id>/export/", views.activity_export, name="activity_export"),
    path("<uuid:public_id>/desk/", views.activity_desk, name="activity_desk"),
    path("<uuid:public_id>/desk/count/", views.activity_desk_count, name="activity_desk_count"),
    path("<uuid:public_id>/desk/search/", views.activity_desk_search, name="activity_desk_search"),
    path("<uuid:public_id>/people/", views.activity_people_search, name="activity_people_search"),
    path("<uuid:public_id>/signups/", views.activity_signup_person, name="activity_signup_person"),
    path("<uuid:public_id>/photos/<int:photo_id>/", views.activity_photo, name="activity_photo"),
    # Repeating activities
    path("series/new/", series.series_create, name="activity_series_create"),
    path("series/<uuid:public_id>/", series.series_detail, name="activity_series_detail"),
    path(
        "series/<uuid:public_id>/generate/",
        series.series_generate,
        name="activity_series_generate",
    ),
    # Points rules and volunteer teams
    path("points-rules/", volunteering.points_rule_index, name="points_rule_index"),
    path("points-rules/new/", volunteering.points_rule_create, name="points_rule_create"),
    path("points-rules/<int:pk>/edit/", volunteering.points_rule_edit, name="points_rule_edit"),
    path("teams/", volunteering.team_index, name="team_index"),
    path("teams/new/", volunteering.team_create, name="team_create"),
    path("teams/<uuid:public_id>/", volunteering.team_detail, name="team_detail"),
    path("teams/<uuid:public_id>/edit/", volunteering.team_edit, name="team_edit"),
    path("teams/<uuid:public_id>/people/", volunteering.team_people_search, name="team_people"),
    path(
        "teams/<uuid:public_id>/members/add/",
        volunteering.team_add_member,
        name="team_add_member",
    ),
    path(
        "teams/<uuid:public_id>/members/remove/",
        volunteering.team_remove_member,
        name="team_remove_member",
    ),
    path(
        "teams/<uuid:public_id>/members/leader/",
        volunteering.team_set_leader,
        name="team_set_leader",
    ),
]

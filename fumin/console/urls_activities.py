"""Console URLs for activities and the sign-in desk, included from ``fumin/console/urls.py``."""

from django.urls import path

from .views import activities as views

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
]

"""Console URLs for the council pages, included from ``fumin/console/urls.py``."""

from django.urls import path

from .views import council

urlpatterns = [
    path("", council.council_index, name="council_index"),
    path("new/", council.council_create, name="council_create"),
    path("<uuid:public_id>/", council.council_detail, name="council_detail"),
    path("<uuid:public_id>/meetings/", council.council_meeting_index, name="council_meeting_index"),
    path(
        "<uuid:public_id>/motions/new/", council.council_motion_create, name="council_motion_create"
    ),
    path("motions/<uuid:public_id>/", council.council_motion_detail, name="council_motion_detail"),
    path(
        "motions/<uuid:public_id>/items/",
        council.council_motion_add_item,
        name="council_motion_add_item",
    ),
    path(
        "motions/<uuid:public_id>/approve/",
        council.council_motion_approve,
        name="council_motion_approve",
    ),
    path(
        "motions/<uuid:public_id>/reject/",
        council.council_motion_reject,
        name="council_motion_reject",
    ),
    path(
        "seats/<uuid:public_id>/certificate/",
        council.council_seat_certificate,
        name="council_seat_certificate",
    ),
]

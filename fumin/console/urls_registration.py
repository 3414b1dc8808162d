"""Console URLs for dual registration, included from ``fumin/console/urls.py``."""

from django.urls import path

from .views import registrations as views

urlpatterns = [
    path("", views.registration_index, name="registration_index"),
    path("members/new/", views.member_registration_create, name="member_registration_create"),
    path("orgs/new/", views.org_registration_create, name="org_registration_create"),
    path("proposals/", views.unit_proposal_index, name="unit_proposal_index"),
    path("proposals/new/", views.unit_proposal_create, name="unit_proposal_create"),
    path(
        "proposals/<uuid:public_id>/decide/",
        views.unit_proposal_decide,
        name="unit_proposal_decide",
    ),
    path("member/<uuid:public_id>/move/", views.registration_move, name="registration_move"),
    path("org/<uuid:public_id>/agreements/", views.agreement_add, name="agreement_add"),
    path("<str:kind>/<uuid:public_id>/", views.registration_detail, name="registration_detail"),
    path(
        "<str:kind>/<uuid:public_id>/confirm/",
        views.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "<str:kind>/<uuid:public_id>/reject/", views.registration_reject, name="registration_reject"
    ),
    path(
        "<str:kind>/<uuid:public_id>/reconfirm/",
        views.registration_reconfirm,
        name="registration_reconfirm",
    ),
    path("<str:kind>/<uuid:public_id>/end/", views.registration_end, name="registration_end"),
]

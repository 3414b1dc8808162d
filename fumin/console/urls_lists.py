"""Console URLs of the three lists (needs, resources, projects) with matching and claims,
included from ``fumin/console/urls.py`` under ``lists/``."""

from django.urls import path

from .views import claims, needs, projects, resources

urlpatterns = [
    # Needs and the matching workbench
    path("needs/", needs.need_index, name="need_index"),
    path("needs/export/", needs.need_export, name="need_export"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/<uuid:public_id>/", needs.need_detail, name="need_detail"),
    path("needs/<uuid:public_id>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<uuid:public_id>/close/", needs.need_close, name="need_close"),
    path("needs/<uuid:public_id>/met/", needs.need_mark_met, name="need_mark_met"),
    path("needs/<uuid:public_id>/reopen/", needs.need_reopen, name="need_reopen"),
    path("needs/<uuid:public_id>/accept/", needs.need_accept, name="need_accept"),
    path("needs/<uuid:public_id>/decline/", needs.need_decline, name="need_decline"),
    path(
        "needs/<uuid:public_id>/start-project/",
        needs.need_start_project,
        name="need_start_project",
    ),
    # Resources
    path("resources/", resources.resource_index, name="resource_index"),
    path("resources/export/", resources.resource_export, name="resource_export"),
    path("resources/new/", resources.resource_create, name="resource_create"),
    path("resources/<uuid:public_id>/", resources.resource_detail, name="resource_detail"),
    path("resources/<uuid:public_id>/edit/", resources.resource_edit, name="resource_edit"),
    path(
        "resources/<uuid:public_id>/archive/",
        resources.resource_archive,
        name="resource_archive",
    ),
    # Projects, milestones, claims
    path("projects/", projects.project_index, name="project_index"),
    path("projects/export/", projects.project_export, name="project_export"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/sectors/", projects.sector_index, name="sector_index"),
    path("projects/<uuid:public_id>/", projects.project_detail, name="project_detail"),
    path("projects/<uuid:public_id>/edit/", projects.project_edit, name="project_edit"),
    path(
        "projects/<uuid:public_id>/status/",
        projects.project_set_status,
        name="project_set_status",
    ),
    path(
        "projects/<uuid:public_id>/copy-forward/",
        projects.project_copy_forward,
        name="project_copy_forward",
    ),
    path(
        "projects/<uuid:public_id>/adjusted/",
        projects.project_mark_adjusted,
        name="project_mark_adjusted",
    ),
    path(
        "projects/<uuid:public_id>/milestones/",
        projects.milestone_add,
        name="project_milestone_add",
    ),
    path(
        "projects/<uuid:public_id>/milestones/<int:milestone_id>/done/",
        projects.milestone_set_done,
        name="project_milestone_done",
    ),
    path("projects/<uuid:public_id>/claims/", projects.claim_record, name="project_claim_record"),
    path(
        "claims/<uuid:public_id>/certificate/",
        claims.claim_certificate,
        name="claim_certificate",
    ),
    path("claims/<uuid:public_id>/withdraw/", claims.claim_withdraw, name="claim_withdraw"),
    # Claim ceremonies
    path("ceremonies/", claims.ceremony_index, name="ceremony_index"),
    path("ceremonies/new/", claims.ceremony_create, name="ceremony_create"),
    path("ceremonies/<uuid:public_id>/", claims.ceremony_detail, name="ceremony_detail"),
    path("ceremonies/<uuid:public_id>/row/", claims.ceremony_row, name="ceremony_row"),
]

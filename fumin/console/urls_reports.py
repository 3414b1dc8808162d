"""Console URLs for dual reporting (双报告), included from ``fumin/console/urls.py``."""

from django.urls import path

from .views import reports

urlpatterns = [
    path("", reports.report_index, name="report_index"),
    path("generate/", reports.report_generate, name="report_generate"),
    path("not-served/", reports.report_not_served, name="report_not_served"),
    path("our-members/", reports.report_unit_members, name="report_unit_members"),
    path("<uuid:public_id>/", reports.report_detail, name="report_detail"),
    path("<uuid:public_id>/docx/", reports.report_docx, name="report_docx"),
    path("<uuid:public_id>/xlsx/", reports.report_xlsx, name="report_xlsx"),
]

from django.urls import path

from .views import dashboard as views

# The KPI dashboard: figures, breakdowns, the records behind each number, exports, the big screen.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.dashboard_export, name="dashboard_export"),
    path("screen/", views.screen, name="dashboard_screen"),
    path("screen/data/", views.screen_data, name="dashboard_screen_data"),
    path("<slug:code>/", views.kpi_detail, name="dashboard_kpi"),
    path("<slug:code>/export/", views.kpi_detail_export, name="dashboard_kpi_export"),
    path("<slug:code>/records/", views.kpi_records_page, name="dashboard_records"),
    path("<slug:code>/records/export/", views.kpi_records_export, name="dashboard_records_export"),
]

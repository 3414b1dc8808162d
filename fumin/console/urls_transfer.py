"""Console URLs for the transfer pages, included from ``fumin/console/urls.py``."""

from django.urls import path

from .views import transfer

urlpatterns: list = [
    path("", transfer.import_start, name="import_start"),
    path("jobs/<uuid:public_id>/", transfer.import_job, name="import_job"),
    path("templates/<str:kind>/", transfer.import_template, name="import_template"),
    path("exports/<str:kind>/", transfer.export_download, name="export_download"),
]

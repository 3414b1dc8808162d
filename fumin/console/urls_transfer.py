"""Console URLs for the transfer pages, included from ``fumin/console/urls.py``."""

urlpatterns: list = []

"""Console URLs for the council pages, included from ``fumin/console/urls.py``."""

urlpatterns: list = []

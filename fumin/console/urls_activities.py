"""Console URLs for activities and the sign-in desk, included from ``fumin/console/urls.py``."""

urlpatterns: list = []

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from fumin.activities.feeds import community_activities_feed
from fumin.api.api import api
from fumin.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("fumin.accounts.urls")),
    path("console/", include("fumin.console.urls")),
    path("portal/", include("fumin.portal.urls")),
    path("inbox/", include("fumin.notifications.urls")),
    path("api/", api.urls),
    path(
        "feeds/communities/<uuid:public_id>/activities.ics",
        community_activities_feed,
        name="activity_feed",
    ),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error

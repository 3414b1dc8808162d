from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_index, name="inbox"),
    path("<int:notification_id>/open/", views.notification_open, name="open"),
    path("read-all/", views.inbox_mark_all_read, name="read_all"),
]

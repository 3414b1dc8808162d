from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("registration/", views.registration, name="registration"),
    path("registration/move/", views.registration_move, name="registration_move"),
    path("registration/end/", views.registration_end, name="registration_end"),
]

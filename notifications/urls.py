from django.urls import path
from django.views.generic import RedirectView

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="notifications:preferences"), name="index"),
    path("preferences/", views.preferences, name="preferences"),
    path("services/<slug:slug>/", views.service_subscription, name="service-subscription"),
]

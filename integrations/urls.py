"""Ingest endpoints, mounted under /api/v1/ (token-authenticated, no session, no CSRF)."""

from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("integrations/alertmanager/", views.alertmanager_webhook, name="alertmanager"),
    path("integrations/heartbeat/", views.heartbeat, name="heartbeat"),
    path("events/", views.events, name="events"),
]

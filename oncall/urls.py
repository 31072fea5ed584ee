"""Secret-token iCalendar feeds (no login)."""

from django.urls import path

from oncall import views

app_name = "oncall"

urlpatterns = [
    path("calendar/<str:token>.ics", views.schedule_calendar, name="schedule-calendar"),
    path("me/<str:token>.ics", views.user_calendar, name="user-calendar"),
]

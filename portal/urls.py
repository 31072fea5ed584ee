from django.urls import path

from portal.views import actions, files, home, incidents, report

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("report/", report.report, name="report"),
    path("report/known/", report.known_fragment, name="report-known"),
    path("incidents/", incidents.incident_list, name="incident-list"),
    path("incidents/<str:number>/", incidents.incident_detail, name="incident-detail"),
    path("incidents/<str:number>/submitted/", report.report_done, name="report-done"),
    path("incidents/<str:number>/close/", actions.incident_close, name="incident-close"),
    path("incidents/<str:number>/reopen/", actions.incident_reopen, name="incident-reopen"),
    path("incidents/<str:number>/follow/", actions.incident_follow, name="incident-follow"),
    path("incidents/<str:number>/unfollow/", actions.incident_unfollow, name="incident-unfollow"),
    path(
        "incidents/<str:number>/files/<int:pk>/",
        files.attachment_download,
        name="attachment-download",
    ),
]

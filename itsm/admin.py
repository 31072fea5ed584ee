"""The admin site is the responder workspace; its index page is the dashboard."""

from django.contrib import admin


class ItsmAdminSite(admin.AdminSite):
    site_header = "IT Service Desk"
    site_title = "IT Service Desk"
    index_title = "Responder workspace"

from django.contrib.admin.apps import AdminConfig


class ItsmAdminConfig(AdminConfig):
    """Installs the responder workspace (itsm.admin.ItsmAdminSite) as the admin site."""

    default_site = "itsm.admin.ItsmAdminSite"

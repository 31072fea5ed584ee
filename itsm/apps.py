from django.contrib.admin.apps import AdminConfig


class ItsmAdminConfig(AdminConfig):
    """Installs the responder workspace (itsm.admin.ItsmAdminSite) as the admin site, and
    the project-wide account rules (itsm.accounts)."""

    default_site = "itsm.admin.ItsmAdminSite"

    def ready(self):
        super().ready()
        from itsm import accounts

        accounts.connect()

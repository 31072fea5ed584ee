from django.contrib.admin.apps import AdminConfig


class ItsmAdminConfig(AdminConfig):
    """Installs the responder workspace (itsm.admin.ItsmAdminSite) as the admin site, and
    the project-wide account rules (itsm.accounts), the permission and user caches'
    invalidation and the history managers' reuse (itsm.history)."""

    default_site = "itsm.admin.ItsmAdminSite"

    def ready(self):
        super().ready()
        from itsm import accounts, history, permissions_cache, user_cache

        accounts.connect()
        permissions_cache.connect()
        user_cache.connect()
        history.reuse_manager_classes()

from django.contrib import admin

from identity.models import OidcIdentity


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """Read-only: identities are written by single sign-on (identity.services)."""

    list_display = ("user", "issuer", "subject", "last_sign_in")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "subject")
    readonly_fields = ("user", "issuer", "subject", "created_at", "last_sign_in", "groups")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

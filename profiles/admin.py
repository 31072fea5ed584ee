"""Preferences in the workspace: each staff member reaches their own through "My preferences"
in the header; whoever may change users sets anyone's here."""

from django.contrib import admin

from profiles.models import UserProfile


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "time_zone"]
    list_select_related = ["user"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user"]
    fields = ["user", "language", "time_zone"]

    def _may(self, request) -> bool:
        return request.user.has_perm("auth.change_user")

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request)

    def has_delete_permission(self, request, obj=None):
        return self._may(request)

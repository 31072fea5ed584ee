"""Preferences in the workspace: an inline on the user admin (managers can set anyone's),
and each staff member reaches their own through "My preferences" in the header."""

from django.contrib import admin

from profiles.models import UserProfile


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    extra = 1
    max_num = 1
    fields = ["language", "time_zone"]

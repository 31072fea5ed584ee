"""URLs for the test of registered admin pages: built on first import, after the test
has registered its page on the admin site."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]

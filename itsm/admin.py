"""The admin site is the responder workspace; its index page is the dashboard.

Apps add whole pages to it (reports, for example) with `register_page`, so the site keeps
one login, one permission check (`admin_view`) and one navigation.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from identity.discovery import provider_logout_url
from identity.selectors import login_page_context
from itsm.admin_access import hide_unviewable_objects
from itsm.admin_input import AutocompleteIdsMixin
from itsm.login import AdminLoginForm


@dataclass(frozen=True)
class AdminPage:
    route: str
    view: object
    name: str
    title: str
    permission: str  # shown in navigation only to users holding it


class ItsmAdminSite(admin.AdminSite):
    site_header = _("IT Service Desk")
    site_title = _("IT Service Desk")
    index_title = _("Responder workspace")
    index_template = "admin/dashboard.html"
    login_form = AdminLoginForm
    # The incident list needs the width more than a second navigation does; the index
    # (dashboard) links everywhere.
    enable_nav_sidebar = False
    pages: list[AdminPage] = []

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin (ours, Django's, third-party) gets relation fields that hold
        against values that are not ids (itsm.admin_input)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AutocompleteIdsMixin):
            admin_class = type(admin_class.__name__, (AutocompleteIdsMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def register_page(self, *, route: str, view, name: str, title: str, permission: str):
        """Add a custom page under /admin/<route>; `view(request, context)` gets the site's
        context (each_context) and must check `permission` itself for its data."""
        self.pages.append(AdminPage(route, view, name, title, permission))

    def login(self, request, extra_context=None):
        """Django's login page, with the single sign-on button when it is configured."""
        return super().login(request, {**(extra_context or {}), **login_page_context(request)})

    def logout(self, request, extra_context=None):
        """Also ends a single sign-on session at the provider (RP-initiated logout)."""
        at_provider = provider_logout_url(request) if request.method == "POST" else None
        response = super().logout(request, extra_context)
        return redirect(at_provider) if at_provider else response

    def admin_view(self, view, cacheable=False):
        """Also hides object pages from staff whose role cannot view the model (404 for any
        id, existing or not; see itsm.admin_access)."""
        return super().admin_view(hide_unviewable_objects(view), cacheable)

    def get_urls(self):
        extra = [
            path(page.route, self.admin_view(self._page_view(page)), name=page.name)
            for page in self.pages
        ]
        return extra + super().get_urls()

    def _page_view(self, page: AdminPage):
        def view(request, *args, **kwargs):
            return page.view(request, self.each_context(request), *args, **kwargs)

        return view

    def index(self, request, extra_context=None):
        """The dashboard: the incident figures of the person looking (none for staff who
        do not work incidents), the registered pages, then the usual list of models."""
        from incidents.admin.dashboard import dashboard_for

        context = {"dashboard": dashboard_for(request.user), **(extra_context or {})}
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        if getattr(request, "_itsm_no_app_list", False):
            return []
        return super().get_app_list(request, app_label)

    def each_context(self, request):
        # Django builds the app list for every page, for the navigation sidebar only
        # (`available_apps`); with the sidebar off it was a permission walk over every
        # registered model for nothing. The index still builds its own.
        request._itsm_no_app_list = not self.enable_nav_sidebar
        try:
            context = super().each_context(request)
        finally:
            del request._itsm_no_app_list
        context["extra_pages"] = [
            page for page in self.pages if request.user.has_perm(page.permission)
        ]
        return context

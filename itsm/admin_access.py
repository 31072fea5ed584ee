"""Object pages of the admin answer 404 to staff whose role cannot view the model.

Django's admin answers such a user 403 on a change page but, on the history page, 403 for an
object that exists and a redirect for one that does not, and "view on site" redirects to the
object's public URL: each tells a staff member without a role which ids exist (and the
number of the incident behind an id). With this guard they get 404 for every id, existing
or not, before the admin looks anything up.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.http import Http404


def _may_view_content_type(user, content_type_id) -> bool:
    from django.contrib.contenttypes.models import ContentType

    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ValueError, ContentType.DoesNotExist):
        return False
    if model is None:
        return False
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "change")
    )


def hide_unviewable_objects(view):
    """Wrap an admin view: object routes (those with an object id) of a model the user may
    not view, and "view on site" for such a model, raise Http404 before the view runs."""
    model_admin = getattr(view, "__self__", None)
    if isinstance(model_admin, admin.ModelAdmin):

        @wraps(view)
        def guarded(request, *args, **kwargs):
            # Every parameter of a model admin's route names an object (object_id, the
            # user id of the password page, simple-history's positional ids).
            if (args or kwargs) and not model_admin.has_view_or_change_permission(request):
                raise Http404("No such object.")
            return view(request, *args, **kwargs)

        return guarded
    if view is contenttype_views.shortcut:

        @wraps(view)
        def guarded_shortcut(request, content_type_id, object_id):
            if not _may_view_content_type(request.user, content_type_id):
                raise Http404("No such object.")
            return view(request, content_type_id, object_id)

        return guarded_shortcut
    return view

"""Addresses only a button may use: they change something, so they accept POST only.

Opened as a page (a bookmark, a link copied from the address bar, a reload after signing in
again), they answer a styled 405 that says nothing was changed and links to the page with
the button, instead of the browser's blank "405 Method Not Allowed"."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse
from django.template.response import TemplateResponse


def button_only_page(request, *, back_url: str, back_label: str) -> HttpResponse:
    """The 405 for a GET (or anything but POST) on a button's address."""
    context = {"back_url": back_url, "back_label": back_label}
    response = TemplateResponse(request, "405.html", context, status=405)
    response["Allow"] = "POST"
    return response.render()


def post_only(back: Callable[..., tuple[str, str]]):
    """Like `require_POST`, answering other methods with `button_only_page`; `back` gets
    the view's arguments and returns the (url, label) of the page with the button."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                url, label = back(request, *args, **kwargs)
                return button_only_page(request, back_url=url, back_label=label)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

"""Response headers Django's SecurityMiddleware does not set itself, the methods pages
answer, and the cheap answer to /favicon.ico."""

from django.conf import settings
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
)
from django.utils.deprecation import MiddlewareMixin

from itsm.text import scrub_text, text_problem

DEFAULT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Adds a Content-Security-Policy (scripts only from our own origin, no framing)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "ITSM_CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class NoFaviconMiddleware:
    """`/favicon.ico` answers an empty 404 at once, which browsers keep for a day.

    Our pages declare that they have no icon (`<link rel="icon" href="data:,">`), so only
    browsers showing something else (API JSON, a download) and crawlers ask for it. Without
    this, each of those requests would read the session and the user and render the 404
    page; with it they cost nothing, and no icon file has to be designed and kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != "/favicon.ico":
            return self.get_response(request)
        response = HttpResponseNotFound(b"", content_type="text/plain")
        response["Cache-Control"] = "public, max-age=86400"
        return response


PAGE_METHODS = ("GET", "HEAD", "POST")


def _serves(view_class, method: str) -> bool:
    """As View._allowed_methods, which needs an instance: HEAD is served by `get`."""
    return hasattr(view_class, method) or (method == "head" and hasattr(view_class, "get"))


class PageMethodsMiddleware(MiddlewareMixin):
    """Pages answer OPTIONS and any method they do not serve without rendering: left to
    themselves, function views (portal, admin) treat OPTIONS, PROPFIND or an invented
    method as a GET, and some class-based views (password reset) render for any method.

    A class-based page answers OPTIONS with its Allow header and other methods it lacks
    with 405; a function view, whose methods cannot be read, answers 405 to anything but
    GET, HEAD and POST. API and intake views (the CSRF-exempt ones) answer for themselves:
    DRF's OPTIONS is their metadata, the intake views are POST only."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "csrf_exempt", False):
            return None
        view_class = getattr(view_func, "view_class", None)
        if view_class is None:
            allowed = list(PAGE_METHODS)
        else:
            names = [name for name in view_class.http_method_names if _serves(view_class, name)]
            allowed = [name.upper() for name in names]
            if request.method == "OPTIONS":
                return HttpResponse(headers={"Allow": ", ".join(allowed)})
        return None if request.method in allowed else HttpResponseNotAllowed(allowed)


class PageInputMiddleware(MiddlewareMixin):
    """The input boundary of pages (portal, accounts, admin): a query or form value, or a
    file name, that cannot be stored (itsm.text: NUL; undecodable bytes already arrive as
    U+FFFD) is refused with a 400 naming the field before any view looks it up or saves
    it. No browser sends one from a form, so this is hostile input, answered without the
    page. API and intake views (the CSRF-exempt ones) have their own boundaries."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "csrf_exempt", False):
            return None
        for name, value in _fields(request):
            problem = text_problem(name) or text_problem(value)
            if problem:
                message = f"The field {scrub_text(name)!r} cannot be stored. {problem}"
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return None


def _fields(request):
    """(name, value) of every query parameter, form field and file name."""
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for values in sources:
        for name in values:
            yield from ((name, value) for value in values.getlist(name))
    if request.method == "POST":
        yield from ((name, upload.name or "") for name, upload in request.FILES.items())

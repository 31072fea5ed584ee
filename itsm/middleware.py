"""Response headers Django's SecurityMiddleware does not set itself, and the methods pages
answer."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from rest_framework.views import APIView

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


PAGE_METHODS = ("GET", "HEAD", "POST")


class PageMethodsMiddleware:
    """Pages answer OPTIONS and any method they do not serve without rendering: left to
    themselves, function views (portal, admin) treat OPTIONS, PROPFIND or an invented
    method as a GET, and some class-based views (password reset) render for any method.

    A class-based page answers OPTIONS with its Allow header and other methods it lacks
    with 405; a function view, whose methods cannot be read, answers 405 to anything but
    GET, HEAD and POST. API views keep DRF's own answers (OPTIONS is their metadata)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        if view_class is None:
            allowed = list(PAGE_METHODS)
        else:
            names = [name for name in view_class.http_method_names if hasattr(view_class, name)]
            allowed = [name.upper() for name in names]
            if request.method == "OPTIONS":
                return HttpResponse(headers={"Allow": ", ".join(allowed)})
        return None if request.method in allowed else HttpResponseNotAllowed(allowed)

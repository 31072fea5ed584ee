"""The interactive API documentation (Swagger UI, served locally)."""

from django.http import HttpResponse
from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI. OPTIONS answers the allowed methods itself: DRF's metadata answer would
    be rendered through the page's HTML template renderer, which has no template for it."""

    def options(self, request, *args, **kwargs):
        return HttpResponse(headers={"Allow": ", ".join(self.allowed_methods)})

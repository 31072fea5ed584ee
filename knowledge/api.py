"""GET /api/v1/articles/ (read-only, `search` and `service` parameters, the caller's
audience) and GET /api/v1/articles/metrics/ (views, answers, reports filed after reading,
deflection; responders and managers only)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.errors import COMMON, error
from knowledge import selectors
from knowledge.forms import ArticleSearchForm
from knowledge.models import Article
from problems.markdown import render_markdown
from reports.api import WorksIncidents
from reports.forms import MetricsQueryForm


class ArticleSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    body_html = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "title",
            "service",
            "audience",
            "body",
            "body_html",
            "url",
            "published_at",
            "updated_at",
        ]

    def get_body_html(self, article) -> str:
        return str(render_markdown(article.body))

    def get_url(self, article) -> str:
        return self.context["request"].build_absolute_uri(article.get_absolute_url())


class ArticlePagination(PageNumberPagination):
    page_size = 25


class ArticleList(generics.ListAPIView):
    """Published articles the caller may read (public ones; staff-only ones too for
    responders), best matches first with `search`."""

    serializer_class = ArticleSerializer
    pagination_class = ArticlePagination
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        form = ArticleSearchForm({"q": params.get("search", ""), "service": params.get("service")})
        if not form.is_valid():
            errors = {"search" if k == "q" else k: v for k, v in form.errors.items()}
            raise ValidationError(errors)
        data = form.cleaned_data
        return selectors.article_list(
            self.request.user, service=data["service"], text=data["q"]
        ).defer(None)

    @extend_schema(
        summary="List knowledge articles",
        parameters=[
            OpenApiParameter("search", OpenApiTypes.STR, description="Words to look for."),
            OpenApiParameter("service", OpenApiTypes.STR, description="A service's slug."),
        ],
        responses={
            200: ArticleSerializer(many=True),
            400: error(400, "`search` or `service` is not valid; `errors` names it."),
            404: error(404, "No such page of results."),
            **COMMON,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ArticleMetrics(APIView):
    """Per article: views, yes and no answers, reports filed after reading and the
    deflection rate, for `from`..`to` (default the last 30 days)."""

    permission_classes = [IsAuthenticated, WorksIncidents]

    @extend_schema(
        summary="Knowledge article figures",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (YYYY-MM-DD)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day included."),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            400: error(400, "A parameter is not valid; `errors` names it."),
            403: error(403, "Only responders and incident managers see these figures."),
            **COMMON,
        },
    )
    def get(self, request):
        params = request.query_params
        blank = [name for name in ("from", "to") if name in params and not params[name].strip()]
        if blank:  # "?to=" is a mistake, not a request for the default (as /metrics/)
            raise ValidationError({name: [_("Give a value or leave it out.")] for name in blank})
        form = MetricsQueryForm(params)
        if not form.is_valid():
            raise ValidationError(
                {"from" if k == "start" else k: v for k, v in form.errors.items()}
            )
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = selectors.article_figures(start=start, end=end)
        return Response(
            {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "units": {"rates": str(_("percent"))},
                "articles": [row.as_dict() for row in rows],
            }
        )


urlpatterns = [
    path("articles/", ArticleList.as_view(), name="api-articles"),
    path("articles/metrics/", ArticleMetrics.as_view(), name="api-article-metrics"),
]

"""Read-only lists integrations need to fill in incident fields, and the caller's account."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.response import Response

from api.serializers.catalog import (
    CategorySerializer,
    HoldReasonSerializer,
    MeSerializer,
    ResolutionCodeSerializer,
    ServiceSerializer,
    TeamSerializer,
)
from api.serializers.errors import COMMON
from incidents.models import Category, HoldReason, ResolutionCode, Service, Team


class _Catalog(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Small reference tables: unpaginated, unfiltered, one query."""

    pagination_class = None
    filter_backends: list = []


def _listed(summary: str, serializer):
    return extend_schema_view(
        list=extend_schema(summary=summary, responses={200: serializer(many=True), **COMMON})
    )


@_listed("List services", ServiceSerializer)
class ServiceViewSet(_Catalog):
    queryset = Service.objects.select_related("owner_team")
    serializer_class = ServiceSerializer


@_listed("List teams", TeamSerializer)
class TeamViewSet(_Catalog):
    queryset = Team.objects.all()
    serializer_class = TeamSerializer


@_listed("List categories", CategorySerializer)
class CategoryViewSet(_Catalog):
    queryset = Category.objects.select_related("parent")
    serializer_class = CategorySerializer


@_listed("List hold reasons", HoldReasonSerializer)
class HoldReasonViewSet(_Catalog):
    queryset = HoldReason.objects.filter(active=True)
    serializer_class = HoldReasonSerializer


@_listed("List resolution codes", ResolutionCodeSerializer)
class ResolutionCodeViewSet(_Catalog):
    queryset = ResolutionCode.choosable()  # the codes a resolve accepts from people
    serializer_class = ResolutionCodeSerializer


class MeView(generics.GenericAPIView):
    """The token's user and role: what the API will let this token do."""

    serializer_class = MeSerializer

    @extend_schema(summary="The current user", responses={200: MeSerializer, **COMMON})
    def get(self, request):
        return Response(MeSerializer(request.user).data)

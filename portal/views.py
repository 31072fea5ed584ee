from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from incidents.models import Incident


@login_required
def home(request):
    return HttpResponse("Portal")


@login_required
def incident_detail(request, number):
    incident = get_object_or_404(Incident.objects.visible_to(request.user), number=number)
    if incident is None:
        raise Http404
    return HttpResponse(incident.number)

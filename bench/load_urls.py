"""The product's URLs plus the two floor views of the load benchmark: `floor/ok` answers
with nothing but the middleware stack, `floor/insert` adds one INSERT (autocommit). They
bound what any page or write can reach on the same machine, processes and middleware."""

from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from itsm.urls import urlpatterns as product_urlpatterns


def floor_ok(request):
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
def floor_insert(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor_row (note) VALUES (%s) RETURNING id", ["x"])
        row_id = cursor.fetchone()[0]
    return HttpResponse(str(row_id), content_type="text/plain", status=201)


urlpatterns = [path("floor/ok", floor_ok), path("floor/insert", floor_insert), *product_urlpatterns]

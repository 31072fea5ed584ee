"""The product's URLs plus `bench/insert/`: the baseline, a bare Django view that parses the
same JSON body and inserts one row, with nothing else in the way."""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from itsm.urls import urlpatterns as product_urlpatterns

BASELINE_TABLE = "bench_intake_row"


@csrf_exempt
def bare_insert(request):
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BASELINE_TABLE} (receiver, body) VALUES (%s, %s)",
            [body.get("receiver", ""), request.body.decode()],
        )
    return JsonResponse({"status": "success"})


urlpatterns = [path("bench/insert/", bare_insert), *product_urlpatterns]

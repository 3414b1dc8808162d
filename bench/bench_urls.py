"""The app's URLs plus ``/bench/insert``, the baseline of bench/checkin.py: one INSERT per POST,
behind the same middleware (session, CSRF, login) as the API."""

from django.db import connection
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

TABLE = "bench_insert"


def insert(request):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (person, created_at) VALUES (%s, now()) RETURNING id",  # noqa: S608
            [request.GET.get("person", "")],
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("bench/insert", insert, name="bench_insert"), *app_urlpatterns]

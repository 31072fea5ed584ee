from django.urls import path

from satisfaction import views

app_name = "satisfaction"

urlpatterns = [
    path("incidents/<str:number>/", views.rate_in_portal, name="rate-portal"),
    path("<str:token>/", views.rate_by_link, name="rate-link"),
]

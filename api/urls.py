from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("api/v1/aanmeldingen/", views.handoff_create, name="handoff_create"),
    path("api/v1/aanmeldingen/<str:public_id>/status/", views.handoff_status, name="handoff_status"),
    path("api/v1/activiteiten/", views.activity_list, name="activity_list"),
    path(
        "api/v1/schema/",
        login_not_required(SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[])),
        name="schema",
    ),
    path("api/v1/", views.documentation, name="documentation"),
]

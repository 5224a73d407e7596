from django.urls import path

from . import views

app_name = "cijfers"

urlpatterns = [
    path("dashboard/cijfers/", views.figures_page, name="figures"),
    path("dashboard/cijfers/rapportages/", views.reports, name="reports"),
    path("dashboard/cijfers/rapportages/<int:pk>/<str:kind>/", views.report_download, name="report_download"),
]

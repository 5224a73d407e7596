from django.urls import path

from . import views

app_name = "kandidaten"

urlpatterns = [
    path("aanmelden/", views.intake, name="intake"),
    path("aanmelden/bedankt/", views.intake_done, name="intake_done"),
    path("dashboard/", views.inbox, name="inbox"),
    path("dashboard/kandidaten/nieuw/", views.phone_intake, name="phone_intake"),
    path("dashboard/kandidaten/nieuw/dubbelen/", views.phone_intake_duplicates, name="phone_intake_duplicates"),
    path("dashboard/dubbelen/", views.duplicates, name="duplicates"),
    path("dashboard/landelijk/", views.national_queue, name="national_queue"),
    path("dashboard/kandidaten/<int:pk>/", views.candidate_detail, name="candidate"),
    path("dashboard/kandidaten/<int:pk>/bewerken/", views.candidate_edit, name="candidate_edit"),
    path("dashboard/kandidaten/<int:pk>/toewijzen/", views.candidate_assign, name="candidate_assign"),
    path("dashboard/kandidaten/<int:pk>/status/", views.candidate_status, name="candidate_status"),
    path("dashboard/kandidaten/<int:pk>/contactmoment/", views.contact_moment_create, name="contact_moment_create"),
    path("dashboard/kandidaten/<int:pk>/samenvoegen/<int:other_pk>/", views.candidate_merge, name="candidate_merge"),
    path("dashboard/kandidaten/<int:pk>/regio/", views.candidate_hand_over, name="candidate_hand_over"),
]

from django.urls import path

from .views import dashboard, intake, matches

app_name = "kandidaten"

urlpatterns = [
    path("aanmelden/", intake.intake, name="intake"),
    path("aanmelden/bedankt/", intake.intake_done, name="intake_done"),
    path("dashboard/", dashboard.inbox, name="inbox"),
    path("dashboard/kandidaten/nieuw/", intake.phone_intake, name="phone_intake"),
    path("dashboard/kandidaten/nieuw/dubbelen/", intake.phone_intake_duplicates, name="phone_intake_duplicates"),
    path("dashboard/dubbelen/", dashboard.duplicates, name="duplicates"),
    path("dashboard/landelijk/", dashboard.national_queue, name="national_queue"),
    path("dashboard/kandidaten/<int:pk>/", dashboard.candidate_detail, name="candidate"),
    path("dashboard/kandidaten/<int:pk>/bewerken/", dashboard.candidate_edit, name="candidate_edit"),
    path("dashboard/kandidaten/<int:pk>/toewijzen/", dashboard.candidate_assign, name="candidate_assign"),
    path("dashboard/kandidaten/<int:pk>/status/", dashboard.candidate_status, name="candidate_status"),
    path("dashboard/kandidaten/<int:pk>/contactmoment/", dashboard.contact_moment_create, name="contact_moment_create"),
    path(
        "dashboard/kandidaten/<int:pk>/samenvoegen/<int:other_pk>/", dashboard.candidate_merge, name="candidate_merge"
    ),
    path("dashboard/kandidaten/<int:pk>/regio/", dashboard.candidate_hand_over, name="candidate_hand_over"),
    path("dashboard/matches/", matches.new_matches, name="new_matches"),
    path("dashboard/matches/<int:pk>/accepteren/", matches.match_accept, name="match_accept"),
    path("dashboard/matches/<int:pk>/afwijzen/", matches.match_reject, name="match_reject"),
]

from django.urls import path

from .views import dashboard, intake, matches, privacy

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
    path("mijn-gegevens/", privacy.link_request, name="privacy_request"),
    path("mijn-gegevens/verstuurd/", privacy.link_sent, name="privacy_sent"),
    path("mijn-gegevens/link/<str:token>/", privacy.link_arrive, name="privacy_link"),
    path("mijn-gegevens/openen/", privacy.link_open, name="privacy_open"),
    path("mijn-gegevens/overzicht/", privacy.overview, name="privacy_overview"),
    path("mijn-gegevens/wijzigen/", privacy.correct, name="privacy_correct"),
    path("mijn-gegevens/toestemming/", privacy.consents, name="privacy_consents"),
    path("mijn-gegevens/download/", privacy.download, name="privacy_download"),
    path("mijn-gegevens/verwijderen/", privacy.erase, name="privacy_erase"),
    path("mijn-gegevens/verwijderd/", privacy.erased, name="privacy_erased"),
    path("mijn-gegevens/afmelden/", privacy.sign_out, name="privacy_sign_out"),
    path("dashboard/verwijderverzoeken/", privacy.erasure_requests, name="erasure_requests"),
    path(
        "dashboard/kandidaten/<int:pk>/verwijderverzoek/",
        privacy.erasure_request_record,
        name="erasure_request_record",
    ),
    path("dashboard/kandidaten/<int:pk>/verwijderen/", privacy.erasure_carry_out, name="erasure_carry_out"),
    path("dashboard/matches/", matches.new_matches, name="new_matches"),
    path("dashboard/matches/<int:pk>/accepteren/", matches.match_accept, name="match_accept"),
    path("dashboard/matches/<int:pk>/afwijzen/", matches.match_reject, name="match_reject"),
]

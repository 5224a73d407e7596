from django.urls import path

from .views import agenda, cohorts, introductions, offers, organisations

app_name = "werkgevers"

urlpatterns = [
    # Public: the agenda of activities, sign-up and cancellation, calendar feeds, access requests.
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/<int:pk>/", agenda.activity, name="activity"),
    path("agenda/<int:pk>/aanmelden/", agenda.activity_signup, name="activity_signup"),
    path("agenda/aangemeld/", agenda.activity_signup_done, name="activity_signup_done"),
    path("agenda/afmelden/<str:token>/", agenda.registration_cancel, name="registration_cancel"),
    path("agenda/<int:pk>/agenda.ics", agenda.activity_ics, name="activity_ics"),
    path("agenda/werkgever/<int:organisation_pk>.ics", agenda.organisation_feed, name="organisation_feed"),
    path("werkgever/toegang-aanvragen/", organisations.access_request, name="access_request"),
    path("werkgever/toegang-aanvragen/verstuurd/", organisations.access_request_done, name="access_request_done"),
    path("werkgever/uitnodiging/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
    # Employer portal: the employer's own organisation.
    path("werkgever/", organisations.employer_home, name="employer_home"),
    path("werkgever/organisatie/", organisations.organisation_edit, name="organisation_edit"),
    path("werkgever/locaties/nieuw/", organisations.location_create, name="location_create"),
    path("werkgever/locaties/<int:pk>/", organisations.location_edit, name="location_edit"),
    path("werkgever/contactpersonen/nieuw/", organisations.contact_person_create, name="contact_person_create"),
    path("werkgever/contactpersonen/<int:pk>/", organisations.contact_person_edit, name="contact_person_edit"),
    path("werkgever/aanbod/", offers.employer_offers, name="employer_offers"),
    path("werkgever/aanbod/nieuw/", offers.offer_create, name="offer_create"),
    path("werkgever/aanbod/<int:pk>/", offers.offer_detail, name="offer_detail"),
    path("werkgever/aanbod/<int:pk>/bewerken/", offers.offer_edit, name="offer_edit"),
    path("werkgever/aanbod/<int:pk>/status/", offers.offer_status, name="offer_status"),
    path("werkgever/aanbod/<int:pk>/kopieren/", offers.offer_copy, name="offer_copy"),
    path("werkgever/aanbod/<int:pk>/aanmeldingen/", agenda.offer_registrations, name="offer_registrations"),
    path(
        "werkgever/aanmeldingen/<int:pk>/aanwezigheid/",
        agenda.registration_attendance,
        name="registration_attendance",
    ),
    path("werkgever/voorstellen/", introductions.employer_introductions, name="employer_introductions"),
    path("werkgever/voorstellen/<int:pk>/", introductions.introduction_detail, name="introduction_detail"),
    path("werkgever/voorstellen/<int:pk>/antwoord/", introductions.introduction_answer, name="introduction_answer"),
    path("werkgever/voorstellen/<int:pk>/uitkomst/", introductions.introduction_outcome, name="introduction_outcome"),
    path("werkgever/bbl-klassen/", cohorts.employer_cohorts, name="employer_cohorts"),
    path("werkgever/bbl-klassen/<int:pk>/", cohorts.employer_cohort, name="employer_cohort"),
    path("werkgever/bbl-klassen/<int:pk>/toezeggen/", cohorts.cohort_pledge, name="cohort_pledge"),
    # Coordinators (and administrators) at /dashboard/.
    path("dashboard/werkgevers/", organisations.organisations, name="organisations"),
    path("dashboard/werkgevers/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("dashboard/werkgevers/<int:pk>/uitnodigen/", organisations.invitation_create, name="invitation_create"),
    path("dashboard/toegangsaanvragen/", organisations.access_requests, name="access_requests"),
    path("dashboard/toegangsaanvragen/<int:pk>/", organisations.access_request_decide, name="access_request_decide"),
    path("dashboard/aanbod/", offers.coordinator_offers, name="coordinator_offers"),
    path("dashboard/aanbod/<int:pk>/", offers.coordinator_offer, name="coordinator_offer"),
    path(
        "dashboard/kandidaten/<int:candidate_pk>/voorstellen/",
        introductions.introduction_create,
        name="introduction_create",
    ),
    path("dashboard/voorstellen/", introductions.coordinator_introductions, name="coordinator_introductions"),
    path(
        "dashboard/voorstellen/<int:pk>/intrekken/", introductions.introduction_withdraw, name="introduction_withdraw"
    ),
    path("dashboard/bbl-klassen/", cohorts.cohorts, name="cohorts"),
    path("dashboard/bbl-klassen/nieuw/", cohorts.cohort_create, name="cohort_create"),
    path("dashboard/bbl-klassen/<int:pk>/", cohorts.cohort_detail, name="cohort_detail"),
    path("dashboard/bbl-klassen/<int:pk>/plaatsen/", cohorts.cohort_place, name="cohort_place"),
]

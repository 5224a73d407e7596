"""Moderation: an employer submits, the coordinators of the region hear about it, a coordinator
publishes or sends the story back with a reason (by e-mail to the submitter), takes it offline. Two
coordinators at once, or one clicking twice, send nothing twice and read "already done"."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from campagne import services
from campagne.factories import StoryFactory, SubmittedStoryFactory
from campagne.models import Story
from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Notification, NotificationPreference

from .story_helpers import text

pytestmark = pytest.mark.django_db


def post(client, address, data=None, *, capture):
    with capture(execute=True):
        return client.post(address, data or {})


@pytest.fixture
def draft(organisation_a, employer_a):
    return StoryFactory(organisation=organisation_a, submitted_by=employer_a, consent_recorded_by=employer_a)


@pytest.fixture
def submitted(organisation_a, employer_a):
    return SubmittedStoryFactory(organisation=organisation_a, submitted_by=employer_a)


def url(name, story):
    return reverse(f"campagne:{name}", args=[story.pk])


# Submitting --------------------------------------------------------------------------------------


def test_submitting_tells_the_coordinators_of_the_region_only(
    employer_a_client, draft, coordinator_a, coordinator_b, region_a, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = CoordinatorFactory(email="collega.a@contactpunt.example", regions=[region_a])

    response = post(employer_a_client, url("employer_story_submit", draft), capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Story.Status.SUBMITTED
    assert draft.submitted_at is not None
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([coordinator_a.email, colleague.email])
    mail = mailoutbox[0]
    assert mail.subject == "Een verhaal wacht op moderatie: Verzorgende IG (VIG), Zorggroep Noord"
    assert (
        f"Zorggroep Noord heeft een verhaal ingediend voor de galerij van Noord-Nederland: verhaal nr. {draft.pk}"
        in (mail.body)
    )
    assert url("coordinator_story", draft) in mail.body
    assert draft.first_name not in mail.body and draft.consent_name not in mail.body
    [notification] = Notification.objects.filter(user=coordinator_a)
    assert notification.kind == "story_submitted"
    assert notification.url == url("coordinator_story", draft)
    assert not Notification.objects.filter(user=coordinator_b).exists()
    page = text(employer_a_client.get(response["Location"]))
    assert "Het verhaal is ingediend." in page
    assert "Wacht op moderatie" in page


def test_a_coordinator_who_switched_the_e_mail_off_gets_it_in_the_portal_only(
    employer_a_client, draft, coordinator_a, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=coordinator_a, kind="story_submitted", email=False, in_app=True)

    post(employer_a_client, url("employer_story_submit", draft), capture=django_capture_on_commit_callbacks)

    assert mailoutbox == []
    assert Notification.objects.filter(user=coordinator_a, kind="story_submitted").count() == 1


def test_a_region_without_coordinators_hears_it_in_its_mailbox(
    employer_a_client, draft, region_a, mailoutbox, django_capture_on_commit_callbacks
):
    region_a.email = "noord@contactpunt.example"
    region_a.save()

    post(employer_a_client, url("employer_story_submit", draft), capture=django_capture_on_commit_callbacks)

    assert [mail.to for mail in mailoutbox] == [["noord@contactpunt.example"]]


def test_submitting_twice_is_already_done_and_tells_nobody_twice(
    employer_a_client, draft, coordinator_a, mailoutbox, django_capture_on_commit_callbacks
):
    post(employer_a_client, url("employer_story_submit", draft), capture=django_capture_on_commit_callbacks)
    response = post(employer_a_client, url("employer_story_submit", draft), capture=django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    page = text(employer_a_client.get(response["Location"]))
    assert "Al gedaan: dit verhaal heeft de status ‘wacht op moderatie’." in page


# Publishing --------------------------------------------------------------------------------------


def test_a_coordinator_publishes_and_the_submitter_hears_it(
    client_a, submitted, coordinator_a, employer_a, mailoutbox, django_capture_on_commit_callbacks
):
    with mock.patch("campagne.search.refresh_search_vector") as refresh:
        response = post(client_a, url("story_publish", submitted), capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Story.Status.PUBLISHED
    assert submitted.published_at is not None
    assert submitted.moderated_by == coordinator_a
    refresh.assert_called_once_with(submitted.pk)
    [mail] = mailoutbox
    assert mail.to == [employer_a.email]
    assert mail.subject == f"Je verhaal is gepubliceerd: verhaal nr. {submitted.pk}, Verzorgende IG (VIG)"
    assert url("employer_story", submitted) in mail.body
    [notification] = Notification.objects.filter(user=employer_a)
    assert notification.kind == "story_published"
    assert notification.url == url("employer_story", submitted)
    page = text(client_a.get(response["Location"]))
    assert "Het verhaal is gepubliceerd." in page
    assert "Gepubliceerd" in page


def test_publishing_twice_sends_nothing_twice(
    client_a, client_b, submitted, coordinator_a, region_b, mailoutbox, django_capture_on_commit_callbacks
):
    post(client_a, url("story_publish", submitted), capture=django_capture_on_commit_callbacks)
    response = post(client_a, url("story_publish", submitted), capture=django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    assert Notification.objects.filter(kind="story_published").count() == 1
    assert "Al gedaan: dit verhaal heeft de status ‘gepubliceerd’." in text(client_a.get(response["Location"]))


def test_two_coordinators_at_once_one_publishes_the_other_reads_already_done(
    submitted, coordinator_a, region_a, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = CoordinatorFactory(regions=[region_a])
    stale = Story.objects.get(pk=submitted.pk)  # both opened the page while it was waiting

    with django_capture_on_commit_callbacks(execute=True):
        services.story_publish(story=submitted, actor=coordinator_a)
    with pytest.raises(services.StoryRefused) as refused, django_capture_on_commit_callbacks(execute=True):
        services.story_send_back(story=stale, reason="Foto is onscherp", actor=colleague)

    assert refused.value.code == "not_possible"
    assert Story.objects.get(pk=submitted.pk).status == Story.Status.PUBLISHED
    assert len(mailoutbox) == 1


def test_an_employers_draft_is_not_published_before_it_is_submitted(
    client_a, draft, mailoutbox, django_capture_on_commit_callbacks
):
    response = post(client_a, url("story_publish", draft), capture=django_capture_on_commit_callbacks)

    draft.refresh_from_db()
    assert draft.status == Story.Status.DRAFT
    assert mailoutbox == []
    assert "Dit kan nu niet: het verhaal heeft de status ‘concept’." in text(client_a.get(response["Location"]))


def test_a_coordinators_own_draft_is_published_straight_away(
    client_a, coordinator_a, organisation_a, mailoutbox, django_capture_on_commit_callbacks
):
    own = StoryFactory(organisation=organisation_a, submitted_by=coordinator_a)
    page = text(client_a.get(url("coordinator_story", own)))
    assert "Publiceer het verhaal" in page

    post(client_a, url("story_publish", own), capture=django_capture_on_commit_callbacks)

    own.refresh_from_db()
    assert own.status == Story.Status.PUBLISHED
    assert mailoutbox == []  # nobody else to tell


# Sending back ------------------------------------------------------------------------------------


def test_sending_back_needs_a_reason_at_the_field(client_a, submitted, mailoutbox, django_capture_on_commit_callbacks):
    for reason in ("", "   "):
        response = post(
            client_a, url("story_send_back", submitted), {"reason": reason}, capture=django_capture_on_commit_callbacks
        )

        assert response.status_code == 200
        assert response.context["send_back_form"].errors["reason"] == [
            "Schrijf waarom het verhaal teruggaat, zodat de werkgever weet wat er anders moet."
        ]
        assert "Schrijf waarom het verhaal teruggaat" in text(response)
    submitted.refresh_from_db()
    assert submitted.status == Story.Status.SUBMITTED
    assert mailoutbox == []


def test_a_reason_of_10000_characters_or_with_markup_is_refused(client_a, submitted):
    for reason, message in (("a" * 10_000, "niet meer dan 1000 tekens"), ("<b>nee</b>", "Laat HTML of code weg")):
        response = client_a.post(url("story_send_back", submitted), {"reason": reason})

        assert response.status_code == 200
        assert message in " ".join(response.context["send_back_form"].errors["reason"])
    submitted.refresh_from_db()
    assert submitted.status == Story.Status.SUBMITTED


def test_sent_back_with_the_reason_by_e_mail_to_the_submitter(
    client_a, submitted, coordinator_a, employer_a, mailoutbox, django_capture_on_commit_callbacks
):
    # The e-mail with the reason cannot be switched off.
    NotificationPreference.objects.create(user=employer_a, kind="story_sent_back", email=False, in_app=False)
    reason = "De foto is onscherp. Kun je een scherpere foto kiezen?"

    response = post(
        client_a, url("story_send_back", submitted), {"reason": reason}, capture=django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Story.Status.SENT_BACK
    assert submitted.send_back_reason == reason
    assert submitted.moderated_by == coordinator_a
    [mail] = mailoutbox
    assert mail.to == [employer_a.email]
    assert mail.subject == f"Je verhaal is teruggestuurd: verhaal nr. {submitted.pk}, Verzorgende IG (VIG)"
    assert reason in mail.body
    assert "van contactpunt Noord-Nederland heeft verhaal nr." in mail.body
    assert "Pas het verhaal aan en dien het opnieuw in." in mail.body
    html = mail.alternatives[0][0]
    assert "De foto is onscherp." in html
    [notification] = Notification.objects.filter(user=employer_a)
    assert notification.kind == "story_sent_back"
    assert "Open het om te lezen waarom." in notification.title
    page = text(client_a.get(response["Location"]))
    assert "Het verhaal is teruggestuurd. De werkgever krijgt de reden per e-mail." in page


def test_the_employer_reads_the_reason_changes_the_story_and_submits_again(
    client_a,
    employer_a_client,
    submitted,
    coordinator_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    post(
        client_a,
        url("story_send_back", submitted),
        {"reason": "Zet er een kortere quote bij."},
        capture=django_capture_on_commit_callbacks,
    )
    listing = text(employer_a_client.get(reverse("campagne:employer_stories")))
    assert "Teruggestuurd: Zet er een kortere quote bij." in listing
    detail = text(employer_a_client.get(url("employer_story", submitted)))
    assert "Het contactpunt heeft dit verhaal teruggestuurd" in detail
    mailoutbox.clear()

    post(employer_a_client, url("employer_story_submit", submitted), capture=django_capture_on_commit_callbacks)

    submitted.refresh_from_db()
    assert submitted.status == Story.Status.SUBMITTED
    assert submitted.send_back_reason == ""
    assert [mail.to for mail in mailoutbox] == [[coordinator_a.email]]


def test_a_story_that_is_not_waiting_cannot_be_sent_back(
    client_a, draft, mailoutbox, django_capture_on_commit_callbacks
):
    response = post(
        client_a, url("story_send_back", draft), {"reason": "Nee"}, capture=django_capture_on_commit_callbacks
    )

    draft.refresh_from_db()
    assert draft.status == Story.Status.DRAFT
    assert mailoutbox == []
    assert "Dit kan nu niet" in text(client_a.get(response["Location"]))


# Taking offline ----------------------------------------------------------------------------------


def test_taking_a_story_offline_puts_it_back_in_the_queue(
    client_a, submitted, coordinator_a, django_capture_on_commit_callbacks
):
    post(client_a, url("story_publish", submitted), capture=django_capture_on_commit_callbacks)

    response = post(client_a, url("story_unpublish", submitted), capture=django_capture_on_commit_callbacks)

    submitted.refresh_from_db()
    assert submitted.status == Story.Status.SUBMITTED
    assert submitted.published_at is None
    assert not Story.objects.published().exists()
    assert "Het verhaal is offline. Het wacht weer op moderatie" in text(client_a.get(response["Location"]))
    queue = text(client_a.get(reverse("campagne:moderation")))
    assert submitted.first_name in queue

    again = post(client_a, url("story_unpublish", submitted), capture=django_capture_on_commit_callbacks)
    assert "Al gedaan: dit verhaal is niet gepubliceerd (status ‘wacht op moderatie’)." in text(
        client_a.get(again["Location"])
    )


# What the services refuse whoever calls them -----------------------------------------------------


def test_only_dashboard_users_moderate(employer_a, submitted):
    for action in (services.story_publish, services.story_unpublish):
        with pytest.raises(services.StoryRefused):
            action(story=submitted, actor=employer_a)
    with pytest.raises(services.StoryRefused):
        services.story_send_back(story=submitted, reason="Nee", actor=employer_a)
    assert Story.objects.get(pk=submitted.pk).status == Story.Status.SUBMITTED


def test_an_employer_cannot_submit_another_organisations_story(employer_b, draft):
    with pytest.raises(services.StoryRefused):
        services.story_submit(story=draft, actor=employer_b)
    assert Story.objects.get(pk=draft.pk).status == Story.Status.DRAFT


def test_the_moderation_page_offers_what_fits_the_status(client_a, submitted):
    page = text(client_a.get(url("coordinator_story", submitted)))

    assert "Publiceer het verhaal" in page
    assert "Terugsturen met deze reden" in page
    assert "Haal het verhaal offline" not in page
    assert submitted.consent_name in page  # the coordinator checks the consent


def test_a_published_story_is_found_by_the_gallery_search_and_so_is_a_correction(
    submitted, coordinator_a, django_capture_on_commit_callbacks
):
    """On PostgreSQL through the Dutch search vector the services refresh; on SQLite by the fallback."""
    from campagne.forms import initial_for
    from campagne.photos import process_story_photo
    from campagne.search import gallery_stories, search_stories

    process_story_photo(submitted.pk)
    with django_capture_on_commit_callbacks(execute=True):
        story = services.story_publish(story=submitted, actor=coordinator_a)
    assert list(search_stories(gallery_stories(), "plezier")) == [story]
    assert list(search_stories(gallery_stories(), "wijkverpleging")) == []

    details = {**initial_for(story), "function": story.function, "branch": story.branch, "region": None}
    details["text"] = "Ik werk in de wijkverpleging."
    with django_capture_on_commit_callbacks(execute=True):
        services.story_update(story=story, details=details, photo=None, tags=[], actor=coordinator_a)

    assert list(search_stories(gallery_stories(), "wijkverpleging")) == [story]

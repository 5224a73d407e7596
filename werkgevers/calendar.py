"""Calendar files (.ics) for dated activities: one activity, and an organisation's public feed.

Times are written in UTC (`20261201T090000Z`), which every calendar understands without a
time zone definition. The UID depends on the offer only, so the file from the confirmation e-mail
and the organisation's feed describe the same event and a calendar keeps one copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Offer

PRODID = "-//Contactpunt Zorg en Welzijn//Agenda//NL"


def domain_of(site_url: str) -> str:
    """The host of the portal (https://host/ → host): the right-hand side of every UID."""
    return urlsplit(site_url).hostname or "contactpunt"


def event_uid(offer: Offer, domain: str) -> str:
    return f"activiteit-{offer.pk}@{domain}"


def _address(offer: Offer) -> str:
    location = offer.location
    return f"{location.name}, {location.street}, {location.postcode} {location.place}"


def _organizer(offer: Offer, *, personal: bool) -> vCalAddress:
    """The organisation as organiser. In a participant's own file the contact person's e-mail address
    (participants may contact them); in public files the portal's no-reply address, nothing personal."""
    if personal and offer.contact_person.email:
        address = offer.contact_person.email
    else:
        address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(offer.organisation.name)
    return organizer


def build_event(offer: Offer, *, domain: str, url: str = "", personal: bool = False) -> Event:
    """One VEVENT for a dated activity. Needs offer.organisation, .location and .contact_person."""
    event = Event()
    event.add("uid", event_uid(offer, domain))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", offer.starts_at.astimezone(UTC))
    if offer.ends_at:
        event.add("dtend", offer.ends_at.astimezone(UTC))
    event.add("summary", offer.title)
    event.add("location", _address(offer))
    description = offer.description
    if url:
        description = f"{description}\n\n{url}"
        event.add("url", url)
    event.add("description", description)
    event.add("organizer", _organizer(offer, personal=personal))
    event.add("status", "CONFIRMED")
    if offer.updated_at:
        event.add("last-modified", offer.updated_at.astimezone(UTC))
    return event


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def activity_calendar(offer: Offer, *, domain: str, url: str = "", personal: bool = False) -> str:
    """A calendar file with one activity: for the confirmation e-mail and the link on the agenda."""
    calendar = _calendar()
    calendar.add_component(build_event(offer, domain=domain, url=url, personal=personal))
    return calendar.to_ical().decode()


def organisation_calendar(name: str, offers: Iterable[tuple[Offer, str]], *, domain: str) -> str:
    """The public feed of an organisation: (offer, url) pairs of its public agenda activities."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for offer, url in offers:
        calendar.add_component(build_event(offer, domain=domain, url=url))
    return calendar.to_ical().decode()

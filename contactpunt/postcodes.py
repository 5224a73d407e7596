"""Dutch postcodes: normalising what people type and routing a postcode to its region."""

from __future__ import annotations

import re

from django.db.models import IntegerField
from django.db.models.functions import Cast

from .models import PostcodeArea, Region, RegionPostcodeRange

# Four digits (no leading zero) and two letters; SA, SD and SS are never issued.
# ASCII only, matched before upper-casing: a "ß" or a ligature must not turn into two letters.
_POSTCODE = re.compile(r"([1-9][0-9]{3})([A-Za-z]{2})")
_UNUSED_LETTERS = {"SA", "SD", "SS"}
_PC4 = re.compile(r"^[1-9][0-9]{3}$")


def normalize_postcode(value: str) -> str | None:
    """`9711ab`, `9711 AB`, ` 9711-ab ` → `9711 AB`; None when it is not a Dutch postcode."""
    compact = re.sub(r"[\s\-]", "", value or "")
    match = _POSTCODE.fullmatch(compact)
    if not match:
        return None
    digits, letters = match.group(1), match.group(2).upper()
    if letters in _UNUSED_LETTERS:
        return None
    return f"{digits} {letters}"


def route_postcode(postcode: str) -> Region | None:
    """The contact point that serves a postcode, or None for the national queue.

    An explicit PC4 range wins (exceptions, and a fresh install before the import); of several
    ranges holding the PC4 the narrowest wins, so an exception needs no change to the wide range.
    Otherwise PC4 → municipality → arbeidsmarktregio → region from the reference data.
    At most two queries.
    """
    pc4 = (postcode or "").strip()[:4]
    if not _PC4.match(pc4):
        return None
    explicit = (
        RegionPostcodeRange.objects.filter(start__lte=pc4, end__gte=pc4)
        .select_related("region")
        .annotate(width=Cast("end", IntegerField()) - Cast("start", IntegerField()))
        .order_by("width", "region__name", "pk")
        .first()
    )
    if explicit:
        return explicit.region
    return (
        Region.objects.filter(labour_market_regions__municipalities__postcode_areas__pc4=pc4)
        .order_by("name", "pk")
        .first()
    )


def place_for_postcode(postcode: str) -> str:
    """The first place name of the PC4 area, when the reference data knows it."""
    area = PostcodeArea.objects.filter(pc4=postcode[:4]).only("place_names").first()
    if not area or not area.place_names:
        return ""
    return area.place_names.split(",")[0].strip()

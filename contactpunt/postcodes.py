"""Dutch postcodes: normalising what people type and routing a postcode to its region."""

from __future__ import annotations

import re

from django.db.models import Q

from .models import PostcodeArea, Region

# Four digits (no leading zero) and two letters; SA, SD and SS are never issued.
_POSTCODE = re.compile(r"^([1-9][0-9]{3})([A-Z]{2})$")
_UNUSED_LETTERS = {"SA", "SD", "SS"}


def normalize_postcode(value: str) -> str | None:
    """`9711ab`, `9711 AB`, ` 9711-ab ` → `9711 AB`; None when it is not a Dutch postcode."""
    compact = re.sub(r"[\s\-]", "", value or "").upper()
    match = _POSTCODE.match(compact)
    if not match or match.group(2) in _UNUSED_LETTERS:
        return None
    return f"{match.group(1)} {match.group(2)}"


def route_postcode(postcode: str) -> Region | None:
    """The contact point that serves a postcode, or None for the national queue.

    An explicit PC4 range wins (exceptions, and a fresh install before the import);
    otherwise PC4 → municipality → arbeidsmarktregio → region from the reference data.
    """
    pc4 = postcode[:4]
    explicit = Region.objects.filter(postcode_ranges__start__lte=pc4, postcode_ranges__end__gte=pc4).first()
    if explicit:
        return explicit
    return Region.objects.filter(Q(labour_market_regions__municipalities__postcode_areas__pc4=pc4)).first()


def place_for_postcode(postcode: str) -> str:
    """The first place name of the PC4 area, when the reference data knows it."""
    area = PostcodeArea.objects.filter(pc4=postcode[:4]).only("place_names").first()
    if not area or not area.place_names:
        return ""
    return area.place_names.split(",")[0].strip()

"""Shared bits of the gallery tests: which stories a page shows."""

from __future__ import annotations

import re

GALLERY = "/verhalen/"


def story_ids(html: str) -> list[int]:
    """The stories linked from the cards, in the order shown (each card links its story once)."""
    return [int(pk) for pk in re.findall(r'<a href="/verhalen/(\d+)/" class="stretched-link"', html)]

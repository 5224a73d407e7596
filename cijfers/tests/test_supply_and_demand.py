"""Per branch: the people who want to work there against the offers and places open in the period."""

from datetime import date

from cijfers.figures import compute
from cijfers.periods import Period

from .conftest import COUNTED_ON

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def _branches(data_set, regions):
    return {row.branch.slug: row for row in compute(regions, Q2, now=COUNTED_ON).branches}


def test_interested_against_open_offers_places_and_seats(data_set):
    branches = _branches(data_set, [data_set.region_a])

    # vvt: c1 and c2 want it; the meeloopdag of 15 May (5 seats) and the BBL place (2 places) are open.
    # The draft, the activity in July and region B's place do not count.
    vvt = branches["vvt"]
    assert (vvt.interested, vvt.offers, vvt.places, vvt.seats) == (2, 2, 2, 5)
    # Gehandicaptenzorg: c1; a vacancy without a number of places (one) open until 1 May.
    ghz = branches["gehandicaptenzorg"]
    assert (ghz.interested, ghz.offers, ghz.places, ghz.seats) == (1, 1, 1, 0)
    # GGZ: c3 wants it, but the only vacancy closed on 31 March.
    ggz = branches["ggz"]
    assert (ggz.interested, ggz.offers, ggz.places) == (1, 0, 0)
    assert branches["jeugdzorg"].interested == 0


def test_all_regions_together(data_set):
    vvt = _branches(data_set, [data_set.region_a, data_set.region_b])["vvt"]

    assert (vvt.interested, vvt.offers, vvt.places) == (3, 3, 5)

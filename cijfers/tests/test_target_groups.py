"""Target groups through the funnel, and everyone further from the labour market counted once."""

from datetime import date

from cijfers.figures import compute
from cijfers.periods import Period

from .conftest import COUNTED_ON

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def test_each_group_through_the_funnel(data_set):
    rows = compute([data_set.region_a], Q2, now=COUNTED_ON).target_groups
    groups = {row.name: row.funnel for row in rows[:-1]}
    groups["together"] = rows[-1].funnel

    def stages(name):
        funnel = groups[name]
        return (funnel.signed_up, funnel.contacted, funnel.referred, funnel.started)

    assert stages("Zij-instromer (overstap uit een andere sector)") == (1, 1, 1, 1)  # c1
    assert stages("Statushouder") == (1, 1, 1, 0)  # c2
    assert stages("Met een uitkering") == (2, 1, 1, 0)  # c2, c6
    assert stages("Herintreder") == (1, 1, 0, 0)  # c3
    assert stages("Scholier") == (0, 0, 0, 0)
    # c2 (two of these groups) once, and c6.
    # The last row: uitkering, statushouder, praktijkonderwijs/vso, foreign diploma, adapted workplace.
    assert stages("together") == (2, 1, 1, 0)

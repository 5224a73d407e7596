"""Routing a postcode to its contact point: explicit PC4 ranges first, then PC4 → gemeente → arbeidsmarktregio."""

import pytest

from contactpunt.factories import (
    LabourMarketRegionFactory,
    MunicipalityFactory,
    PostcodeAreaFactory,
    RegionFactory,
    RegionPostcodeRangeFactory,
)
from contactpunt.postcodes import place_for_postcode, route_postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def groningen():
    """Reference data as the import loads it: PC4 9711 → gemeente Groningen → AM01 Groningen."""
    labour_market_region = LabourMarketRegionFactory(code="AM01", name="Groningen")
    municipality = MunicipalityFactory(code="0014", name="Groningen", labour_market_region=labour_market_region)
    PostcodeAreaFactory(pc4="9711", place_names="Groningen", municipality=municipality)
    return labour_market_region


@pytest.fixture
def noord(groningen):
    region = RegionFactory(name="Noord-Nederland", slug="noord-nederland")
    region.labour_market_regions.add(groningen)
    return region


def test_reference_data_routes_when_no_range_holds_the_postcode(noord):
    assert route_postcode("9711 AB") == noord


def test_an_explicit_range_wins_over_the_reference_data(noord):
    exception = RegionFactory(name="Uitzondering", slug="uitzondering")
    RegionPostcodeRangeFactory(region=exception, start="9700", end="9799")

    assert route_postcode("9711 AB") == exception


def test_explicit_ranges_route_before_the_reference_data_is_imported():
    utrecht = RegionFactory(name="Utrecht", slug="utrecht")
    RegionPostcodeRangeFactory(region=utrecht, start="3400", end="3999")

    assert route_postcode("3511 AA") == utrecht


def test_a_postcode_without_data_or_range_goes_to_the_national_queue(noord):
    RegionPostcodeRangeFactory(region=noord, start="9000", end="9699")
    assert route_postcode("1011 AB") is None


def test_a_known_pc4_in_an_arbeidsmarktregio_no_region_serves_goes_to_the_national_queue(noord):
    amsterdam = MunicipalityFactory(
        code="0363", name="Amsterdam", labour_market_region=LabourMarketRegionFactory(code="AM18")
    )
    PostcodeAreaFactory(pc4="1011", municipality=amsterdam)

    assert route_postcode("1011 AB") is None


def test_a_region_serving_several_arbeidsmarktregios_gets_all_of_them(noord):
    friesland = LabourMarketRegionFactory(code="AM02", name="Friesland")
    drenthe = LabourMarketRegionFactory(code="AM03", name="Drenthe")
    noord.labour_market_regions.add(friesland, drenthe)
    PostcodeAreaFactory(pc4="8911", municipality=MunicipalityFactory(code="0080", labour_market_region=friesland))
    PostcodeAreaFactory(pc4="9401", municipality=MunicipalityFactory(code="0106", labour_market_region=drenthe))

    assert [route_postcode(postcode) for postcode in ("9711 AB", "8911 AA", "9401 ZZ")] == [noord] * 3


@pytest.mark.parametrize(
    ("postcode", "routed"),
    [("3399 ZZ", False), ("3400 AA", True), ("3401 AB", True), ("3999 ZZ", True), ("4000 AA", False)],
)
def test_range_boundaries_are_inclusive(postcode, routed):
    utrecht = RegionFactory(name="Utrecht", slug="utrecht")
    RegionPostcodeRangeFactory(region=utrecht, start="3400", end="3999")

    assert route_postcode(postcode) == (utrecht if routed else None)


def test_a_single_pc4_range_routes_that_pc4_only():
    region = RegionFactory(name="Flevoland", slug="flevoland")
    RegionPostcodeRangeFactory(region=region, start="8211", end="8211")

    assert [route_postcode(p) for p in ("8210 AA", "8211 AA", "8212 AA")] == [None, region, None]


def test_the_narrowest_range_wins_so_an_exception_needs_no_change_to_the_wide_range():
    noord = RegionFactory(name="Noord-Nederland", slug="noord-nederland")
    zwolle = RegionFactory(name="Regio Zwolle", slug="regio-zwolle")
    RegionPostcodeRangeFactory(region=noord, start="8441", end="9999")
    RegionPostcodeRangeFactory(region=zwolle, start="9417", end="9417")

    assert route_postcode("9417 AB") == zwolle
    assert route_postcode("9418 AB") == noord


@pytest.mark.parametrize("postcode", ["", "12", "0123 AB", "ABCD 12"])
def test_something_that_is_no_postcode_goes_to_the_national_queue_without_a_query(postcode, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert route_postcode(postcode) is None


def test_routing_takes_at_most_two_queries(noord, django_assert_max_num_queries):
    # 1. the narrowest explicit range holding the PC4 (with its region), 2. the region via the reference data.
    with django_assert_max_num_queries(2):
        assert route_postcode("9711 AB") == noord
    RegionPostcodeRangeFactory(region=noord, start="9000", end="9999")
    with django_assert_max_num_queries(1):
        assert route_postcode("9711 AB") == noord


def test_the_place_is_the_first_place_name_of_the_pc4():
    PostcodeAreaFactory(pc4="9902", place_names="Noorddorp, Oosterhoek")

    assert place_for_postcode("9902 AB") == "Noorddorp"
    assert place_for_postcode("9903 AB") == ""

"""Dutch postcodes: what people type, normalised to `1234 AB`, and routed to a contact point."""

import pytest
from django.core.exceptions import ValidationError

from contactpunt.factories import (
    LabourMarketRegionFactory,
    MunicipalityFactory,
    PostcodeAreaFactory,
    RegionFactory,
    RegionPostcodeRangeFactory,
)
from contactpunt.forms import PostcodeField
from contactpunt.postcodes import normalize_postcode, place_for_postcode, route_postcode


@pytest.mark.parametrize(
    "typed",
    ["9711ab", "9711 AB", " 9711-ab ", "9711AB", "9711 ab", "9711  AB", "9711\tab", "9711\u00a0AB", "97 11 ab"],
)
def test_what_people_type_becomes_the_standard_form(typed):
    assert normalize_postcode(typed) == "9711 AB"


@pytest.mark.parametrize(
    "typed",
    [
        "12345",  # five digits
        "ABCD 12",  # letters first
        "0123 AB",  # no postcode starts with 0
        "9711 SS",  # SA, SD and SS are never issued
        "9711 SA",
        "9711 sd",
        "971 AB",
        "97111 AB",
        "9711 A",
        "9711 ABC",
        "9711 A1",
        "9711/AB",
        "9711 ﬀ",  # a ligature that upper-cases to "FF"
        "9711 \u0131b",  # a dotless i that upper-cases to "I"
        "９７１１ AB",  # full-width digits
        "",
        "   ",
        "<script>",
    ],
)
def test_anything_else_is_not_a_postcode(typed):
    assert normalize_postcode(typed) is None


def test_none_is_not_a_postcode():
    assert normalize_postcode(None) is None


def test_the_form_field_cleans_and_explains_in_dutch():
    field = PostcodeField()

    assert field.clean(" 9711-ab ") == "9711 AB"
    with pytest.raises(ValidationError) as error:
        field.clean("12345")
    assert "Vul een Nederlandse postcode in: vier cijfers en twee letters" in str(error.value)


@pytest.mark.django_db
def test_an_explicit_range_routes_to_its_region(region_a, region_b):
    assert route_postcode("9000 AA") == region_a
    assert route_postcode("9711 AB") == region_a
    assert route_postcode("9999 ZZ") == region_a
    assert route_postcode("3511 AB") == region_b


@pytest.mark.django_db
def test_a_postcode_outside_every_range_goes_to_the_national_queue(region_a, region_b):
    assert route_postcode("1011 AB") is None
    assert route_postcode("8999 ZZ") is None


@pytest.mark.django_db
def test_routing_uses_the_reference_data_when_no_range_holds_the_postcode():
    labour_market_region = LabourMarketRegionFactory(code="AM01", name="Groningen")
    municipality = MunicipalityFactory(code="0014", name="Groningen", labour_market_region=labour_market_region)
    PostcodeAreaFactory(pc4="9711", municipality=municipality, place_names="Groningen")
    region = RegionFactory(name="Noord-Nederland", slug="noord-nederland")
    region.labour_market_regions.add(labour_market_region)

    assert route_postcode("9711 AB") == region
    assert route_postcode("9712 AB") is None


@pytest.mark.django_db
def test_an_explicit_range_wins_over_the_reference_data():
    labour_market_region = LabourMarketRegionFactory(code="AM01", name="Groningen")
    municipality = MunicipalityFactory(code="0014", name="Groningen", labour_market_region=labour_market_region)
    PostcodeAreaFactory(pc4="9711", municipality=municipality)
    by_reference_data = RegionFactory(name="Noord-Nederland", slug="noord-nederland")
    by_reference_data.labour_market_regions.add(labour_market_region)
    exception = RegionFactory(name="Uitzondering", slug="uitzondering")
    RegionPostcodeRangeFactory(region=exception, start="9711", end="9711")

    assert route_postcode("9711 AB") == exception


@pytest.mark.django_db
def test_the_place_comes_from_the_reference_data_when_it_is_there():
    PostcodeAreaFactory(pc4="9711", place_names="Groningen, Helpman")

    assert place_for_postcode("9711 AB") == "Groningen"
    assert place_for_postcode("3511 AB") == ""

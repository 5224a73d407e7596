"""Reference data: arbeidsmarktregio's, municipalities and PC4 areas from the open data files.

The files and their columns are described in ../shared/data/SOURCES.md (GeoNames and CBS, CC BY 4.0).
Every file is read and checked completely before anything is written, and the write is one
transaction of bulk upserts, so a run either loads everything or changes nothing. Running it
again updates the values in place: same rows, no duplicates.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import LabourMarketRegion, Municipality, PostcodeArea

LABOUR_MARKET_REGIONS_FILE = "arbeidsmarktregios_2026.csv"
MUNICIPALITIES_FILE = "gemeente_arbeidsmarktregio_2026.csv"
POSTCODE_AREAS_FILE = "pc4_centroids_nl.csv"

_LABOUR_MARKET_REGION_CODE = re.compile(r"^AM[0-9]{2}$")
_MUNICIPALITY_CODE = re.compile(r"^[0-9]{4}$")
_PC4 = re.compile(r"^[1-9][0-9]{3}$")
# The Netherlands with a margin, including the Wadden islands and the tip of Limburg.
_LATITUDES = (50.5, 54.0)
_LONGITUDES = (3.0, 7.5)


class GeodataError(Exception):
    """A reference data file is missing or holds a row that cannot be loaded."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        if line is None:
            text = _("%(file)s: %(message)s") % {"file": path, "message": message}
        else:
            text = _("%(file)s, line %(line)d: %(message)s") % {"file": path, "message": message, "line": line}
        super().__init__(text)


@dataclass(frozen=True)
class ImportResult:
    """How many rows each file held, and how many of those were new in the database."""

    labour_market_regions: int
    municipalities: int
    postcode_areas: int
    created: int

    @property
    def total(self) -> int:
        return self.labour_market_regions + self.municipalities + self.postcode_areas


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for every data row of a UTF-8 CSV file with at least `columns`."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise GeodataError(path, _("file not found")) from None
    except OSError as error:
        raise GeodataError(path, error.strerror or str(error)) from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            missing = [column for column in columns if column not in header]
            if missing:
                raise GeodataError(path, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}, line=1)
            for row in reader:
                if None in row or any(row.get(column) is None for column in columns):
                    raise GeodataError(
                        path, _("expected %(count)d fields") % {"count": len(header)}, line=reader.line_num
                    )
                yield reader.line_num, {key: value.strip() for key, value in row.items()}
        except (csv.Error, UnicodeDecodeError) as error:
            raise GeodataError(path, str(error), line=reader.line_num) from None


def _text(path: Path, line: int, value: str, label: str, max_length: int, *, required: bool = True) -> str:
    if required and not value:
        raise GeodataError(path, _("%(field)s is empty") % {"field": label}, line=line)
    if len(value) > max_length:
        raise GeodataError(
            path, _("%(field)s is longer than %(max)d characters") % {"field": label, "max": max_length}, line=line
        )
    return value


def _code(path: Path, line: int, value: str, pattern: re.Pattern[str], label: str) -> str:
    if not pattern.match(value):
        raise GeodataError(path, _("%(field)s %(value)r is not valid") % {"field": label, "value": value}, line=line)
    return value


def _coordinate(path: Path, line: int, value: str, label: str, bounds: tuple[float, float]) -> float:
    try:
        number: float | None = float(value)
    except ValueError:
        number = None
    if number is None or not bounds[0] <= number <= bounds[1]:
        message = _("%(field)s %(value)r is not a coordinate in the Netherlands") % {"field": label, "value": value}
        raise GeodataError(path, message, line=line)
    return number


def _unique(path: Path, line: int, seen: set[str], key: str) -> None:
    if key in seen:
        raise GeodataError(path, _("%(value)s appears more than once") % {"value": key}, line=line)
    seen.add(key)


def read_labour_market_regions(path: Path) -> list[LabourMarketRegion]:
    """`arbeidsmarktregios_2026.csv`: one row per arbeidsmarktregio (code AMnn and name)."""
    regions: list[LabourMarketRegion] = []
    seen: set[str] = set()
    for line, row in _rows(path, ("arbeidsmarktregio_code", "arbeidsmarktregio_naam")):
        code = _code(path, line, row["arbeidsmarktregio_code"], _LABOUR_MARKET_REGION_CODE, "arbeidsmarktregio_code")
        _unique(path, line, seen, code)
        name = _text(path, line, row["arbeidsmarktregio_naam"], "arbeidsmarktregio_naam", 100)
        regions.append(LabourMarketRegion(code=code, name=name))
    return regions


def read_municipalities(path: Path, labour_market_region_codes: set[str]) -> list[Municipality]:
    """`gemeente_arbeidsmarktregio_2026.csv`: each gemeente with its province and arbeidsmarktregio."""
    municipalities: list[Municipality] = []
    seen: set[str] = set()
    columns = ("gemeente_code", "gemeente_naam", "provincie", "arbeidsmarktregio_code")
    for line, row in _rows(path, columns):
        code = _code(path, line, row["gemeente_code"], _MUNICIPALITY_CODE, "gemeente_code")
        _unique(path, line, seen, code)
        region_code = row["arbeidsmarktregio_code"]
        if region_code not in labour_market_region_codes:
            raise GeodataError(path, _("unknown arbeidsmarktregio_code %(value)r") % {"value": region_code}, line=line)
        municipalities.append(
            Municipality(
                code=code,
                name=_text(path, line, row["gemeente_naam"], "gemeente_naam", 100),
                province=_text(path, line, row["provincie"], "provincie", 50, required=False),
                labour_market_region_id=region_code,
            )
        )
    return municipalities


def read_postcode_areas(path: Path, municipality_codes: set[str]) -> list[PostcodeArea]:
    """`pc4_centroids_nl.csv`: each PC4 with its centroid, places (`|`-separated) and main municipality."""
    areas: list[PostcodeArea] = []
    seen: set[str] = set()
    place_names_length = PostcodeArea._meta.get_field("place_names").max_length
    columns = ("pc4", "latitude", "longitude", "plaatsnamen", "gemeente_code")
    for line, row in _rows(path, columns):
        pc4 = _code(path, line, row["pc4"], _PC4, "pc4")
        _unique(path, line, seen, pc4)
        municipality_code = row["gemeente_code"]
        if municipality_code not in municipality_codes:
            raise GeodataError(path, _("unknown gemeente_code %(value)r") % {"value": municipality_code}, line=line)
        places = ", ".join(name.strip() for name in row["plaatsnamen"].split("|") if name.strip())
        areas.append(
            PostcodeArea(
                pc4=pc4,
                latitude=_coordinate(path, line, row["latitude"], "latitude", _LATITUDES),
                longitude=_coordinate(path, line, row["longitude"], "longitude", _LONGITUDES),
                place_names=_text(path, line, places, "plaatsnamen", place_names_length, required=False),
                municipality_id=municipality_code,
            )
        )
    return areas


def import_geodata(directory: Path) -> ImportResult:
    """Load (or refresh) the three reference files from `directory` in one transaction."""
    directory = Path(directory)
    if not directory.is_dir():
        raise GeodataError(directory, _("folder not found"))
    labour_market_regions = read_labour_market_regions(directory / LABOUR_MARKET_REGIONS_FILE)
    municipalities = read_municipalities(
        directory / MUNICIPALITIES_FILE, {region.code for region in labour_market_regions}
    )
    postcode_areas = read_postcode_areas(
        directory / POSTCODE_AREAS_FILE, {municipality.code for municipality in municipalities}
    )

    with transaction.atomic():
        before = LabourMarketRegion.objects.count() + Municipality.objects.count() + PostcodeArea.objects.count()
        # An upsert on the primary key (INSERT … ON CONFLICT DO UPDATE on SQLite and PostgreSQL).
        LabourMarketRegion.objects.bulk_create(
            labour_market_regions, update_conflicts=True, unique_fields=["code"], update_fields=["name"]
        )
        Municipality.objects.bulk_create(
            municipalities,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "province", "labour_market_region"],
        )
        PostcodeArea.objects.bulk_create(
            postcode_areas,
            update_conflicts=True,
            unique_fields=["pc4"],
            update_fields=["latitude", "longitude", "place_names", "municipality"],
        )
        after = LabourMarketRegion.objects.count() + Municipality.objects.count() + PostcodeArea.objects.count()
    from kandidaten.matching import forget_reference_data  # matching keeps the centroids in memory

    forget_reference_data()
    return ImportResult(
        labour_market_regions=len(labour_market_regions),
        municipalities=len(municipalities),
        postcode_areas=len(postcode_areas),
        created=after - before,
    )

"""`manage.py import_geodata`: loading arbeidsmarktregio's, municipalities and PC4 areas."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from contactpunt.geodata import MUNICIPALITIES_FILE, POSTCODE_AREAS_FILE, import_geodata
from contactpunt.models import LabourMarketRegion, Municipality, PostcodeArea

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "data" / "geodata"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A writable copy of the synthetic files, so a test can break one of them."""
    target = tmp_path / "geodata"
    shutil.copytree(FIXTURES, target)
    return target


def run(*args) -> str:
    out = StringIO()
    call_command("import_geodata", *args, stdout=out)
    return out.getvalue()


def replace_line(path: Path, line: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def counts() -> tuple[int, int, int]:
    return LabourMarketRegion.objects.count(), Municipality.objects.count(), PostcodeArea.objects.count()


def test_it_loads_the_three_files():
    output = run(str(FIXTURES))

    assert counts() == (2, 3, 4)
    assert "2 arbeidsmarktregio's, 3 gemeenten en 4 postcodegebieden" in output
    assert "9 nieuw" in output
    area = PostcodeArea.objects.select_related("municipality__labour_market_region").get(pc4="4401")
    assert area.place_names == "Zuidhaven, Strand aan Zee, Duinkerk"
    assert (area.latitude, area.longitude) == (51.5, 3.9)
    assert area.municipality.name == "Zuidhaven"
    assert area.municipality.province == "Zeeland"
    assert area.municipality.labour_market_region.name == "Testregio Zuid"


def test_the_main_municipality_of_a_pc4_is_the_gemeente_code_column():
    run(str(FIXTURES))
    assert PostcodeArea.objects.get(pc4="9902").municipality_id == "9901"


def test_it_reads_settings_geodata_dir_by_default(settings):
    settings.GEODATA_DIR = FIXTURES
    run()
    assert counts() == (2, 3, 4)


def test_running_it_twice_updates_values_without_duplicates(data_dir):
    run(str(data_dir))
    replace_line(data_dir / MUNICIPALITIES_FILE, 2, "9901,GM9901,Noorddorp-Stad,Groningen,AM91,Testregio Zuid")
    replace_line(
        data_dir / POSTCODE_AREAS_FILE,
        2,
        "9901,53.2000,6.4000,Noorddorp|Nieuwe Buurt,9901,Noorddorp,Groningen,AM90,Testregio Noord,9901,2,",
    )

    output = run(str(data_dir))

    assert counts() == (2, 3, 4)
    assert "(0 nieuw)" in output
    municipality = Municipality.objects.get(code="9901")
    assert (municipality.name, municipality.labour_market_region_id) == ("Noorddorp-Stad", "AM91")
    area = PostcodeArea.objects.get(pc4="9901")
    assert (area.latitude, area.longitude, area.place_names) == (53.2, 6.4, "Noorddorp, Nieuwe Buurt")


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="map niet gevonden"):
        run(str(tmp_path / "nowhere"))


def test_a_missing_file_names_the_file(data_dir):
    (data_dir / POSTCODE_AREAS_FILE).unlink()
    with pytest.raises(CommandError, match=r"pc4_centroids_nl\.csv: bestand niet gevonden"):
        run(str(data_dir))
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("file_name", "line", "text", "message"),
    [
        (
            POSTCODE_AREAS_FILE,
            3,
            "9902,niet-een-getal,6.5300,Noorddorp,9901,Noorddorp,Groningen,AM90,Testregio Noord,9901,1,",
            "latitude 'niet-een-getal' is geen coördinaat in Nederland",
        ),
        (
            POSTCODE_AREAS_FILE,
            4,
            "9903,52.9000,16.6000,Oosterwold,9902,Oosterwold,Drenthe,AM90,Testregio Noord,9902,1,",
            "longitude '16.6000' is geen coördinaat in Nederland",
        ),
        (
            POSTCODE_AREAS_FILE,
            5,
            "4401,51.5000,3.9000,Zuidhaven,9999,Nergens,Zeeland,AM91,Testregio Zuid,9999,1,",
            "onbekende gemeente_code '9999'",
        ),
        (
            POSTCODE_AREAS_FILE,
            2,
            "0901,53.1000,6.5000,Noorddorp,9901,Noorddorp,Groningen,AM90,Testregio Noord,9901,1,",
            "pc4 '0901' is niet geldig",
        ),
        (
            POSTCODE_AREAS_FILE,
            3,
            "9901,53.1000,6.5000,Noorddorp,9901,Noorddorp,Groningen,AM90,Testregio Noord,9901,1,",
            "9901 komt meer dan één keer voor",
        ),
        (POSTCODE_AREAS_FILE, 4, "9903,52.9000", "verwacht 12 velden"),
        (MUNICIPALITIES_FILE, 3, "9902,GM9902,Oosterwold,Drenthe,AM99,Nergens", "onbekende arbeidsmarktregio_code"),
        (MUNICIPALITIES_FILE, 4, "9903,GM9903,,Zeeland,AM91,Testregio Zuid", "gemeente_naam is leeg"),
        ("arbeidsmarktregios_2026.csv", 2, "A90,Testregio Noord,2", "arbeidsmarktregio_code 'A90' is niet geldig"),
        (MUNICIPALITIES_FILE, 1, "code,naam,provincie", "ontbrekende kolommen: gemeente_code"),
    ],
)
def test_a_malformed_row_names_file_and_line_and_loads_nothing(data_dir, file_name, line, text, message):
    replace_line(data_dir / file_name, line, text)

    with pytest.raises(CommandError) as error:
        run(str(data_dir))

    assert f"{file_name}, regel {line}: " in str(error.value)
    assert message in str(error.value)
    assert counts() == (0, 0, 0)


def test_a_failed_reimport_keeps_what_was_loaded(data_dir):
    run(str(data_dir))
    replace_line(data_dir / MUNICIPALITIES_FILE, 2, "9901,GM9901,Hernoemd,Groningen,AM90,Testregio Noord")
    replace_line(data_dir / POSTCODE_AREAS_FILE, 5, "4401,x,3.9,Zuidhaven,9903,Zuidhaven,Zeeland,AM91,Zuid,9903,1,")

    with pytest.raises(CommandError):
        run(str(data_dir))

    assert counts() == (2, 3, 4)
    assert Municipality.objects.get(code="9901").name == "Noorddorp"


def test_it_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    # 6 counts (before and after) and 3 upserts; bulk_create batches the rows.
    with django_assert_max_num_queries(12):
        import_geodata(FIXTURES)


def test_it_loads_the_real_reference_data(django_assert_max_num_queries):
    directory = Path(settings.GEODATA_DIR)
    if not (directory / POSTCODE_AREAS_FILE).exists():
        pytest.skip(f"The reference data is not at settings.GEODATA_DIR ({directory}); see SOURCES.md.")

    # Batched upserts, never a query per row (4,463 rows).
    with django_assert_max_num_queries(60):
        result = import_geodata(directory)

    assert (result.labour_market_regions, result.municipalities, result.postcode_areas) == (35, 342, 4086)
    assert counts() == (35, 342, 4086)
    area = PostcodeArea.objects.select_related("municipality__labour_market_region").get(pc4="9711")
    assert area.place_names == "Groningen"
    assert area.municipality.name == "Groningen"
    assert area.municipality.province == "Groningen"
    assert (area.municipality.labour_market_region.code, area.municipality.labour_market_region.name) == (
        "AM01",
        "Groningen",
    )
    assert PostcodeArea.objects.get(pc4="1096").place_names == "Amsterdam, Amsterdam-Duivendrecht"
    # Voorne aan Zee: GeoNames leaves these rows empty; the derived file assigns them to gemeente 1992.
    assert PostcodeArea.objects.get(pc4="3221").municipality.name == Municipality.objects.get(code="1992").name

    import_geodata(directory)
    assert counts() == (35, 342, 4086)

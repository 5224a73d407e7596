"""`python manage.py import_geodata [DIR]`: load arbeidsmarktregio's, municipalities and PC4 areas."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from contactpunt.geodata import GeodataError, import_geodata


class Command(BaseCommand):
    help = "Load arbeidsmarktregio's, municipalities and PC4 areas from the open data files (see SOURCES.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            help="Folder with the CSV files (default: settings.GEODATA_DIR).",
        )

    def handle(self, *args, directory: Path | None = None, **options) -> None:
        directory = directory or Path(settings.GEODATA_DIR)
        started = time.monotonic()
        try:
            result = import_geodata(directory)
        except GeodataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported %(regions)d labour market regions, %(municipalities)d municipalities and "
                    "%(areas)d postcode areas from %(directory)s (%(created)d new) in %(seconds).1f s."
                )
                % {
                    "regions": result.labour_market_regions,
                    "municipalities": result.municipalities,
                    "areas": result.postcode_areas,
                    "directory": directory,
                    "created": result.created,
                    "seconds": time.monotonic() - started,
                }
            )
        )

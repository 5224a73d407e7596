"""`python manage.py demo`: fictional Dutch demo data, then the portal URL and the demo logins."""

import io
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import segno
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from contactpunt.demo import DemoResult, build_demo, demo_totp_url
from contactpunt.geodata import GeodataError


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load fictional demo data (regions, users, 300 candidates, 40 employers with their offers, "
        "600 campaign stories), after the reference data when present."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the portal will be served.")
        parser.add_argument(
            "--stories", type=int, default=None, help="How many published campaign stories to make (600)."
        )

    def handle(self, *args, **options) -> None:
        geodata_dir = Path(settings.GEODATA_DIR)
        started = time.monotonic()
        # Every demo sign-up queues its confirmation mail and, after commit, a send task; the demo
        # takes those mails out of the queue (see contactpunt.demo), so each task finds nothing to
        # send. Without a broker the tasks run in this process: keep their trace lines quiet.
        try:
            with _quiet("celery.app.trace"), _quiet("campagne"):
                result = build_demo(
                    geodata_dir=geodata_dir if geodata_dir.is_dir() else None,
                    site_url=options["url"],
                    story_count=options["stories"],
                )
        except GeodataError as error:
            raise CommandError(str(error)) from error
        self._report(result, geodata_dir, time.monotonic() - started, options["url"])

    def _report(self, result: DemoResult, geodata_dir: Path, seconds: float, url: str) -> None:
        write = self.stdout.write
        if result.geodata:
            write(
                _("Reference data loaded from %(directory)s: %(rows)d rows (%(created)d new).")
                % {"directory": geodata_dir, "rows": result.geodata.total, "created": result.geodata.created}
            )
        else:
            write(
                _("No reference data at %(directory)s: candidates are routed by the PC4 ranges of the regions.")
                % {"directory": geodata_dir}
            )
        summary = _(
            "Demo data ready in %(seconds).1f s: %(regions)d regions, %(users)d users, "
            "%(candidates)d candidates (%(created)d new)."
        ) % {
            "seconds": seconds,
            "regions": result.regions,
            "users": result.users,
            "candidates": result.candidates,
            "created": result.candidates_created,
        }
        write(self.style.SUCCESS(summary))
        if employers := result.employers:
            write(
                self.style.SUCCESS(
                    _(
                        "Employers: %(organisations)d organisations with %(offers)d offers (%(created)d new), "
                        "%(registrations)d activity registrations, %(introductions)d introductions, "
                        "%(cohorts)d BBL classes."
                    )
                    % {
                        "organisations": employers.organisations,
                        "offers": employers.offers,
                        "created": employers.offers_created,
                        "registrations": employers.registrations,
                        "introductions": employers.introductions,
                        "cohorts": employers.cohorts,
                    }
                )
            )
        if campaign := result.campaign:
            write(
                self.style.SUCCESS(
                    _(
                        "Campaign: %(stories)d published stories (%(created)d new), %(waiting)d waiting for "
                        "moderation, %(sent_back)d sent back, %(materials)d campaign materials."
                    )
                    % {
                        "stories": campaign.stories,
                        "created": campaign.stories_created,
                        "waiting": campaign.waiting,
                        "sent_back": campaign.sent_back,
                        "materials": campaign.materials,
                    }
                )
            )
        write("")
        write(_("Portal: %(url)s") % {"url": url})
        write(_("Demo logins (every account has the same password):"))
        header = (_("Log in with"), _("Password"), _("Role"), _("Regions"), _("Organisation"))
        rows = [
            (login.email, result.password, login.role, login.regions or "–", login.organisation or "–")
            for login in result.logins
        ]
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
        for row in [header, tuple("-" * width for width in widths), *rows]:
            write("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        write("")
        write(
            _(
                "Coordinators and the administrator also enter a code from an authenticator app after the "
                "password (two-step verification). Add this key to the app (time-based, 6 digits), or scan "
                "the QR code below; one entry serves every demo account:"
            )
        )
        write("  " + " ".join(result.totp_secret[i : i + 4] for i in range(0, len(result.totp_secret), 4)))
        write(_("No app at hand? `python manage.py demo_code` prints the current code."))
        qr = io.StringIO()
        segno.make(demo_totp_url(), error="l").terminal(out=qr, compact=True)
        write(qr.getvalue())

"""The embedded default (a SQLite file in WAL mode): 20 simultaneous sign-ups for 5 places give 5 places
and 15 places on the waiting list, and nobody gets "database is locked".

The test database of `make test` lives in memory, which threads cannot share the way a file is shared,
so this runs in a fresh Python process against a SQLite file of its own, with the project's settings.
That file starts as a copy of the migrated test database (SQLite's backup), which saves the fresh
process running every migration again; when the tests run on PostgreSQL, the process migrates the
file itself. (PostgreSQL: tests/services/test_registration_concurrency.py.)
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

SCRIPT = r"""
import json, os, threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
if os.environ["MIGRATE"] == "yes":
    call_command("migrate", verbosity=0)
from contactpunt.factories import RegionFactory, RegionPostcodeRangeFactory
from werkgevers.factories import OfferFactory
from werkgevers.models import Offer, Registration
from werkgevers.registrations import registration_signup

region = RegionFactory()
RegionPostcodeRangeFactory(region=region, start="9000", end="9999")
offer = OfferFactory(capacity=5, organisation__home_region=region)
count = 20
barrier = threading.Barrier(count)
outcomes, errors = [], []

def sign_up(number):
    try:
        barrier.wait(timeout=30)
        with transaction.atomic():  # like a request (ATOMIC_REQUESTS): a read first, then the writes
            Offer.objects.filter(pk=offer.pk).exists()
            result = registration_signup(
                offer_id=offer.pk,
                details={"first_name": "Lotte", "last_name": "Bos", "email": f"lotte{number}@example.org",
                         "phone": f"+316500000{number:02d}", "postcode": "9711 AB"},
                consents={"contact": True},
                site_url="http://localhost",
            )
        outcomes.append(str(result.outcome))
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
    finally:
        connection.close()

threads = [threading.Thread(target=sign_up, args=(number,)) for number in range(count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(timeout=60)
offer.refresh_from_db()
print(json.dumps({
    "outcomes": sorted(outcomes),
    "errors": errors,
    "registered_count": offer.registered_count,
    "status": offer.status,
    "confirmed": Registration.objects.filter(status="confirmed").count(),
    "waiting": Registration.objects.filter(status="waiting").count(),
}))
"""


def copy_of_the_test_database(path: Path) -> bool:
    """Write the migrated test database (with the reference lists) to a SQLite file."""
    if connection.vendor != "sqlite":
        return False
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target, sleep=0.01)
    finally:
        target.close()
    return True


# Transactional, so no transaction is open on the test database (SQLite's backup cannot read what its
# connection is writing to: it would wait for ever); serialized rollback so that the reference lists
# are there, whatever transactional test ran before.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_sign_ups_on_a_sqlite_file(tmp_path: Path):
    database = tmp_path / "db.sqlite3"
    copied = copy_of_the_test_database(database)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "contactpunt.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "MIGRATE": "no" if copied else "yes",
        "REDIS_URL": "",
        "GEODATA_DIR": str(tmp_path / "no-geodata"),
    }
    process = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert process.returncode == 0, process.stderr[-3000:]
    result = json.loads(process.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["outcomes"] == ["confirmed"] * 5 + ["waiting"] * 15
    assert (result["registered_count"], result["status"]) == (5, "full")
    assert (result["confirmed"], result["waiting"]) == (5, 15)

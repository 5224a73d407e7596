"""Settings of the servers the load benchmark (bench/load.py) and tests/services/test_load_faults.py
start: production, as deployed, with three differences that only a run on loopback needs.

- Static files from the finders (no `collectstatic` into the checkout); pages link the same files.
- No redirect to HTTPS: the load generator speaks plain HTTP on 127.0.0.1.
- Mail goes to EMAIL_URL (a `filemail://` folder), one uniquely named file per connection, so
  that a mail sent twice shows as two messages.

The per-IP rate limit stays on: INTAKE_RATE_LIMIT (from the environment) is raised for the run,
because every simulated visitor comes from 127.0.0.1; the limit is still counted in Redis.
"""

import os
import uuid
import warnings
from datetime import datetime

from django.core.mail.backends import filebased

from contactpunt.settings.production import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SECURE_SSL_REDIRECT = False
# WhiteNoise looks for STATIC_ROOT, which a checkout without `collectstatic` does not have.
warnings.filterwarnings("ignore", message="No directory at")


class UniqueFileBackend(filebased.EmailBackend):
    """The file backend with one file per connection (two processes never share a file)."""

    def _get_filename(self):
        if self._fname is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 (a file name)
            self._fname = os.path.join(self.file_path, f"{stamp}-{os.getpid()}-{uuid.uuid4().hex}.log")
        return self._fname


if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":  # noqa: F405
    EMAIL_BACKEND = "bench.load_settings.UniqueFileBackend"

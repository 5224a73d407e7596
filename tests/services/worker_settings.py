"""Settings of the Celery worker that the `services` tests start: the test settings, but with tasks
handed over through Redis and mail sent the way a deployment sends it, through EMAIL_URL (the tests
point it at a temporary folder with `filemail:////path`).

A test that kills a worker sets, through the environment of the worker it starts:
- SERVICES_MAIL_DELAY: seconds every message takes before it is written (a slow SMTP server), so
  that the test can kill the worker in the middle of a send;
- SERVICES_CLAIM_LEASE: seconds after which an outbox claim counts as left by a dead worker;
- SERVICES_VISIBILITY_TIMEOUT: seconds after which Redis hands an unacknowledged task to a worker
  again (looked for every second instead of every ~100 s).
"""

import os
import time
import uuid
from datetime import datetime, timedelta

from django.core.mail.backends import filebased

from contactpunt.settings.base import EMAIL_CONFIG
from contactpunt.settings.test import *  # noqa: F403

vars().update(EMAIL_CONFIG)
CELERY_TASK_ALWAYS_EAGER = False

MAIL_DELAY = float(os.environ.get("SERVICES_MAIL_DELAY", "0"))


class SlowFileBackend(filebased.EmailBackend):
    """The file backend, one uniquely named file per connection (so that two workers writing at the
    same second never share a file and a duplicate always shows), waiting MAIL_DELAY seconds first."""

    def send_messages(self, email_messages):
        if email_messages and MAIL_DELAY:
            time.sleep(MAIL_DELAY)
        return super().send_messages(email_messages)

    def _get_filename(self):
        if self._fname is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 (a file name)
            self._fname = os.path.join(self.file_path, f"{stamp}-{os.getpid()}-{uuid.uuid4().hex}.log")
        return self._fname


if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":  # noqa: F405
    EMAIL_BACKEND = "tests.services.worker_settings.SlowFileBackend"

if "SERVICES_CLAIM_LEASE" in os.environ:
    OUTBOX_CLAIM_LEASE = timedelta(seconds=float(os.environ["SERVICES_CLAIM_LEASE"]))

if "SERVICES_VISIBILITY_TIMEOUT" in os.environ:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": float(os.environ["SERVICES_VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
        # A worker killed while it held the restore lock must not block the others for five minutes.
        "unacked_mutex_expire": 2,
    }

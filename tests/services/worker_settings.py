"""Settings of the Celery worker that the `services` tests start: the test settings, but with tasks
handed over through Redis and mail sent the way a deployment sends it, through EMAIL_URL (the tests
point it at a temporary folder with `filemail:////path`)."""

from contactpunt.settings.base import EMAIL_CONFIG
from contactpunt.settings.test import *  # noqa: F403

vars().update(EMAIL_CONFIG)
CELERY_TASK_ALWAYS_EAGER = False

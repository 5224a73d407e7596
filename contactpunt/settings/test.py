"""The test suite: fast hashing, mail in memory, eager tasks (the `services` tests use a real worker)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process even when REDIS_URL is set (make test-services): only the tests marked
# `services` hand them to a real Celery worker, and they switch this off themselves.
CELERY_TASK_ALWAYS_EAGER = True
# Sign-ups are registered in the request, as in the embedded mode; the tests of the worker's path
# (kandidaten/tests/test_pending_signups.py, the load and fault tests) switch it on.
INTAKE_REGISTERS_IN_WORKER = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LANGUAGE_CODE = "nl"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

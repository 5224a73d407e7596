"""DJANGO_LOG_FORMAT=json: every log line is one JSON object with timestamp, level, logger and message."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from contactpunt.settings.base import logging_config

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: django.setup() configures logging from the settings, as a process does.
LOG_SOME_LINES = """
import logging, sys
sys.path.insert(0, sys.argv[1])
import django
django.setup()
from django.test import RequestFactory
from contactpunt import errors
errors.log_error(RequestFactory().get("/over/?token=geheim"), 500, ValueError("boom"))
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("kandidaten.tasks").exception("Sign-up %s not registered", 42)
# What Celery and Django attach to some lines: a task's arguments, the request with its query string.
logging.getLogger("celery.app.trace").info("Task received", extra={"data": {"args": "('jan@example.nl',)"}})
request = RequestFactory().get("/bestaat-niet/?email=jan@example.nl")
logging.getLogger("django.request").warning("Not Found: %s", request.path, extra={"request": request})
"""


def _log_lines(tmp_path: Path, log_format: str) -> list[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "contactpunt.settings.test",
        "DJANGO_LOG_FORMAT": log_format,
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", LOG_SOME_LINES, str(ROOT)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stderr.splitlines()


def test_json_lines_are_one_object_each_with_the_fields_as_keys(tmp_path):
    lines = _log_lines(tmp_path, "json")

    records = [json.loads(line) for line in lines]  # every line, the traceback's too
    assert len(records) == 4
    error, exception, celery, not_found = records
    assert {"timestamp", "level", "logger", "message"} <= error.keys()
    assert (error["level"], error["logger"]) == ("ERROR", "contactpunt.errors")
    assert error["message"].startswith(f"error_id={error['error_id']} status=500 method=GET")
    assert (error["status"], error["method"], error["route"], error["exception"]) == (500, "GET", "-", "ValueError")
    assert (exception["logger"], exception["message"]) == ("kandidaten.tasks", "Sign-up 42 not registered")
    assert "ZeroDivisionError" in exception["exc_info"]
    assert "data" not in celery
    assert "request" not in not_found
    assert "jan@example.nl" not in "\n".join(lines)


def test_plain_lines_stay_text(tmp_path):
    lines = _log_lines(tmp_path, "plain")

    assert " ERROR contactpunt.errors error_id=" in lines[0]
    assert "Traceback (most recent call last):" in lines


def test_an_unknown_format_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_FORMAT must be plain or json"):
        logging_config("xml", "INFO")

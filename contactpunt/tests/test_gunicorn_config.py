"""gunicorn.conf.py: values from the environment, and an access log of JSON without personal data."""

import json
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from contactpunt.settings.base import LOG_FORMATTERS

CONFIG_FILE = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
VARIABLES = ("PORT", "GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "DJANGO_LOG_FORMAT")


def load_config(monkeypatch, **variables: str) -> dict:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG_FILE))


def test_defaults_bind_every_address_on_8000_with_sync_workers(monkeypatch):
    config = load_config(monkeypatch)

    assert config["bind"] == "0.0.0.0:8000"
    assert config["worker_class"] == "sync"
    assert 3 <= config["workers"] <= 8
    assert config["preload_app"] is False
    assert 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["graceful_timeout"] < 30
    assert (config["accesslog"], config["errorlog"]) == ("-", "-")


def test_the_environment_chooses_port_workers_and_threads(monkeypatch):
    config = load_config(monkeypatch, PORT="8123", WEB_CONCURRENCY="3", GUNICORN_THREADS="4")

    assert (config["bind"], config["workers"], config["threads"], config["worker_class"]) == (
        "0.0.0.0:8123",
        3,
        4,
        "gthread",
    )
    socket = "unix:/run/contactpunt.sock"
    assert load_config(monkeypatch, PORT="8123", GUNICORN_BIND=socket)["bind"] == socket


def test_gunicorn_writes_the_same_keys_as_the_portal(monkeypatch):
    json_format = load_config(monkeypatch)["JSON_FORMAT"]

    assert {"()": "pythonjsonlogger.json.JsonFormatter", **json_format} == LOG_FORMATTERS["json"]


@pytest.fixture
def make_logger(monkeypatch):
    """The configured logger class as gunicorn makes it (made in the test, so it writes to capsys)."""
    config = load_config(monkeypatch, DJANGO_LOG_FORMAT="json")
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("errorlog", "-")
    yield lambda: config["logger_class"](cfg)
    for name in ("gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).handlers.clear()


def access_line(make_logger, capsys, path: str, query: str = "", **headers: str) -> dict:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, **headers}
    make_logger().access(SimpleNamespace(status="200 OK"), None, environ, timedelta(microseconds=12_345))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_an_access_line_names_the_route_never_the_token_or_the_query(make_logger, capsys):
    line = access_line(
        make_logger,
        capsys,
        "/mijn-gegevens/link/Zm9vYmFyLXRva2Vu/",
        "next=/x&token=geheim",
        HTTP_X_REQUEST_ID="0f8fad5b-d9cb-469f-a165-70867728950e",
        HTTP_USER_AGENT="Mozilla/5.0",
        REMOTE_ADDR="192.0.2.10",
    )

    assert line == {
        "timestamp": line["timestamp"],
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": "GET /mijn-gegevens/link/<str:token>/ 200",
        "method": "GET",
        "route": "/mijn-gegevens/link/<str:token>/",
        "status": 200,
        "duration_ms": 12.3,
        "request_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    }


def test_a_request_id_that_is_not_an_id_is_left_out(make_logger, capsys):
    line = access_line(make_logger, capsys, "/over/", HTTP_X_REQUEST_ID="Jan de Vries")

    assert line["route"] == "/over/"
    assert "request_id" not in line


def test_static_files_keep_their_path_and_unknown_paths_do_not(make_logger, capsys):
    assert access_line(make_logger, capsys, "/static/css/portal.css")["route"] == "/static/css/portal.css"
    assert access_line(make_logger, capsys, "/jan.de.vries@example.nl")["route"] == "-"


def test_gunicorn_s_own_lines_are_json_with_the_json_format(make_logger, capsys):
    make_logger().info("Booting worker with pid: %s", 123)

    line = json.loads(capsys.readouterr().err)
    assert (line["level"], line["logger"]) == ("INFO", "gunicorn.error")
    assert line["message"] == "Booting worker with pid: 123"

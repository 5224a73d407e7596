"""Production settings refuse to start with a missing or short secret key, or with DEBUG on.

Each case imports the settings module in a fresh interpreter with a controlled environment.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 50


def _import_production(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "contactpunt.settings.production",
        **variables,
    }
    # Run from an empty folder with the project on the path, so a developer's .env is not read.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import contactpunt.settings.production as s;"
        "print(s.DEBUG, len(s.SECRET_KEY), s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, str(ROOT)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(autouse=True)
def _no_env_file():
    """base.py reads ROOT/.env without overwriting; these cases must not depend on one."""
    if (ROOT / ".env").exists():
        pytest.skip("a .env file in the checkout would feed the production settings")


def test_production_starts_with_a_long_secret_key_and_debug_off(tmp_path):
    result = _import_production(tmp_path, DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_DEBUG="off")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "50", "True", "True"]


def test_production_refuses_a_missing_secret_key(tmp_path):
    result = _import_production(tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set DJANGO_SECRET_KEY (at least 32 characters) in production." in result.stderr


def test_production_refuses_an_empty_secret_key(tmp_path):
    result = _import_production(tmp_path, DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    result = _import_production(tmp_path, DJANGO_SECRET_KEY="k" * 31)

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("debug", ["on", "true", "1", "yes"])
def test_production_refuses_debug_on(tmp_path, debug):
    result = _import_production(tmp_path, DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_DEBUG=debug)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_DEBUG must be off in production." in result.stderr

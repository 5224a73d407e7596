"""Django's deployment checklist passes with the production settings, at the strictest level.

`manage.py check --deploy --fail-level WARNING` runs in a fresh interpreter with only the
environment production needs (DJANGO_SETTINGS_MODULE, a secret key, a database, the host names),
from an empty folder so that a developer's .env plays no part.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _production(tmp_path: Path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "contactpunt.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "contactpunt.example",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://contactpunt.example",
        **variables,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(autouse=True)
def _no_env_file():
    """base.py reads ROOT/.env without overwriting; these cases must not depend on one."""
    if (ROOT / ".env").exists():
        pytest.skip("a .env file in the checkout would feed the production settings")


def test_the_deployment_checklist_passes_with_production_settings(tmp_path):
    result = _production(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_checklist_fails_when_hsts_is_switched_off(tmp_path):
    """The check is a real gate: production without HSTS does not pass it."""
    result = _production(tmp_path, "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECURE_HSTS_SECONDS="0")

    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_cookies_and_headers(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_SAMESITE,"
        " s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER[0],"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests'])"
    )
    result = _production(tmp_path, "shell", "-v", "0", "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        *["True"] * 6,
        *["Lax"] * 3,
        "__Host-sessionid",
        "__Host-csrftoken",
        "31536000",
        "True",
        "True",
        "HTTP_X_FORWARDED_PROTO",
        "True",
    ]

"""Uploads in a folder by default, or in an S3-compatible bucket with DJANGO_STORAGE=s3 (no network here)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages
from storages.backends.s3 import S3Storage

from contactpunt.settings.base import uploads_storage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bucket_environment(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "contactpunt-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.nl-ams.scw.cloud")
    monkeypatch.setenv("AWS_S3_REGION_NAME", "nl-ams")
    for name in ("AWS_LOCATION", "AWS_DEFAULT_ACL"):
        monkeypatch.delenv(name, raising=False)


def test_local_is_a_folder():
    assert uploads_storage("local") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert isinstance(storages["default"], FileSystemStorage)


def test_s3_gives_a_private_bucket_that_never_overwrites(bucket_environment):
    assert uploads_storage("s3") == {
        "BACKEND": "contactpunt.storage.PortalS3Storage",
        "OPTIONS": {
            "bucket_name": "contactpunt-media",
            "endpoint_url": "https://s3.nl-ams.scw.cloud",
            "region_name": "nl-ams",
            "location": "media",
            "default_acl": "private",
            "file_overwrite": False,
        },
    }


def test_the_s3_storage_links_to_the_portal_not_to_the_bucket(bucket_environment, settings):
    """Pages load nothing from third parties; public_media serves the public files from the bucket."""
    settings.STORAGES = {**settings.STORAGES, "default": uploads_storage("s3")}

    storage = storages["default"]

    assert isinstance(storage, S3Storage)
    assert (storage.bucket_name, storage.endpoint_url, storage.location) == (
        "contactpunt-media",
        "https://s3.nl-ams.scw.cloud",
        "media",
    )
    assert (storage.default_acl, storage.file_overwrite) == ("private", False)
    assert storage.url("logos/zorggroep kwelderhof.jpg") == "/media/logos/zorggroep%20kwelderhof.jpg"


def test_an_empty_acl_sends_none_for_a_bucket_without_acls(bucket_environment, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_ACL", "")

    assert uploads_storage("s3")["OPTIONS"]["default_acl"] is None


def test_s3_without_a_bucket_is_refused(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)

    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        uploads_storage("s3")


def test_an_unknown_storage_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_STORAGE must be local or s3"):
        uploads_storage("nfs")


def test_production_refuses_to_start_with_s3_and_no_bucket(tmp_path):
    if (ROOT / ".env").exists():
        pytest.skip("a .env file in the checkout would feed the production settings")
    code = "import sys; sys.path.insert(0, sys.argv[1]); import contactpunt.settings.production"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, str(ROOT)],
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SECRET_KEY": "k" * 50, "DJANGO_STORAGE": "s3"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set AWS_STORAGE_BUCKET_NAME when DJANGO_STORAGE=s3." in result.stderr

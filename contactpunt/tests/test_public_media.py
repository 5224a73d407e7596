"""/media/ serves logos and the gallery's photo variants to anyone, and nothing else."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    return {
        "logo": default_storage.save("logos/abc.png", ContentFile(b"\x89PNG logo bytes")),
        "tile": default_storage.save("campagne/verhalen/2026/12/tile.webp", ContentFile(b"RIFF tile bytes")),
        "original": default_storage.save("campagne/originelen/2026/12/photo.jpg", ContentFile(b"original")),
        "material": default_storage.save("campagne/materialen/2026/12/guide.pdf", ContentFile(b"%PDF-1.4")),
    }


def test_a_logo_and_a_gallery_variant_are_served_to_anyone_and_kept_by_browsers(client, stored):
    for name, content_type in ((stored["logo"], "image/png"), (stored["tile"], "image/webp")):
        response = client.get(f"/media/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert "immutable" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) in (b"\x89PNG logo bytes", b"RIFF tile bytes")


@pytest.mark.parametrize("kind", ["original", "material"])
def test_originals_and_materials_are_not_public(client, stored, kind):
    assert client.get(f"/media/{stored[kind]}").status_code == 404


@pytest.mark.parametrize(
    "path", ["logos/missing.png", "logos/../campagne/originelen/x.jpg", "campagne/verhalen/../../etc/passwd", "other"]
)
def test_unknown_and_climbing_paths_are_not_found(client, stored, path):
    assert client.get(f"/media/{path}").status_code == 404

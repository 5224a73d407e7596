"""Uploads in an S3-compatible bucket (DJANGO_STORAGE=s3, settings.base.uploads_storage)."""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PortalS3Storage(S3Storage):
    """S3Storage whose links point at the portal (MEDIA_URL), as the folder's do.

    Pages load nothing from third parties (the CSP allows images from the portal only), and no signed
    bucket address reaches a browser: `public_media` serves the logos and gallery photos from the
    bucket, every other upload goes through the view that checks who asks.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name).lstrip("/"))

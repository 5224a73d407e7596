"""Settings shared by every environment; values come from the environment (DESIGN.md)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from pythonjsonlogger.core import RESERVED_ATTRS

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "contactpunt",
    "kandidaten",
    "werkgevers",
    "campagne",
    "cijfers",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The security headers go on every response, static files too (whitenoise answers those itself).
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The database down: 503 with Retry-After instead of 500 (contactpunt.errors).
    "contactpunt.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "contactpunt.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Accounts (contactpunt.two_factor): which device verified this session, the idle logout of
    # coordinators, the code step before any page, and django-axes' lockout page (last, by its docs).
    "contactpunt.middleware.PortalOTPMiddleware",
    "contactpunt.middleware.IdleTimeoutMiddleware",
    "contactpunt.middleware.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "contactpunt.urls"
WSGI_APPLICATION = "contactpunt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contactpunt.context_processors.portal",
            ],
        },
    },
]

# Data: SQLite file by default so a newcomer needs no server; PostgreSQL via DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and eager tasks write side by side. IMMEDIATE: a
    # transaction takes the write lock when it begins, so simultaneous writers wait their turn instead
    # of failing with "database is locked" (a read first, then a write, cannot wait in WAL mode).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries only: PostgreSQL's JIT compilation costs more than it saves here (matching a
    # new candidate ran ~20% faster without it).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Keep each worker's connection instead of opening one per request (a new backend costs more CPU
    # than a whole trivial page: bench/load.py); checked before reuse, so a restarted server only
    # costs the requests that were in flight. DJANGO_CONN_MAX_AGE=0 closes after every request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=300)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "contactpunt.User"
# Django's ModelBackend, loading each request's user with their unread notification count (the menu).
# First django-axes' check of failed logins per account (it refuses a locked account before any
# password is checked), then the password.
AUTHENTICATION_BACKENDS = ["contactpunt.backends.LockoutBackend", "contactpunt.backends.PortalBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "contactpunt.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "contactpunt.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "contactpunt.password_validation.CommonPasswordValidator"},
    {"NAME": "contactpunt.password_validation.NumericPasswordValidator"},
    {"NAME": "contactpunt.password_validation.GuessablePasswordValidator", "OPTIONS": {"min_score": 3}},
]

# Two-step verification (django-otp): required for coordinators and administrators, optional for
# employers. The issuer is the name authenticator apps show above the code.
OTP_TOTP_ISSUER = "Contactpunt Zorg en Welzijn"
# Administrators can delete a lost phone's device in the admin, but never read its secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Coordinators and administrators are logged out after this long without a request.
IDLE_TIMEOUT = timedelta(minutes=env.int("DJANGO_IDLE_TIMEOUT_MINUTES", default=30))
# Failed logins (django-axes): an account is locked after 5 wrong passwords, for 30 minutes after
# the last one; counted per account (the e-mail address as typed, normalised), whatever the IP.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that this lets one IP try many accounts: per IP, LOGIN_RATE_LIMIT below does that job
# (a shared office connection is not locked out because five colleagues mistyped).
# models.W040: SQLite builds the figures' covering index (kandidaten.Candidate, candidate_figures)
# without its extra columns, which is what the embedded default should do; PostgreSQL has them.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_USERNAME_CALLABLE = "contactpunt.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
# A try during the lockout does not extend it (else anyone could keep an account locked for ever).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "contactpunt.auth_views.locked_out"
# No log of every login with IP address and browser (personal data nobody reads); no addresses in logs.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
# Per IP (django-ratelimit): logins and password reset requests; per address: reset mails.
LOGIN_RATE_LIMIT = env.str("LOGIN_RATE_LIMIT", default="30/15m")
PASSWORD_RESET_RATE_LIMIT = env.str("PASSWORD_RESET_RATE_LIMIT", default="10/h")
PASSWORD_RESET_ADDRESS_RATE_LIMIT = env.str("PASSWORD_RESET_ADDRESS_RATE_LIMIT", default="3/h")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules/chart.js/dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")


def uploads_storage(kind: str) -> dict:
    """Where uploads go: a folder (MEDIA_ROOT: this disk, or a folder every host mounts) or an S3 bucket.

    `s3` is any S3-compatible service (AWS, MinIO, Ceph, Scaleway…); credentials come from boto3's own
    chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an instance role). The objects are
    private and never overwritten; browsers get links to the portal itself (contactpunt.storage).
    """
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"DJANGO_STORAGE must be local or s3, not {kind!r}.")
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        raise ImproperlyConfigured("Set AWS_STORAGE_BUCKET_NAME when DJANGO_STORAGE=s3.")
    return {
        "BACKEND": "contactpunt.storage.PortalS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "location": env.str("AWS_LOCATION", default="media"),
            # Empty for a bucket with ACLs switched off (AWS's default): it refuses any ACL but its owner's.
            "default_acl": env.str("AWS_DEFAULT_ACL", default="private") or None,
            "file_overwrite": False,
        },
    }


# Static files are not shared: every web host serves its own `collectstatic` output (hashed names).
STORAGES = {
    "default": uploads_storage(env.str("DJANGO_STORAGE", default="local")),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Jobs: without REDIS_URL tasks run eagerly in-process (the embedded default).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Worker processes per `celery worker` (default: one per core), as WEB_CONCURRENCY is for gunicorn.
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=None)
# Celery logs through LOGGING above (DJANGO_LOG_FORMAT) instead of replacing it with its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
# A request must not hang when the broker is down: fail fast, the row is already saved.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2

if REDIS_URL:
    # While Redis is down the cache acts as an empty one and the rate limits let people through
    # (RATELIMIT_FAIL_OPEN below): a sign-up must not fail because Redis does.
    CACHES = {
        "default": {
            "BACKEND": "contactpunt.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# What each process renders once and keeps (the empty intake form): no round trip, and no Redis needed.
CACHES["process"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "process"}

# Mail. Links in e-mails sent by background jobs (no request to take the address from) use SITE_URL.
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Contactpunt Zorg en Welzijn <noreply@contactpunt.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# No inline scripts or styles anywhere, so this strict policy holds on every page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "frame-src": [NONE],
        "worker-src": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Headers (OWASP ASVS 4.0.3 V14.4; HSTS and secure cookies in production.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the portal never uses are switched off for it and anything it might embed (only
# features Chromium knows: it warns in the console about the others).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Cookies: no script reads them (htmx sends the CSRF token from the page, base.html), and they go
# along with same-site requests and top-level links only.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "contactpunt.views.csrf_failure"

# Reference data (../shared/data) and the privacy statement candidates agree to.
GEODATA_DIR = env.path("GEODATA_DIR", default=BASE_DIR.parent / "shared" / "data")
PRIVACY_STATEMENT_VERSION = "2026-11"

# The public intake: per-IP limit (django-ratelimit rate string).
INTAKE_RATE_LIMIT = env.str("INTAKE_RATE_LIMIT", default="10/h")
# A public sign-up is stored as it came in and registered by a Celery worker (kandidaten.public_signup),
# so the busiest page does one INSERT; without a broker (the embedded mode) it is registered in the request.
INTAKE_REGISTERS_IN_WORKER = env.bool("INTAKE_REGISTERS_IN_WORKER", default=not CELERY_TASK_ALWAYS_EAGER)
# The personal-link request at /mijn-gegevens/: per IP and per e-mail address.
PERSONAL_LINK_RATE_LIMIT_IP = env.str("PERSONAL_LINK_RATE_LIMIT_IP", default="10/h")
PERSONAL_LINK_RATE_LIMIT_EMAIL = env.str("PERSONAL_LINK_RATE_LIMIT_EMAIL", default="3/h")
RATELIMIT_VIEW = "contactpunt.views.rate_limited"
# When the cache cannot count (Redis down), let the request through rather than refuse everyone.
RATELIMIT_FAIL_OPEN = True

# Request bodies. Form fields are read into memory up to 2.5 MB, at most 1,000 fields and 10 files
# in one post; anything bigger or wider is refused with the Dutch 400 page, nothing saved (the
# largest real form, an offer with all its texts, is under 30 kB). Files are streamed to disk above
# 2.5 MB and checked by their forms (a story photo up to CAMPAIGN_PHOTO_MAX_BYTES). The proxy in
# front caps the whole body (client_max_body_size) a little above the largest file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The audit log (contactpunt.audit) keeps its rows this long, then the nightly job deletes them. Long
# enough to answer "who saw my data?" for as long as a candidate is usually registered, and to
# investigate an incident found late; the rows hold no personal data of candidates, only the actor.
AUDIT_LOG_RETENTION_DAYS = env.int("DJANGO_AUDIT_LOG_RETENTION_DAYS", default=730)

# A candidate must hear from a coordinator within this many working days.
FIRST_CONTACT_WORKING_DAYS = 2

# Campaign (campagne): story photos and posters.
CAMPAIGN_PHOTO_MAX_BYTES = 10 * 1024 * 1024
CAMPAIGN_PHOTO_MAX_PIXELS = 40_000_000  # a 25-megapixel camera photo passes; bombs do not
# The poster's fonts come from the npm package @expo-google-fonts/source-sans-3 (SIL OFL).
CAMPAIGN_FONT_DIR = BASE_DIR / "node_modules/@expo-google-fonts/source-sans-3"
# Poster colour schemes: background, accent, text on background, text on accent (hex). The first is
# the default; operators may replace the set with CAMPAIGN_POSTER_SCHEMES (JSON) in the environment.
CAMPAIGN_POSTER_SCHEMES = env.json(
    "CAMPAIGN_POSTER_SCHEMES",
    default={
        "portaal": {
            "label": "Portaal (petrol en koraal)",
            "background": "#0b5c63",
            "accent": "#f0725c",
            "text": "#ffffff",
            "accent_text": "#1b1b1b",
        },
        "zon": {
            "label": "Zon (geel en donkerblauw)",
            "background": "#ffd35c",
            "accent": "#1d3461",
            "text": "#1b1b1b",
            "accent_text": "#ffffff",
        },
        "nacht": {
            "label": "Nacht (donkerblauw en mint)",
            "background": "#1d3461",
            "accent": "#7ee0c3",
            "text": "#ffffff",
            "accent_text": "#1b1b1b",
        },
    },
)
# The hashtag of the national campaign, in share links and on posters.
CAMPAIGN_HASHTAG = "ikzorg"

# Console log lines as text, or one JSON object per line for a log platform (gunicorn.conf.py uses the
# same keys for gunicorn's lines). Fields a call passes in `extra` become keys of their own, except two
# the plain lines never showed either: Celery's `data` (a task's arguments) and Django's `request` (its
# address with the query string).
LOG_FORMATTERS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(levelname)s %(name)s %(message)s",
        "rename_fields": {"levelname": "level", "name": "logger"},
        "timestamp": True,
        "reserved_attrs": [*RESERVED_ATTRS, "data", "request"],
    },
}


def logging_config(log_format: str, level: str) -> dict:
    """LOGGING for DJANGO_LOG_FORMAT (`plain` or `json`) and DJANGO_LOG_LEVEL: everything to stderr."""
    if log_format not in LOG_FORMATTERS:
        raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be plain or json, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"console": LOG_FORMATTERS[log_format]},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "console"}},
        "root": {"handlers": ["console"], "level": level},
        # django-axes reports every successful login at INFO; failures and lockouts (WARNING) stay.
        # Never at DEBUG, whatever DJANGO_LOG_LEVEL says: django.db.backends would log query parameters
        # and django.template the context of a failed lookup, both holding personal data.
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "django.template": {"level": "INFO"},
            "axes": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(env.str("DJANGO_LOG_FORMAT", default="plain"), env.str("DJANGO_LOG_LEVEL", default="INFO"))

# The partner API (api/): keys in the Authorization header only (no session, so no CSRF), JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PartnerMay"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "api.views.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Contactpunt API",
    "DESCRIPTION": "Hand-offs from partners such as the national welcome panel, and the public activities.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"HandoffStatusEnum": "api.models.HandoffStatus"},
}
# Requests per key (a partner may have its own), and how long a rotated key keeps working.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")
API_KEY_ROTATION_GRACE_HOURS = env.int("API_KEY_ROTATION_GRACE_HOURS", default=24)

CELERY_BEAT_SCHEDULE = {
    "rematch-all-nightly": {"task": "kandidaten.tasks.rematch_all", "schedule": crontab(hour=2, minute=30)},
    # Privacy (kandidaten.privacy): retention warnings, erasure after the period without activity, clean-up.
    "privacy-retention-nightly": {"task": "kandidaten.tasks.apply_retention", "schedule": crontab(hour=3, minute=15)},
    # The audit log (contactpunt.audit): rows older than AUDIT_LOG_RETENTION_DAYS.
    "audit-log-retention": {"task": "contactpunt.tasks.purge_audit_log", "schedule": crontab(hour=3, minute=45)},
    "sweep-outbox": {"task": "contactpunt.tasks.sweep_outbox", "schedule": 120.0},
    # Webhooks to partners (api.webhooks): changes no signal saw, and attempts whose pause is over.
    "api-sweep-webhooks": {"task": "api.tasks.sweep_webhooks", "schedule": 60.0},
    "sweep-pending-signups": {"task": "kandidaten.tasks.sweep_pending_signups", "schedule": 120.0},
    "sweep-signup-follow-ups": {"task": "kandidaten.tasks.sweep_signup_follow_ups", "schedule": 120.0},
    "expire-offers": {"task": "werkgevers.tasks.expire_offers", "schedule": 15 * 60.0},
    "campaign-sweep-image-work": {"task": "campagne.tasks.sweep_image_work", "schedule": 5 * 60.0},
    # Notifications (contactpunt.reminders), Europe/Amsterdam times (CELERY_TIMEZONE).
    "notifications-introduction-reminders": {
        "task": "contactpunt.tasks.send_introduction_reminders",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
    "notifications-warnings": {"task": "contactpunt.tasks.send_warnings", "schedule": crontab(hour=7, minute=45)},
    "notifications-daily-digest": {
        "task": "contactpunt.tasks.send_daily_digests",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
    },
    # The quarterly progress reports (cijfers.report): last quarter's, on the first day of a quarter.
    "quarterly-reports": {
        "task": "cijfers.tasks.request_last_quarter_reports",
        "schedule": crontab(hour=6, minute=30, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "sweep-quarterly-reports": {"task": "cijfers.tasks.sweep_quarterly_reports", "schedule": 600.0},
    # The figures' summaries (cijfers.summaries): stale days every minute, everything again at night.
    "refresh-figure-summaries": {"task": "cijfers.tasks.refresh_summaries", "schedule": 60.0},
    "rebuild-figure-summaries": {"task": "cijfers.tasks.rebuild_summaries", "schedule": crontab(hour=4, minute=0)},
    "notifications-activity-tomorrow": {
        "task": "contactpunt.tasks.send_activity_reminders",
        "schedule": crontab(hour=16, minute=0),
    },
}

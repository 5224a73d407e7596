"""gunicorn for the portal's web processes: `gunicorn -c gunicorn.conf.py contactpunt.wsgi` (Procfile `web`).

Every value comes from the environment, so one file serves each of several hosts (README, "Deploying").

- Sync workers by default: the load benchmark (README) got no more sign-ups per second from gthread, and
  a sync worker holds one database connection, so PostgreSQL's budget is hosts × WEB_CONCURRENCY. They
  need a proxy in front that buffers requests and responses (nginx, the platform's load balancer), so
  a slow phone connection does not hold a worker. GUNICORN_THREADS > 1 switches to gthread.
- WEB_CONCURRENCY defaults to 2 × cores + 1 on the cores this process may use, at most 8: a small
  container on a big host would otherwise start dozens of workers, each with its memory and its
  database connection.
- preload_app off: each worker imports the portal itself, so a HUP (reload after a deploy) picks up
  new code, and no connection opened while importing is shared by forked workers.
- max_requests with jitter: a worker is replaced now and then, handing back the memory a big export
  left behind; the jitter keeps the workers from being replaced all at once.
- graceful_timeout under 30 s: platforms send SIGKILL 30 s after SIGTERM; requests in flight finish first.
- The access log: one JSON object per request on stdout with method, route, status, duration and
  the proxy's request id. The route is the URL pattern (`/mijn-gegevens/link/<str:token>/`), never
  the address: paths hold personal links' and password resets' tokens, query strings may hold others.
  No client address, user agent or referrer. gunicorn's own lines go to stderr, in JSON too with
  DJANGO_LOG_FORMAT=json.
- Nothing here imports the `contactpunt` package before a worker has loaded the portal: its Celery
  app sets DJANGO_SETTINGS_MODULE to the local settings when none is given, and the workers inherit
  this process's environment (contactpunt/wsgi.py chooses the production settings).
"""

import os

from gunicorn.glogging import Logger
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"


def usable_cores() -> int:
    """The cores this process may run on (a container's CPU set), where the system says so."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * usable_cores() + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
# Only gthread keeps connections open; behind a balancer that reuses them, above its idle timeout.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
preload_app = False
# The proxies whose X-Forwarded-Proto gunicorn believes; with the PROXY protocol (HAProxy, a TCP load
# balancer) gunicorn also takes the visitor's address from them, which the per-IP rate limits count.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_protocol = os.environ.get("GUNICORN_PROXY_PROTOCOL", "off")
proxy_allow_ips = forwarded_allow_ips
accesslog = "-"
errorlog = "-"
# Signals do what gunicornc would (HUP reloads, TERM stops), and two gunicorns of one user on one host
# would share its default socket path.
control_socket_disable = True

# The keys of the portal's JSON lines (LOG_FORMATTERS["json"] in contactpunt/settings/base.py).
JSON_FORMAT = {
    "fmt": "%(levelname)s %(name)s %(message)s",
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": True,
    "reserved_attrs": [*RESERVED_ATTRS, "data", "request"],
}


def route_of(environ: dict) -> str:
    """The URL pattern the request matched, `/static/…` as it is (file names only), else `-`."""
    from django.conf import settings
    from django.core.handlers.wsgi import get_path_info
    from django.urls import Resolver404, resolve

    path = get_path_info(environ)
    if path.startswith(settings.STATIC_URL):
        return path
    try:
        return "/" + resolve(path).route
    except Resolver404:
        return "-"


class JsonAccessLogger(Logger):
    """gunicorn's logger with an access line of JSON that holds no personal data (see above)."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.access_log.handlers:
            handler.setFormatter(JsonFormatter(**JSON_FORMAT))
        if os.environ.get("DJANGO_LOG_FORMAT") == "json":
            for handler in self.error_log.handlers:
                handler.setFormatter(JsonFormatter(**JSON_FORMAT))

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            fields = access_fields(resp, environ, request_time)
        except Exception:  # as gunicorn's own: a log line never turns an answer into an error
            self.exception("No access log line for this request")
            return
        self.access_log.info("%(method)s %(route)s %(status)s", fields, extra=fields)


def access_fields(resp, environ: dict, request_time) -> dict:
    from contactpunt.audit import well_formed_request_id  # in a worker, once the portal is loaded

    status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
    fields = {
        "method": environ.get("REQUEST_METHOD", "-"),
        "route": route_of(environ),
        "status": int(status),
        "duration_ms": round(request_time.total_seconds() * 1000, 1),
    }
    given_id = environ.get("HTTP_X_REQUEST_ID", "")
    if well_formed_request_id(given_id):
        fields["request_id"] = given_id
    return fields


logger_class = JsonAccessLogger

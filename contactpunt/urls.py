from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import audit_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.landing, name="landing"),
    path("over/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("healthz/ready", views.healthz_ready, name="healthz_ready"),
    path("media/<path:path>", views.public_media, name="public_media"),
    path("meldingen/", views.notification_list, name="notifications"),
    path("meldingen/<int:pk>/openen/", views.notification_open, name="notification_open"),
    path("meldingen/alles-gelezen/", views.notifications_read_all, name="notifications_read_all"),
    path("account/meldingen/", views.notification_preferences, name="notification_preferences"),
    path("dashboard/auditlog/", audit_views.audit_log, name="audit_log"),
    path("", include("contactpunt.auth_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("kandidaten.urls")),
    path("", include("werkgevers.urls")),
    path("", include("campagne.urls")),
    path("", include("cijfers.urls")),
    path("", include("api.urls")),
]

# Error pages in the portal's style, each with an error id (contactpunt.errors).
handler400 = "contactpunt.errors.bad_request"
handler403 = "contactpunt.errors.permission_denied"
handler404 = "contactpunt.errors.page_not_found"
handler500 = "contactpunt.errors.server_error"

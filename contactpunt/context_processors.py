from django.conf import settings


def portal(request):
    return {"privacy_statement_version": settings.PRIVACY_STATEMENT_VERSION}

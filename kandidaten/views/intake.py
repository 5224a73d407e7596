# Placeholder while issue 2 is built: the public intake and phone intake views go here.
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


intake = intake_done = phone_intake = phone_intake_duplicates = _todo

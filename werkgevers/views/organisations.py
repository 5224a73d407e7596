# Placeholder while issue 3 is built by a helper: every view here raises 404 until it is written.
from django.http import Http404


def __getattr__(name):
    def view(request, *args, **kwargs):
        raise Http404

    return view

# Placeholder while issue 2 is built: the coordinator dashboard views go here.
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


inbox = duplicates = national_queue = candidate_detail = candidate_edit = candidate_assign = _todo
candidate_status = contact_moment_create = candidate_merge = candidate_hand_over = _todo

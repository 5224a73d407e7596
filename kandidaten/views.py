# Placeholder during the build of issue 2: every view is being written by a helper.
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


intake = intake_done = inbox = phone_intake = phone_intake_duplicates = duplicates = national_queue = _todo
candidate_detail = candidate_edit = candidate_assign = candidate_status = contact_moment_create = _todo
candidate_merge = candidate_hand_over = _todo

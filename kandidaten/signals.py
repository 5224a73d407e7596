"""Signals other apps listen to."""

from django.dispatch import Signal

# Sent inside the merge's transaction, before `remove` is deleted: (keep, remove). Apps with rows that
# point at a candidate move theirs to `keep` (the partner API's hand-offs, say).
candidates_merged = Signal()

"""Handing work to Celery: only after the transaction commits, and never failing the request."""

import logging

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args) -> None:
    """Queue `task(*args)` now; if the broker is down, log it and go on (a periodic job catches up)."""
    try:
        task.delay(*args)
    except Exception:
        logger.warning("Task %s not handed to the broker; a periodic job catches up", task.name)


def enqueue_on_commit(task: Task, *args) -> None:
    """Queue `task(*args)` once the current transaction commits.

    If the broker is down the request still succeeds; the work is caught up by a periodic job
    (the outbox sweep, the sign-up sweep, the nightly rematch), so nothing is lost.
    """
    transaction.on_commit(lambda: enqueue(task, *args))

"""Handing work to Celery: only after the transaction commits, and never failing the request."""

import logging

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args) -> None:
    """Queue `task(*args)` once the current transaction commits.

    If the broker is down the request still succeeds; the work is caught up by a periodic job
    (the outbox sweep, the nightly rematch), so nothing is lost.
    """

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:
            logger.warning("Task %s not handed to the broker; a periodic job catches up", task.name)

    transaction.on_commit(send)

"""Celery tasks of the employer side: thin wrappers that call plain functions."""

from celery import shared_task

from . import offers


@shared_task
def expire_offers() -> int:
    """Published and full offers whose time is over become verlopen (beat: every 15 minutes).

    Takes no arguments and is idempotent: a conditional UPDATE, so a rerun or a retry changes nothing more.
    """
    return offers.expire_offers()

from celery import shared_task

from . import webhooks


@shared_task(ignore_result=True)
def deliver_webhook(delivery_id: int) -> bool:
    """One attempt; a failed one is tried again by `sweep_webhooks` when its pause is over."""
    return webhooks.deliver(delivery_id)


@shared_task(ignore_result=True)
def sweep_webhooks() -> int:
    return webhooks.sweep()

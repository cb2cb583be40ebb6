"""Background work of the housing programmes."""

from celery import shared_task

from .services import attachment_make_thumbnail


# acks_late with reject_on_worker_lost, as the reports': a worker killed while decoding a photo
# does not lose its thumbnail; making it again is harmless.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def attachment_thumbnail_task(attachment_id: int) -> None:
    attachment_make_thumbnail(attachment_id)

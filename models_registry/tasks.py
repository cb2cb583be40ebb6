"""Background work of the typical models."""

from celery import shared_task

from housing.attachments import thumbnail_store

from .models import ModelAttachment


# acks_late with reject_on_worker_lost, as housing's: a worker killed while decoding a photo does not
# lose its thumbnail; making it again is harmless.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def attachment_thumbnail_task(attachment_id: int) -> None:
    thumbnail_store(ModelAttachment, attachment_id)

"""Featured images uploaded in the admin: through `core.images.process_image` into `Image`.

The upload is checked and stored while the form is validated (so a bad file is a form
error); the `Image` row is written only when the post is saved, and the stored files are
removed again when the form is not saved.
"""

from dataclasses import dataclass

from blog.models import Image
from core.images import StoredImage, delete_stored, process_image


@dataclass
class StoredUpload:
    stored: StoredImage
    original_name: str


def store_upload(upload) -> StoredUpload:
    """Check and store; raises core.images.ImageRejected with a Dutch message."""
    return StoredUpload(process_image(upload, folder="posts"), getattr(upload, "name", ""))


def create_image(upload: StoredUpload, *, user) -> Image:
    stored = upload.stored
    return Image.objects.create(
        file=stored.name, width=stored.width, height=stored.height,
        renditions=stored.renditions, uploaded_by=user,
        original_name=upload.original_name[:255],
    )


def discard_upload(upload: StoredUpload) -> None:
    delete_stored(upload.stored.renditions)

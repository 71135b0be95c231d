"""Post images: the one way a picture becomes a `blog.models.Image` row.

The writing desk, the admin, the WordPress importer and the demo all store post images
through this module, so they land in one folder (`FOLDER`) and every row is made by
`save_image`. The checks themselves (real format, size, pixels, bombs, EXIF/GPS,
orientation) are core.images'; forms get them through `PostImageField`, other callers
through `store_upload`. Profile photos are not post images: accounts keeps them apart.
"""

import re
from datetime import datetime

from django.db import transaction

from blog.models import Image
from core.images import StoredImage, delete_stored, process_image
from core.uploads import UploadedImageField

FOLDER = "afbeeldingen"
BODY_WIDTH = 800


class PostImageField(UploadedImageField):
    """The upload field of every post-image form; cleans to a StoredImage in `FOLDER`.

    Use it with core.uploads.StoredImagesMixin, which deletes the renditions again when
    the form fails; the view turns the StoredImage into a row with `save_image`.
    """

    def __init__(self, **kwargs):
        super().__init__(folder=FOLDER, **kwargs)


def store_renditions(upload) -> StoredImage:
    """Check, clean and store `upload` in `FOLDER`, without a row yet.

    For callers that must do something between storing and saving (the importer remembers
    the files for its per-item rollback). Raises core.images.ImageRejected (Dutch message).
    """
    return process_image(upload, folder=FOLDER)


@transaction.atomic
def save_image(
    stored: StoredImage, *, uploaded_by, created_at: datetime | None = None
) -> Image:
    """The Image row for renditions already written; they are deleted if the create fails.

    A transaction around this that rolls back later is the caller's to clean up (with
    core.uploads.StoredImagesMixin, or by remembering `stored.renditions`).
    """
    extra = {"created_at": created_at} if created_at is not None else {}
    try:
        return Image.objects.create(
            file=stored.name,
            width=stored.width,
            height=stored.height,
            renditions=stored.renditions,
            uploaded_by=uploaded_by,
            original_name=stored.original_name[:255],
            **extra,
        )
    except Exception:
        delete_stored(stored.renditions)
        raise


def store_upload(upload, *, uploaded_by) -> Image:
    """Check, clean and store an upload as an Image; raises core.images.ImageRejected."""
    return save_image(store_renditions(upload), uploaded_by=uploaded_by)


def markdown_for(image: Image, alt: str) -> str:
    """The Markdown that shows `image` in a body: `![alt](url)` with the alt text made safe."""
    alt = re.sub(r"[\[\]\\]", "", " ".join((alt or "").split()))
    return f"![{alt}]({image.url_for(BODY_WIDTH)})"

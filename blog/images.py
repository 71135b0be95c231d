"""Post images: uploads become `blog.models.Image` rows holding cleaned renditions only.

The checks themselves (real format, size, pixels, bombs, EXIF/GPS, orientation) are
core.images'; this module stores the result and writes the Markdown a body needs.
"""

import re

from django.db import transaction

from blog.models import Image
from core.images import StoredImage, delete_stored, process_image

FOLDER = "afbeeldingen"
BODY_WIDTH = 800


@transaction.atomic
def save_image(stored: StoredImage, *, uploaded_by, original_name: str = "") -> Image:
    """An Image row for renditions already written; they are deleted if this rolls back."""
    try:
        return Image.objects.create(
            file=stored.name,
            width=stored.width,
            height=stored.height,
            renditions=stored.renditions,
            uploaded_by=uploaded_by,
            original_name=(original_name or "")[:255],
        )
    except Exception:
        delete_stored(stored.renditions)
        raise


def store_upload(upload, *, uploaded_by) -> Image:
    """Check, clean and store an upload; raises core.images.ImageRejected (Dutch message)."""
    stored = process_image(upload, folder=FOLDER)
    return save_image(stored, uploaded_by=uploaded_by, original_name=getattr(upload, "name", ""))


def markdown_for(image: Image, alt: str) -> str:
    """The Markdown that shows `image` in a body: `![alt](url)` with the alt text made safe."""
    alt = re.sub(r"[\[\]\\]", "", " ".join((alt or "").split()))
    return f"![{alt}]({image.url_for(BODY_WIDTH)})"

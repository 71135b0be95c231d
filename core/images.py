"""The image pipeline: every uploaded picture goes through `process_image` before it is stored.

It checks the real format with Pillow (not the file name), refuses files over the byte and
pixel limits and decompression bombs, applies the EXIF orientation, drops all metadata (GPS
must not leak), and writes resized renditions under random names. The upload itself is
never stored, so nothing a camera wrote into it is ever served.
"""

import io
import secrets
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class ImageRejected(ValidationError):
    """The upload is not an image we accept; the message says why, in Dutch."""


@dataclass
class StoredImage:
    """What was written to storage: the largest rendition plus every width.

    `original_name` is the uploader's file name, kept so the editor recognises the picture;
    it never names a stored file.
    """

    name: str
    width: int
    height: int
    renditions: dict[str, str] = field(default_factory=dict)
    original_name: str = ""


def _open_checked(data: bytes, *, max_pixels: int) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow warns before it errors; a warning-sized bomb is refused too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise ImageRejected(
                    _("Dit bestandstype wordt niet ondersteund. Gebruik JPEG, PNG, WebP of GIF."),
                    code="format",
                )
            width, height = probe.size
            if width * height > max_pixels:
                raise ImageRejected(
                    _("Deze afbeelding is te groot (%(w)s × %(h)s pixels).")
                    % {"w": width, "h": height},
                    code="pixels",
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(
                _("Deze afbeelding is te groot om veilig te verwerken."), code="bomb"
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ImageRejected(
                _("Dit bestand is geen geldige afbeelding (JPEG, PNG, WebP of GIF)."),
                code="invalid",
            ) from exc
    return image


def _clean(image: Image.Image) -> tuple[Image.Image, str]:
    """Orientation applied, metadata gone; returns the image and the output format."""
    if getattr(image, "is_animated", False):
        image.seek(0)
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        clean = image.convert("RGBA")
        out_format = "PNG"
    else:
        clean = image.convert("RGB")
        out_format = "JPEG"
    # Keep pixels only: a fresh image carries no EXIF, XMP, comments or GPS.
    fresh = Image.new(clean.mode, clean.size)
    fresh.paste(clean)
    return fresh, out_format


def _encode(image: Image.Image, out_format: str) -> bytes:
    buffer = io.BytesIO()
    if out_format == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def process_image(upload, *, folder: str) -> StoredImage:
    """Check, clean and store an uploaded image; raise ImageRejected with a Dutch message."""
    max_bytes = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ImageRejected(
            _("Dit bestand is te groot (maximaal %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)},
            code="bytes",
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRejected(
            _("Dit bestand is te groot (maximaal %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)},
            code="bytes",
        )
    if not data:
        raise ImageRejected(_("Het bestand is leeg."), code="empty")

    image, out_format = _clean(_open_checked(data, max_pixels=settings.UPLOAD_MAX_PIXELS))
    extension = "jpg" if out_format == "JPEG" else "png"
    stem = f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(12)}"

    renditions: dict[str, str] = {}
    widths = sorted(settings.IMAGE_RENDITION_WIDTHS)
    for width in widths:
        target = min(width, image.width)  # never upscale: a small picture stays its size
        if str(target) in renditions:
            break
        version = image.copy()
        if version.width > target:
            version.thumbnail((target, target * 10), Image.Resampling.LANCZOS)
        name = default_storage.save(
            f"{stem}-{target}.{extension}", ContentFile(_encode(version, out_format))
        )
        renditions[str(target)] = name
    largest = max(renditions, key=int)
    return StoredImage(
        name=renditions[largest],
        width=int(largest),
        height=max(1, round(image.height * int(largest) / image.width)),
        renditions=renditions,
        original_name=getattr(upload, "name", "") or "",
    )


def delete_stored(renditions: dict[str, str]) -> None:
    for name in renditions.values():
        default_storage.delete(name)

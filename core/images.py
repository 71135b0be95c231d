"""The image pipeline: every uploaded picture goes through `process_image` before it is stored.

It checks the real format with Pillow (not the file name), refuses files over the byte and
pixel limits, decompression bombs and anything whose decoded pixels would take more than
UPLOAD_MAX_DECODED_BYTES (all from the header, before decoding), decodes no larger than the
largest rendition needs (JPEG at a reduced scale), applies the EXIF orientation, drops all
metadata (GPS must not leak), and writes resized renditions under random names. The upload
itself is never stored, so nothing a camera wrote into it is ever served. One upload of a
24-megapixel photo or a 40-megapixel PNG stays well under 400 MB (`make bench-upload`).
"""

import io
import math
import secrets
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

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


# Bytes per pixel as Pillow holds an image in memory (RGB is stored in four bytes too).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}

# EXIF orientation → the transposition that puts the picture upright (as ImageOps does).
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION_TAG = 0x0112


def decoded_bytes(image: Image.Image) -> int:
    """What decoding `image` at its current size and mode will take, before it is decoded."""
    width, height = image.size
    return width * height * _BYTES_PER_PIXEL.get(image.mode, 4)


def _too_big(width: int, height: int) -> ImageRejected:
    return ImageRejected(
        _("Deze afbeelding is te groot (%(w)s × %(h)s pixels).") % {"w": width, "h": height},
        code="pixels",
    )


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_ORIENTATION_TAG, 1))
    except (TypeError, ValueError):
        return 1


def _open_reduced(data: bytes, *, max_pixels: int, max_width: int) -> tuple[Image.Image, int]:
    """Decode the upload at no more than the largest rendition needs; (image, orientation).

    Everything that can be refused is refused from the header, before a pixel is decoded:
    the format, the pixel count, and the memory decoding would take (width × height × bytes
    per pixel, UPLOAD_MAX_DECODED_BYTES). A JPEG is decoded at a reduced scale (`draft`:
    1/2, 1/4 or 1/8, never below the largest rendition), so a 24-megapixel photo never
    exists in memory at full size; other formats are reduced right after decoding, before
    any copy is made.
    """
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
                raise _too_big(width, height)
            probe.verify()  # checks the file's structure without decoding the pixels

            image = Image.open(io.BytesIO(data))
            orientation = 1
            if image.format == "JPEG":
                orientation = _orientation(image)  # from the header
                upright_width = height if orientation in (5, 6, 7, 8) else width
                if upright_width > max_width:
                    scale = max_width / upright_width
                    image.draft(image.mode,
                                (math.ceil(width * scale), math.ceil(height * scale)))
            if decoded_bytes(image) > settings.UPLOAD_MAX_DECODED_BYTES:
                raise _too_big(width, height)
            if image.format != "JPEG":
                orientation = _orientation(image)  # a PNG may keep EXIF after its pixels
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
    rotated = orientation in (5, 6, 7, 8)
    current_width = image.height if rotated else image.width  # after draft: maybe smaller
    if current_width <= max_width:
        return image, orientation
    scale = max_width / current_width
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if image.mode in ("P", "1"):
        # Resampling a palette picks nearest pixels: make it RGB(A) first.
        has_alpha = image.mode == "P" and "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    factor = min(image.width // (2 * size[0]), image.height // (2 * size[1]))
    if factor >= 2:
        reduced = _box_reduce(image, factor)
        del image  # the full-size pixels go before the fine resampling allocates
        image = reduced
    return image.resize(size, Image.Resampling.LANCZOS), orientation


def _box_reduce(image: Image.Image, factor: int) -> Image.Image:
    """`image` reduced by a whole factor, never holding a second full-size copy.

    Pillow reduces and resamples RGBA on a premultiplied full-size copy (another 160 MB for
    40 megapixels), so an image with alpha is reduced band by band (each band a quarter of
    the memory). Down to twice the target only: the fine resampling after it is the real one.
    """
    if image.mode not in ("RGBA", "LA"):
        return image.reduce(factor)
    bands = []
    for index in range(len(image.getbands())):
        band = image.getchannel(index)
        bands.append(band.reduce(factor))
        del band
    return Image.merge(image.mode, bands)


def _clean(image: Image.Image, orientation: int) -> tuple[Image.Image, str]:
    """Orientation applied, metadata gone; returns the image and the output format."""
    if getattr(image, "is_animated", False):
        image.seek(0)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        clean = image.convert("RGBA")
        out_format = "PNG"
    else:
        clean = image.convert("RGB")
        out_format = "JPEG"
    if orientation in _ORIENTATION:
        clean = clean.transpose(_ORIENTATION[orientation])
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

    widths = sorted(settings.IMAGE_RENDITION_WIDTHS)
    decoded, orientation = _open_reduced(
        data, max_pixels=settings.UPLOAD_MAX_PIXELS, max_width=widths[-1]
    )
    del data
    image, out_format = _clean(decoded, orientation)
    del decoded
    extension = "jpg" if out_format == "JPEG" else "png"
    stem = f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(12)}"

    renditions: dict[str, str] = {}
    for width in widths:
        target = min(width, image.width)  # never upscale: a small picture stays its size
        if str(target) in renditions:
            break
        version = image
        if image.width > target:
            version = image.resize(
                (target, max(1, round(image.height * target / image.width))),
                Image.Resampling.LANCZOS,
            )
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

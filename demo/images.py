"""Pictures for the demo, drawn with Pillow: initial avatars and featured-image banners.

The drawings are deterministic (a seeded random generator), so every run draws the same
pictures. They are returned as PNG bytes and stored by the loader through
`core.images.process_image`, the same pipeline an upload goes through.
"""

import io
import random
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

# Pairs of (dark, light) colours; white text on the dark end stays readable.
PALETTES = (
    ((52, 48, 122), (96, 140, 200)),  # ink blue to sky
    ((18, 92, 110), (82, 170, 150)),  # teal to sea green
    ((120, 52, 44), (214, 132, 86)),  # brick to apricot
    ((30, 96, 58), (140, 190, 96)),  # forest to leaf
    ((84, 40, 102), (188, 110, 160)),  # plum to rose
    ((150, 62, 20), (236, 160, 60)),  # rust to orange
    ((40, 70, 110), (150, 170, 210)),  # slate to lavender
    ((96, 76, 30), (200, 170, 90)),  # bronze to sand
)

AVATAR_SIZE = 480
BANNER_SIZE = (1600, 900)


def _palette(index: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    return PALETTES[index % len(PALETTES)]


def _diagonal_gradient(size: tuple[int, int], dark, light) -> Image.Image:
    """Dark in the lower left, light in the upper right."""
    downwards = Image.linear_gradient("L").resize(size)  # 0 at the top, 255 at the bottom
    leftwards = Image.linear_gradient("L").rotate(-90).resize(size)  # 255 at the left
    mask = ImageChops.add(downwards, leftwards, scale=2)
    return Image.composite(Image.new("RGB", size, dark), Image.new("RGB", size, light), mask)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow ships a scalable default font (no system fonts needed).
    return ImageFont.load_default(size=size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)  # re-encoded by the image pipeline anyway
    return buffer.getvalue()


def _bubbles(image: Image.Image, rng: random.Random, count: int, max_radius: int) -> Image.Image:
    """Soft translucent circles over the background.

    Drawn and blurred at a quarter of the size, then scaled up: the same soft look for a
    fraction of the blur's cost.
    """
    scale = 4
    width, height = image.size
    small = (width // scale, height // scale)
    layer = Image.new("RGBA", small, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(count):
        radius = rng.randint(max_radius // 4, max_radius) // scale
        x, y = rng.randint(-radius, small[0]), rng.randint(-radius, small[1])
        alpha = rng.randint(18, 46)
        draw.ellipse((x, y, x + 2 * radius, y + 2 * radius), fill=(255, 255, 255, alpha))
    layer = layer.filter(ImageFilter.GaussianBlur(radius=max(1, max_radius // 120)))
    layer = layer.resize(image.size, Image.Resampling.BICUBIC)
    return Image.alpha_composite(image.convert("RGBA"), layer)


@lru_cache(maxsize=32)  # deterministic: a second run in one process reuses the bytes
def avatar(initials: str, palette: int) -> bytes:
    """A square portrait placeholder: initials on a gradient, with a quiet ring."""
    dark, light = _palette(palette)
    size = (AVATAR_SIZE, AVATAR_SIZE)
    image = _bubbles(_diagonal_gradient(size, dark, light), random.Random(initials), 5, 140)
    draw = ImageDraw.Draw(image)
    inset = AVATAR_SIZE // 12
    draw.ellipse(
        (inset, inset, AVATAR_SIZE - inset, AVATAR_SIZE - inset),
        outline=(255, 255, 255, 110),
        width=6,
    )
    draw.text(
        (AVATAR_SIZE / 2, AVATAR_SIZE / 2),
        initials.upper(),
        font=_font(AVATAR_SIZE * 2 // 5),
        fill=(255, 255, 255, 255),
        anchor="mm",
    )
    return _png(image.convert("RGB"))


@lru_cache(maxsize=16)
def banner(label: str, palette: int, seed: int) -> bytes:
    """A 16:9 featured image: a large label on a soft gradient with circles."""
    dark, light = _palette(palette)
    image = _bubbles(_diagonal_gradient(BANNER_SIZE, dark, light), random.Random(seed), 14, 320)
    width, height = BANNER_SIZE
    font = _font(300 if len(label) <= 4 else 220)
    # A soft shadow keeps the label readable on the light corner.
    shadow = Image.new("RGBA", (width // 4, height // 4), (0, 0, 0, 0))
    ImageDraw.Draw(shadow).text(
        (width / 8 + 1, height / 8 + 1.5), label, font=_font(font.size // 4), fill=(0, 0, 0, 110),
        anchor="mm",
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(radius=2.5)).resize(
        BANNER_SIZE, Image.Resampling.BICUBIC
    )
    image = Image.alpha_composite(image, shadow)
    draw = ImageDraw.Draw(image)
    draw.text((width / 2, height / 2), label, font=font, fill=(255, 255, 255, 255), anchor="mm")
    return _png(image.convert("RGB"))

"""core/images.py: only real, sane images get in, cleaned of metadata, in renditions."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from core.images import ImageRejected, process_image
from tests.conftest import image_bytes


def upload(data, name="foto.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def gps_exif():
    exif = PILImage.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    gps = {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 2.0)}
    exif[0x8825] = gps
    return exif


@pytest.mark.django_db
def test_renditions_at_400_800_1600_with_random_names():
    stored = process_image(upload(image_bytes(size=(2000, 1000))), folder="tests")
    assert sorted(stored.renditions, key=int) == ["400", "800", "1600"]
    assert stored.width == 1600 and stored.height == 800
    for width, name in stored.renditions.items():
        assert "foto" not in name
        with default_storage.open(name) as f:
            assert PILImage.open(f).width == int(width)


@pytest.mark.django_db
def test_small_images_are_not_upscaled():
    stored = process_image(upload(image_bytes(size=(300, 200))), folder="tests")
    assert stored.renditions.keys() == {"300"}


@pytest.mark.django_db
def test_gps_exif_is_stripped_and_orientation_applied():
    data = image_bytes(size=(1200, 600), exif=gps_exif())
    assert b"Exif" in data
    stored = process_image(upload(data), folder="tests")
    for name in stored.renditions.values():
        with default_storage.open(name) as f:
            raw = f.read()
        img = PILImage.open(io.BytesIO(raw))
        assert not img.getexif(), "EXIF must be gone"
        assert b"Exif" not in raw
        assert img.height > img.width  # rotated as the camera said


@pytest.mark.django_db
def test_non_image_renamed_jpg_is_refused():
    with pytest.raises(ImageRejected) as exc:
        process_image(upload(b"%PDF-1.4 not a picture at all", "foto.jpg"), folder="tests")
    assert "geen geldige afbeelding" in exc.value.messages[0]


@pytest.mark.django_db
def test_other_formats_are_refused():
    buffer = io.BytesIO()
    PILImage.new("RGB", (50, 50)).save(buffer, "BMP")
    with pytest.raises(ImageRejected) as exc:
        process_image(upload(buffer.getvalue(), "x.bmp"), folder="tests")
    assert "JPEG, PNG, WebP of GIF" in exc.value.messages[0]


@pytest.mark.django_db
def test_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    with pytest.raises(ImageRejected) as exc:
        process_image(upload(image_bytes(size=(1500, 1500), color=(1, 2, 3)) + b"\0" * 20_000), folder="tests")
    assert "te groot" in exc.value.messages[0]


@pytest.mark.django_db
def test_decompression_bomb_is_refused():
    # A tiny PNG file that claims a 20000 × 20000 canvas.
    buffer = io.BytesIO()
    PILImage.new("1", (20000, 20000)).save(buffer, "PNG")
    data = buffer.getvalue()
    assert len(data) < 200_000
    with pytest.raises(ImageRejected) as exc:
        process_image(upload(data, "bom.png"), folder="tests")
    assert "te groot" in exc.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_png_webp_gif_are_accepted(fmt):
    stored = process_image(upload(image_bytes(fmt=fmt, size=(500, 400)), f"x.{fmt.lower()}"), folder="tests")
    assert stored.width == 500


# --- memory: refuse from the header, decode no larger than needed (issue 12) -------------------

@pytest.fixture
def decoded_sizes(monkeypatch):
    """Records the size every image is decoded at (Pillow decodes in ImageFile.load)."""
    from PIL import ImageFile

    sizes = []
    original = ImageFile.ImageFile.load

    def load(self):
        if self.tile:  # not decoded yet: this call decodes
            sizes.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


@pytest.mark.django_db
def test_an_image_too_big_to_decode_is_refused_before_decoding(settings, decoded_sizes):
    """A small file can decode to hundreds of megabytes (a 155 KB PNG grew a worker by 505 MB)."""
    settings.UPLOAD_MAX_DECODED_BYTES = 3 * 1024 * 1024
    data = image_bytes("PNG", size=(1000, 1000))  # RGBA: 4 MB once decoded
    assert len(data) < 20_000
    with pytest.raises(ImageRejected) as exc:
        process_image(upload(data, "scherm.png"), folder="tests")
    assert exc.value.code == "pixels"
    assert "te groot (1000 × 1000 pixels)" in exc.value.messages[0]
    assert decoded_sizes == []  # refused from the header: not a pixel was decoded
    settings.UPLOAD_MAX_DECODED_BYTES = 5 * 1024 * 1024
    assert process_image(upload(data, "scherm.png"), folder="tests").width == 1000


@pytest.mark.django_db
def test_a_large_photo_is_decoded_at_a_reduced_scale(decoded_sizes):
    """Only renditions up to 1600 px are kept, so a 4000 px JPEG is decoded at half size."""
    stored = process_image(upload(image_bytes(size=(4000, 3000))), folder="tests")
    assert decoded_sizes == [(2000, 1500)]
    assert stored.width == 1600 and stored.height == 1200
    with default_storage.open(stored.renditions["1600"]) as f:
        assert PILImage.open(f).size == (1600, 1200)


@pytest.mark.django_db
def test_a_reduced_photo_is_still_turned_upright(decoded_sizes):
    data = image_bytes(size=(8000, 4000), exif=gps_exif())  # orientation 6: 90° clockwise
    stored = process_image(upload(data), folder="tests")
    assert decoded_sizes == [(4000, 2000)]  # upright 4000 wide: half is still ≥ 1600
    with default_storage.open(stored.renditions[str(stored.width)]) as f:
        img = PILImage.open(f)
        assert img.size == (1600, 3200)  # upright: as wide as the camera's height
        assert not img.getexif()


def test_one_upload_stays_under_400_mb(tmp_path):
    """The benchmark's two files, each in a fresh process (make bench-upload prints the
    table). Memory, not speed: the bound holds on any machine, however busy."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "upload.py"
    spec = importlib.util.spec_from_file_location("upload_benchmark", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    png = tmp_path / "klein-maar-groot.png"
    png.write_bytes(bench.tiny_huge_png())
    assert png.stat().st_size < 200 * 1024
    result = bench.measure(png, str(tmp_path / "media"))
    assert result["outcome"].startswith("opgeslagen: 1600×")
    assert result["added_mb"] < bench.MEMORY_BOUND_MB

"""Uploads through the forms: featured image, images in the body, the profile photo; and
the one way every post image is stored, whether the desk, the admin or the importer adds it.

Bad files get a clear Dutch message next to the field and leave nothing behind; good ones
are stored only as cleaned renditions (no EXIF, so no GPS), under random names.
"""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from PIL import Image as PILImage

from accounts.models import AuthorProfile
from blog import images
from blog.models import Image
from tests.conftest import image_bytes
from tests.factories import PostFactory
from tests.test_admin_posts import change_url, form_data
from tests.test_wxr_import import FIXTURES, media_dir
from wordpress.importer import WxrImporter


def gps_exif():
    exif = PILImage.Exif()
    exif[0x0112] = 6  # orientation: rotate to display
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 2.0)}
    return exif


def gps_jpeg(name="vakantie-thuis.jpg"):
    data = image_bytes(size=(2400, 1800), exif=gps_exif())
    assert b"Exif" in data and b"GPS" in data or PILImage.open(io.BytesIO(data)).getexif()
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def bomb_png():
    buffer = io.BytesIO()
    PILImage.new("1", (20000, 20000)).save(buffer, "PNG")
    return SimpleUploadedFile("bom.png", buffer.getvalue(), content_type="image/png")


def fake_jpeg():
    return SimpleUploadedFile("foto.jpg", b"%PDF-1.4 geen plaatje", content_type="image/jpeg")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_clean_jpeg(path: Path):
    raw = path.read_bytes()
    img = PILImage.open(io.BytesIO(raw))
    assert not img.getexif(), f"EXIF left in {path.name}"
    assert b"Exif" not in raw


def edit(client, post, **data):
    payload = {"version": post.version, "title": post.title, "body_markdown": post.body_markdown,
               "featured_image_alt": "", "tags": "", "trend": ""}
    payload.update(data)
    return client.post(reverse("desk:edit", args=[post.pk]), payload)


BAD_FILES = {
    "bomb": (bomb_png, "te groot om veilig te verwerken"),
    "not-an-image": (fake_jpeg, "geen geldige afbeelding"),
}


@pytest.fixture
def bomb_reaches_pillow(settings):
    # Let the file pass our own pixel limit so Pillow's decompression-bomb guard is what
    # refuses it (the pixel limit itself is tested below).
    settings.UPLOAD_MAX_PIXELS = 10**9


# --- the featured image ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_featured_image_bad_files_are_refused_with_a_message(
    guest_client, guest, settings, bomb_reaches_pillow, kind
):
    make, message = BAD_FILES[kind]
    post = PostFactory(author=guest)
    response = edit(guest_client, post, body_markdown="Wat ik typte.",
                    featured_upload=make(), featured_image_alt="Een foto")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Wat ik typte." in html
    post.refresh_from_db()
    assert post.version == 1 and post.featured_image is None
    assert not Image.objects.exists() and stored_files(settings) == []


@pytest.mark.django_db
def test_featured_image_over_the_byte_limit_is_refused(guest_client, guest, settings):
    settings.UPLOAD_MAX_BYTES = 50_000
    post = PostFactory(author=guest)
    big = SimpleUploadedFile("groot.jpg", image_bytes(size=(400, 300)) + b"\0" * 60_000,
                             content_type="image/jpeg")
    html = edit(guest_client, post, featured_upload=big, featured_image_alt="x").content.decode()
    assert "Dit bestand is te groot (maximaal" in html
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_featured_image_over_the_pixel_limit_is_refused(guest_client, guest, settings):
    settings.UPLOAD_MAX_PIXELS = 1000 * 1000
    post = PostFactory(author=guest)
    wide = SimpleUploadedFile("breed.png", image_bytes("PNG", size=(2000, 1000)),
                              content_type="image/png")
    html = edit(guest_client, post, featured_upload=wide, featured_image_alt="x").content.decode()
    assert "Deze afbeelding is te groot (2000 × 1000 pixels)" in html
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_featured_jpeg_with_gps_is_stored_clean_in_renditions(guest_client, guest, settings):
    post = PostFactory(author=guest)
    response = edit(guest_client, post, featured_upload=gps_jpeg(),
                    featured_image_alt="Drie collega's bij de koffieautomaat")
    assert response.status_code == 302
    post.refresh_from_db()
    image = post.featured_image
    assert image is not None and image.uploaded_by == guest
    assert post.featured_image_alt == "Drie collega's bij de koffieautomaat"
    assert sorted(image.renditions, key=int) == ["400", "800", "1600"]
    files = stored_files(settings)
    assert len(files) == 3  # the renditions, and not the upload itself
    for path in files:
        assert "vakantie" not in path.name
        assert_clean_jpeg(path)
        assert PILImage.open(path).height > PILImage.open(path).width  # orientation applied
    page = guest_client.get(reverse("desk:preview", args=[post.pk])).content.decode()
    assert image.url_for(1600) in page and "Drie collega&#x27;s bij de koffieautomaat" in page


@pytest.mark.django_db
def test_featured_image_needs_alt_text_and_a_refused_form_leaves_no_files(
    guest_client, guest, settings
):
    post = PostFactory(author=guest)
    response = edit(guest_client, post, featured_upload=gps_jpeg(), featured_image_alt="")
    assert response.status_code == 200
    assert "Beschrijf wat er op de afbeelding te zien is" in response.content.decode()
    assert stored_files(settings) == [] and not Image.objects.exists()


@pytest.mark.django_db
def test_an_edit_conflict_leaves_no_files_either(guest_client, guest, settings):
    post = PostFactory(author=guest)
    response = edit(guest_client, post, version=7, featured_upload=gps_jpeg(),
                    featured_image_alt="Een foto")
    assert response.status_code == 409
    assert stored_files(settings) == [] and not Image.objects.exists()


@pytest.mark.django_db
def test_featured_image_can_be_removed(guest_client, guest):
    post = PostFactory(author=guest)
    edit(guest_client, post, featured_upload=gps_jpeg(), featured_image_alt="Foto")
    post.refresh_from_db()
    edit(guest_client, post, remove_featured_image="on", featured_image_alt="Foto")
    post.refresh_from_db()
    assert post.featured_image is None and post.featured_image_alt == ""


# --- images in the body ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_body_image_endpoint_refuses_bad_files(guest_client, settings, bomb_reaches_pillow, kind):
    make, message = BAD_FILES[kind]
    response = guest_client.post(reverse("desk:upload-image"), {"image": make(), "alt": "Iets"})
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert stored_files(settings) == [] and not Image.objects.exists()


@pytest.mark.django_db
def test_body_image_endpoint_refuses_oversized_files(guest_client, settings):
    settings.UPLOAD_MAX_BYTES = 20_000
    big = SimpleUploadedFile("groot.jpg", image_bytes() + b"\0" * 30_000)
    response = guest_client.post(reverse("desk:upload-image"), {"image": big, "alt": "Iets"})
    assert response.status_code == 400 and "te groot" in response.json()["error"]


@pytest.mark.django_db
def test_body_image_endpoint_needs_alt_text(guest_client, settings):
    response = guest_client.post(reverse("desk:upload-image"), {"image": gps_jpeg(), "alt": " "})
    assert response.status_code == 400 and "Beschrijf" in response.json()["error"]
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_body_image_endpoint_stores_clean_renditions_and_answers_markdown(
    guest_client, guest, settings
):
    response = guest_client.post(reverse("desk:upload-image"),
                                 {"image": gps_jpeg(), "alt": "Een [wijk]feest"})
    assert response.status_code == 201
    image = Image.objects.get()
    assert image.uploaded_by == guest
    assert response.json()["markdown"] == f"![Een wijkfeest]({image.url_for(800)})"
    for path in stored_files(settings):
        assert_clean_jpeg(path)


@pytest.mark.django_db
def test_body_image_without_javascript_is_appended_to_the_text(guest_client, guest, settings):
    post = PostFactory(author=guest, body_markdown="Eerste alinea.")
    response = edit(guest_client, post, body_image=gps_jpeg(), body_image_alt="Het buurthuis",
                    insert_image="1")
    assert response.status_code == 302
    post.refresh_from_db()
    image = Image.objects.get()
    assert post.body_markdown == f"Eerste alinea.\n\n![Het buurthuis]({image.url_for(800)})\n"
    assert f'<img alt="Het buurthuis" src="{image.url_for(800)}"' in post.body_html


@pytest.mark.django_db
def test_an_image_row_that_cannot_be_written_leaves_no_files(guest_client, settings,
                                                              monkeypatch):
    def full(**kwargs):
        raise DatabaseError("schijf vol")

    monkeypatch.setattr(Image.objects, "create", full)
    with pytest.raises(DatabaseError):
        guest_client.post(reverse("desk:upload-image"), {"image": gps_jpeg(), "alt": "Iets"})
    assert stored_files(settings) == []


# --- the profile photo -------------------------------------------------------------------


def profile_data(**changes):
    data = {"display_name": "Greet de Gast", "bio": "", "organisation": "", "role": "",
            "website": "", "linkedin": "", "twitter": ""}
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_profile_photo_bad_files_are_refused(guest_client, guest, settings,
                                             bomb_reaches_pillow, kind):
    make, message = BAD_FILES[kind]
    response = guest_client.post(reverse("accounts:profile"),
                                 profile_data(photo_upload=make(), bio="Mijn bio."))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Mijn bio." in html
    guest.profile.refresh_from_db()
    assert not guest.profile.photo and guest.profile.bio != "Mijn bio."
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_profile_photo_oversized_is_refused(guest_client, settings):
    settings.UPLOAD_MAX_BYTES = 20_000
    big = SimpleUploadedFile("ik.jpg", image_bytes() + b"\0" * 30_000)
    html = guest_client.post(reverse("accounts:profile"),
                             profile_data(photo_upload=big)).content.decode()
    assert "Dit bestand is te groot" in html


@pytest.mark.django_db
def test_profile_photo_with_gps_is_cleaned_and_replacing_it_deletes_the_old_files(
    guest_client, guest, settings, django_capture_on_commit_callbacks
):
    response = guest_client.post(reverse("accounts:profile"),
                                 profile_data(photo_upload=gps_jpeg("ik-thuis.jpg")))
    assert response.status_code == 302
    profile = AuthorProfile.objects.get(user=guest)
    first = set(stored_files(settings))
    assert profile.photo and len(first) == 3
    assert set(profile.photo_renditions) == {"400", "800", "1600"}
    for path in first:
        assert "thuis" not in path.name
        assert_clean_jpeg(path)

    replacement = SimpleUploadedFile("nieuw.png", image_bytes("PNG", size=(500, 500)))
    with django_capture_on_commit_callbacks(execute=True):  # old files go after the commit
        guest_client.post(reverse("accounts:profile"), profile_data(photo_upload=replacement))
    after = set(stored_files(settings))
    profile.refresh_from_db()
    assert after.isdisjoint(first)
    assert {p.name for p in after} == {Path(n).name for n in profile.photo_renditions.values()}


@pytest.mark.django_db
def test_the_admins_profile_photo_goes_through_the_pipeline_too(guest, settings):
    from accounts.admin import AuthorProfileAdminForm

    profile = guest.profile
    data = {"display_name": profile.display_name, "slug": profile.slug, "bio": "",
            "organisation": "", "role": "", "website": "", "linkedin": "", "twitter": ""}
    form = AuthorProfileAdminForm(data, {"photo_upload": fake_jpeg()}, instance=profile)
    assert not form.is_valid() and "geen geldige afbeelding" in str(form.errors)
    form = AuthorProfileAdminForm(data, {"photo_upload": gps_jpeg()}, instance=profile)
    assert form.is_valid(), form.errors
    form.save()
    profile.refresh_from_db()
    assert set(profile.photo_renditions) == {"400", "800", "1600"}
    for path in stored_files(settings):
        assert_clean_jpeg(path)


# --- one way in for post images ----------------------------------------------------------


@pytest.mark.django_db
def test_desk_admin_and_importer_store_post_images_in_one_folder_through_one_factory(
    make_client, guest, editor, settings, monkeypatch, tmp_path, make_image
):
    """Wherever a post image comes from, blog.images.save_image makes its row and its files
    sit in blog.images.FOLDER: one place to serve, back up and clean up post images."""
    made: dict[str, list[Image]] = {}
    save_image = images.save_image

    def recording(source):
        def save(stored, **kwargs):
            image = save_image(stored, **kwargs)
            made.setdefault(source, []).append(image)
            return image
        monkeypatch.setattr(images, "save_image", save)

    recording("desk")
    desk = make_client(guest)
    post = PostFactory(author=guest)
    assert edit(desk, post, featured_upload=gps_jpeg(), featured_image_alt="Het buurthuis",
                body_image=gps_jpeg("binnen.jpg"), body_image_alt="De zaal").status_code == 302
    assert desk.post(reverse("desk:upload-image"),
                     {"image": gps_jpeg("tuin.jpg"), "alt": "De tuin"}).status_code == 201

    recording("admin")
    reviewed = PostFactory(author=guest)
    upload = SimpleUploadedFile("voorkant.jpg", make_image("JPEG", (1600, 900)), "image/jpeg")
    response = make_client(editor).post(change_url(reviewed), form_data(
        reviewed, image_upload=upload, featured_image_alt="Vrijwilligers in de buurttuin"))
    assert response.status_code == 302

    recording("importer")
    WxrImporter(FIXTURES / "media.wxr", media_dir=media_dir(tmp_path, make_image)).run()

    assert {source: len(rows) for source, rows in made.items()} == {
        "desk": 3, "admin": 1, "importer": 2}
    assert Image.objects.count() == 6  # no row made any other way
    post.refresh_from_db()
    reviewed.refresh_from_db()
    assert post.featured_image in made["desk"] and reviewed.featured_image in made["admin"]
    assert {i.original_name for i in made["importer"]} == {"foto.jpg", "plaatje.png"}

    root = Path(settings.MEDIA_ROOT)
    files = {str(path.relative_to(root)) for path in stored_files(settings)}
    renditions = {name for rows in made.values() for i in rows for name in i.renditions.values()}
    assert files == renditions  # every file belongs to a row, nothing else was stored
    assert {name.split("/")[0] for name in files} == {images.FOLDER}

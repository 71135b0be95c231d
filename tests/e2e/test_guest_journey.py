"""The whole path of a guest author, in a real browser: from the invitation mail to a post
scheduled for tomorrow that is not on the home page yet.

The editor's side is done through blog.workflow (their admin is another module's); the
guest does everything through the pages.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import include, path, re_path
from django.utils import timezone
from django.views.static import serve

from blog import workflow
from blog.models import Post, Status
from blog.scheduling import local_slot
from guests import invitations
from tests.conftest import image_bytes
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import login
from tests.factories import EditorFactory, SeriesFactory, TrendFactory, TrendListFactory

PASSWORD = "Terugblik-op-2010!"

# This module doubles as the URL configuration for its test: the site plus /media/, so the
# browser can load the uploaded renditions (outside DEBUG Django does not serve them).
urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", lambda request, path: serve(
        request, path, document_root=settings.MEDIA_ROOT)),
    path("", include("welzijn.urls")),
]


@pytest.fixture
def served_media(settings):
    settings.ROOT_URLCONF = __name__


def image_file(tmp_path, name, size):
    target = tmp_path / name
    target.write_bytes(image_bytes(size=size))
    return str(target)


def accept_link(mail) -> str:
    return re.search(r"https://welzijn\.test(/uitnodiging/\S+/)", mail.body).group(1)


def wait_for_preview(page, fragment: str):
    page.wait_for_function(
        "f => document.getElementById('id_body_markdown_preview').innerHTML.includes(f)", arg=fragment
    )


@pytest.mark.django_db(transaction=True)
def test_from_invitation_to_a_scheduled_post(page, live_server, served_media, tmp_path,
                                             mailoutbox, screenshot):
    editor = EditorFactory(email="anneke@example.org")
    trend = TrendFactory(trend_list=TrendListFactory(year=2010), number=8,
                         title="Social media is booming")
    series = SeriesFactory(title="11 gastbloggers blikken terug op 2010")

    # The editor invites; the mail holds the one-time link.
    invitations.create_invitation(email="hans@example.org", name="Hans", invited_by=editor,
                                  trend=trend, series=series,
                                  message="Jij kent deze trend als geen ander.")
    (mail,) = mailoutbox
    assert "Social media is booming" in mail.body

    # Accept: password, profile with a photo, then the desk.
    page.goto(accept_link(mail))
    assert "Social media is booming" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_label("Naam zoals lezers hem zien").fill("Hans Versteegh")
    page.get_by_label("Foto", exact=True).set_input_files(image_file(tmp_path, "hans.jpg",
                                                                      (900, 900)))
    page.get_by_label("Over jezelf").fill("Adviseur sociale media in het welzijnswerk.")
    page.get_by_label("Organisatie").fill("Versteegh Advies")
    screenshot(page, "01-uitnodiging")
    page.get_by_role("button", name="Accepteren en naar mijn schrijftafel").click()
    page.wait_for_url("**/schrijven/")
    assert "Welkom bij" in page.inner_text("main")
    assert "trend 8 van 2010" in page.inner_text("main")
    assert_accessible(page)

    # Write, with the toolbar and the live preview.
    page.get_by_role("link", name="Nieuw bericht schrijven").click()
    page.wait_for_url("**/schrijven/nieuw/")
    assert page.get_by_label("Over welke trend gaat je bericht?").input_value() == str(trend.pk)
    page.get_by_label("Titel").fill("Social media is booming: een terugblik")
    body = page.get_by_label("Tekst", exact=True)
    body.fill("In 2010 voorspelden we dat social media zouden groeien.\n")
    body.press("Control+End")
    page.get_by_role("button", name="Tussenkop").click()
    page.keyboard.type("Wat er gebeurde")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Organisaties kregen ")
    page.get_by_role("button", name="Vet").click()
    page.keyboard.type("veel meer bereik")
    page.keyboard.press("End")
    page.keyboard.type(" dan verwacht. ")
    page.get_by_role("button", name="Link").click()
    page.keyboard.type("https://example.org/onderzoek")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Citaat").click()
    page.keyboard.type("Wie niet online is, bestaat niet.")
    # Wait for the last words typed: the preview lags the typing, and an earlier fragment
    # can already be there while the quote is still on its way.
    wait_for_preview(page, "bestaat niet.")
    preview_html = page.inner_html("#id_body_markdown_preview")
    assert "<h2>Wat er gebeurde</h2>" in preview_html
    assert '<a href="https://example.org/onderzoek">' in preview_html
    assert "<blockquote>" in preview_html

    # An image into the body: upload, then the Markdown lands at the cursor.
    page.get_by_label("Wat staat er op die afbeelding?").fill("Deelnemers van de workshop")
    page.get_by_label("Bestand voor in de tekst").set_input_files(
        image_file(tmp_path, "workshop.jpg", (1200, 800)))
    page.get_by_role("button", name="Afbeelding invoegen").click()
    page.get_by_text("De afbeelding staat in je tekst.").wait_for()
    assert re.search(r"!\[Deelnemers van de workshop\]\(/media/afbeeldingen/\S+-800\.jpg\)",
                     body.input_value())
    wait_for_preview(page, 'alt="Deelnemers van de workshop"')

    page.get_by_label("Uitgelichte afbeelding", exact=True).set_input_files(
        image_file(tmp_path, "uitgelicht.jpg", (1600, 900)))
    page.get_by_label("Alternatieve tekst bij de uitgelichte afbeelding").fill(
        "Een laptop met een volle tijdlijn")
    page.get_by_label("Tags").fill("sociale media, terugblik")
    assert_accessible(page)
    screenshot(page, "02-schrijven")
    page.get_by_role("button", name="Opslaan als concept").click()
    page.get_by_text("Opgeslagen.").wait_for()
    # The featured image is a thumbnail on the desk, not as wide as the column.
    thumb = page.locator("img.featured-thumb").bounding_box()
    assert thumb["width"] <= 321
    post = Post.objects.get(title="Social media is booming: een terugblik")
    assert (post.status, post.trend, post.series) == (Status.DRAFT, trend, series)
    assert post.featured_image is not None and sorted(post.tags.names()) == [
        "sociale media", "terugblik"]

    # Preview, exactly as readers will see it.
    page.get_by_role("link", name="Voorbeeld zoals lezers het zien").click()
    page.wait_for_url(f"**/schrijven/{post.pk}/voorbeeld/")
    assert "Voorbeeld" in page.inner_text(".preview-banner")
    assert page.inner_text("h1") == "Social media is booming: een terugblik"
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    for img in page.locator("article img").all():
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("src")
    assert page.locator("article img").count() == 3  # featured, in the body, author photo
    assert "Over Hans Versteegh" in page.inner_text("article")
    screenshot(page, "03-voorbeeld")
    page.get_by_role("link", name="Terug naar je schrijftafel").click()

    # Submit.
    page.get_by_role("button", name="Opslaan en indienen").click()
    page.get_by_text("Je bericht is ingediend.").wait_for()
    assert "ligt bij de redactie" in page.inner_text("main")
    assert page.get_by_label("Tekst", exact=True).is_disabled()
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED

    # The editor asks for changes.
    note = "Mooi stuk! Kun je afsluiten met een vooruitblik op 2011?"
    workflow.request_changes(post=post, actor=editor, note=note)
    assert note in mailoutbox[-1].body

    # The guest signs in again (by e-mail), reads the note, revises and resubmits.
    page.get_by_role("button", name="Uitloggen").click()
    login(page, "hans@example.org", PASSWORD)
    page.wait_for_url("**/schrijven/")
    assert note in page.inner_text("main") and "Aanpassingen gevraagd" in page.inner_text("main")
    page.get_by_role("link", name=re.compile(r"^Bewerken\W+Social media is booming")).click()
    assert note in page.inner_text(".editor-note")
    body = page.get_by_label("Tekst", exact=True)
    body.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("In 2011 gaat het om gesprekken, niet om zenden.")
    wait_for_preview(page, "niet om zenden")
    screenshot(page, "04-aanpassen")
    page.get_by_role("button", name="Opslaan en opnieuw indienen").click()
    page.get_by_text("Je bericht is ingediend.").wait_for()
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED

    # What changed since the review, readable for both sides.
    page.get_by_role("link", name="Wijzigingen en geschiedenis").click()
    since_review = page.locator("section", has=page.get_by_role(
        "heading", name="Sinds de laatste beoordeling door de redactie"))
    assert "In 2011 gaat het om gesprekken" in since_review.locator("ins").all_inner_texts()[-1]
    assert_accessible(page)
    screenshot(page, "05-wijzigingen")

    # The editor approves for tomorrow morning.
    tomorrow = local_slot(timezone.localtime().date() + timedelta(days=1))
    workflow.approve(post=post, actor=editor, publish_at=tomorrow)
    page.goto("/schrijven/")
    label = post.__class__.objects.get(pk=post.pk).status_label()
    assert label.startswith("Ingepland voor") and label.endswith("07:00")
    assert label in page.inner_text("main")
    screenshot(page, "06-ingepland")

    # Not on the home page, not at its address, until publish_at has passed.
    page.goto("/")
    assert "Social media is booming: een terugblik" not in page.content()
    post.refresh_from_db()
    assert page.request.get(post.get_absolute_url()).status == 404
    assert not Post.objects.live().filter(pk=post.pk).exists()
    assert Post.objects.live(now=tomorrow + timedelta(minutes=1)).filter(pk=post.pk).exists()
    assert not Post.objects.live(now=tomorrow - timedelta(minutes=1)).filter(pk=post.pk).exists()

    page.problems.assert_clean()

"""Autosave at the writing desk, in a real browser: nothing a guest types is lost.

Typed text reaches the server on its own ("Opgeslagen om 14:32") as one revision per session;
text typed after the session expired waits in the browser and is offered back after logging
in; leaving with unsaved changes asks first; an image goes after the paragraph, never inside
a selection.
"""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from blog.models import Post
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import login
from tests.factories import PASSWORD, GuestFactory, PostFactory


def saved_status(page):
    status = page.locator("#autosave-status")
    page.wait_for_function(
        "() => /^Opgeslagen om \\d\\d:\\d\\d$/.test("
        "document.getElementById('autosave-status').textContent)", timeout=15000)
    return status.inner_text()


def wait_until(page, condition, seconds=15):
    """Poll the database while the page runs (its autosave is on a timer)."""
    for _ in range(int(seconds * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the page did not get there in time")


@pytest.fixture
def guest(db):
    return GuestFactory(username="hans", email="hans@example.org")


@pytest.mark.django_db(transaction=True)
def test_typing_is_saved_to_the_server_as_one_revision(page, guest):
    post = PostFactory(author=guest, title="Social media", body_markdown="Eerste alinea.")
    revisions_before = post.history.count()
    login(page, "hans@example.org", PASSWORD)
    page.goto(f"/schrijven/{post.pk}/")
    body = page.get_by_label("Tekst", exact=True)
    body.press("Control+End")
    page.keyboard.type("\n\nTweede alinea, automatisch bewaard.")
    text = saved_status(page)
    post.refresh_from_db()
    assert text == f"Opgeslagen om {timezone.localtime(post.updated_at):%H:%M}"  # Amsterdam
    assert post.body_markdown == "Eerste alinea.\n\nTweede alinea, automatisch bewaard."
    # More typing in the same session: saved again, still one new revision.
    page.keyboard.type(" En nog een zin.")
    wait_until(page, lambda: Post.objects.get(pk=post.pk).body_markdown.endswith("een zin."))
    saved_status(page)
    post.refresh_from_db()
    assert post.history.count() == revisions_before + 1
    assert post.history.first().body_markdown == post.body_markdown

    # Reload: the text is there, from the server; nothing is offered back.
    page.reload()
    assert page.get_by_label("Tekst", exact=True).input_value() == post.body_markdown
    assert page.locator("#recovered").is_hidden()
    # Saving by hand afterwards is no conflict with the page's own autosaves.
    page.get_by_label("Titel").fill("Social media, herzien")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.get_by_text("Opgeslagen.").wait_for()
    post.refresh_from_db()
    assert post.title == "Social media, herzien"
    assert_accessible(page)
    page.problems.assert_clean()


@pytest.mark.django_db(transaction=True)
def test_text_typed_after_the_session_expired_is_offered_back_after_logging_in(page, guest):
    post = PostFactory(author=guest, title="Menselijke maat", body_markdown="Begin.")
    login(page, "hans@example.org", PASSWORD)
    page.goto(f"/schrijven/{post.pk}/")
    Session.objects.all().delete()  # the session expires while the guest writes

    body = page.get_by_label("Tekst", exact=True)
    body.press("Control+End")
    page.keyboard.type("\n\nDit typte ik terwijl ik niet meer ingelogd was.")
    status = page.locator("#autosave-status")
    status.get_by_text("niet meer ingelogd").wait_for(timeout=15000)
    post.refresh_from_db()
    assert post.body_markdown == "Begin."  # nothing reached the server

    # Log in again through the link in the message: back on the same post, text offered.
    status.get_by_role("link", name="Opnieuw inloggen").click()
    page.get_by_label("Gebruikersnaam").fill("hans@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"**/schrijven/{post.pk}/")
    recovered = page.locator("#recovered")
    recovered.wait_for()
    assert "Dit typte ik terwijl ik niet meer ingelogd was." in recovered.inner_text()
    assert page.get_by_label("Tekst", exact=True).input_value() == "Begin."
    assert_accessible(page)
    recovered.get_by_role("button", name="Terugzetten in het formulier").click()
    assert page.get_by_label("Tekst", exact=True).input_value() == \
        "Begin.\n\nDit typte ik terwijl ik niet meer ingelogd was."
    saved_status(page)
    post.refresh_from_db()
    assert post.body_markdown == "Begin.\n\nDit typte ik terwijl ik niet meer ingelogd was."
    # Once the server has it, the browser's copy is gone: a reload offers nothing.
    page.reload()
    assert page.locator("#recovered").is_hidden()
    # The refused autosave and live preview while logged out were the point of this test.
    page.problems.console_errors = [e for e in page.problems.console_errors if "403" not in e]
    page.problems.assert_clean()


@pytest.mark.django_db(transaction=True)
def test_a_new_post_is_created_by_autosave_and_leaving_early_asks_first(page, guest):
    login(page, "hans@example.org", PASSWORD)
    page.goto("/schrijven/nieuw/")
    page.get_by_label("Tekst", exact=True).fill("Nog zonder titel.")
    page.locator("#autosave-status").get_by_text("Geef je bericht een titel").wait_for(
        timeout=15000)
    assert not Post.objects.exists()
    page.get_by_label("Titel").fill("Vrijwilligers zijn goud")
    saved_status(page)
    post = Post.objects.get()
    assert (post.title, post.body_markdown, post.author) == (
        "Vrijwilligers zijn goud", "Nog zonder titel.", guest)
    page.wait_for_url(f"**/schrijven/{post.pk}/")  # the address follows the new draft

    # Typing and leaving at once: the browser asks before the unsaved text is lost.
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.type))
    page.get_by_label("Tekst", exact=True).press("Control+End")
    page.keyboard.type(" Meer tekst.")
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert "beforeunload" in dialogs
    page.problems.dialogs.clear()
    page.problems.assert_clean()


@pytest.mark.django_db(transaction=True)
def test_an_image_goes_after_the_paragraph_not_into_the_selection(page, guest, tmp_path,
                                                                     settings):
    from tests.conftest import image_bytes

    post = PostFactory(author=guest, title="Met beeld",
                       body_markdown="Eerste alinea met een zin.\n\nTweede alinea.")
    login(page, "hans@example.org", PASSWORD)
    page.goto(f"/schrijven/{post.pk}/")
    body = page.get_by_label("Tekst", exact=True)
    # Select "een zin" in the first paragraph.
    body.evaluate("t => { const i = t.value.indexOf('een zin'); t.focus(); "
                  "t.setSelectionRange(i, i + 'een zin'.length); }")
    image = tmp_path / "beeld.jpg"
    image.write_bytes(image_bytes(size=(800, 600)))
    page.get_by_label("Wat staat er op die afbeelding?").fill("Een groep vrijwilligers")
    page.get_by_label("Bestand voor in de tekst").set_input_files(str(image))
    page.get_by_role("button", name="Afbeelding invoegen").click()
    page.get_by_text("De afbeelding staat in je tekst.").wait_for()
    value = body.input_value()
    assert value.startswith("Eerste alinea met een zin.\n\n![Een groep vrijwilligers](")
    assert value.endswith(")\n\nTweede alinea.")
    page.problems.assert_clean()


@pytest.mark.django_db(transaction=True)
def test_saving_by_hand_waits_for_an_autosave_on_its_way(page, guest):
    """No second draft and no conflict with itself when "Opslaan" crosses an autosave."""
    held = []
    page.route("**/automatisch/", lambda route: held.append(route))
    login(page, "hans@example.org", PASSWORD)
    page.goto("/schrijven/nieuw/")
    page.get_by_label("Titel").fill("Kruisende opslag")
    page.get_by_label("Tekst", exact=True).fill("Tekst die onderweg is.")
    page.wait_for_function("() => document.getElementById('autosave-status').textContent"
                           ".startsWith('Bezig')", timeout=15000)
    wait_until(page, lambda: held)  # the route reaches this test's side a moment later
    assert len(held) == 1  # the autosave that creates the draft is on its way
    page.get_by_role("button", name="Opslaan als concept").click()
    page.wait_for_timeout(300)
    assert Post.objects.count() == 0  # the form waits for the autosave
    held[0].continue_()
    page.unroute("**/automatisch/")
    page.get_by_text("Opgeslagen.").wait_for()
    post = Post.objects.get()
    assert (post.title, post.body_markdown, post.version) == (
        "Kruisende opslag", "Tekst die onderweg is.", 2)
    assert page.url.endswith(f"/schrijven/{post.pk}/")
    page.problems.assert_clean()

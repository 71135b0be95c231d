"""The editor in the admin, in a real browser: the Markdown editor's toolbar and live preview
in the post form, "Weergeven op website" for a post that is not live, and one-click comment
moderation in the admin and on the post page."""

import pytest

from blog.models import Post
from comments.models import Comment
from tests.e2e.a11y import assert_axe_clean
from tests.factories import (
    PASSWORD,
    CommentFactory,
    EditorFactory,
    GuestFactory,
    LivePostFactory,
    SeriesFactory,
    SubmittedPostFactory,
)


def admin_login(page, username):
    page.goto("/beheer/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/beheer/")


@pytest.fixture
def editor(db):
    return EditorFactory(username="anneke", first_name="Anneke", last_name="Krakers")


@pytest.mark.django_db(transaction=True)
def test_the_admin_post_form_has_the_desks_toolbar_and_live_preview(page, editor):
    post = SubmittedPostFactory(title="Menselijke maat", author=GuestFactory(),
                                body_markdown="Eerste alinea.")
    admin_login(page, "anneke")
    page.goto(f"/beheer/blog/post/{post.pk}/change/")
    preview = page.locator("#id_body_markdown_preview")
    assert "Eerste alinea." in preview.inner_text()  # the stored text, before any typing
    body = page.locator("#id_body_markdown")
    body.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    toolbar = page.get_by_role("toolbar", name="Opmaak")
    toolbar.get_by_role("button", name="Tussenkop").click()
    page.keyboard.type("Van de redactie")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Vet").click()
    page.keyboard.type("belangrijk")
    page.wait_for_function(
        "() => document.getElementById('id_body_markdown_preview').innerHTML"
        ".includes('<strong>belangrijk</strong>')")
    assert "<h2>Van de redactie</h2>" in preview.inner_html()
    assert_axe_clean(page, "post form with the editor")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.locator(".messagelist").wait_for()
    post.refresh_from_db()
    assert post.body_markdown == "Eerste alinea.\n\n## Van de redactie\n\n**belangrijk**"
    assert post.version == 2
    page.problems.assert_clean()


@pytest.mark.django_db(transaction=True)
def test_view_on_site_opens_the_preview_for_a_post_that_is_not_live(page, editor):
    series = SeriesFactory(title="Gastbloggers blikken terug")
    submitted = SubmittedPostFactory(title="Vrijwilligers zijn goud", series=series,
                                     series_position=1)
    live = LivePostFactory(title="Al online", series=series, series_position=2)
    admin_login(page, "anneke")
    page.goto(f"/beheer/blog/post/{submitted.pk}/change/")
    page.get_by_role("link", name="Weergeven op website").click()
    page.wait_for_url("**/voorbeeld/**")
    assert page.inner_text("h1") == "Vrijwilligers zijn goud"
    assert "Voorbeeld" in page.inner_text(".preview-banner")

    page.goto(f"/beheer/blog/series/{series.pk}/change/")
    rows = page.locator("table tbody tr.has_original")
    row = rows.filter(has_text="Vrijwilligers zijn goud")
    row.get_by_role("link", name="Weergeven op website").click()
    page.wait_for_url("**/voorbeeld/**")
    assert page.inner_text("h1") == "Vrijwilligers zijn goud"
    page.go_back()
    rows.filter(has_text="Al online").get_by_role("link", name="Weergeven op website").click()
    page.wait_for_url(f"**{live.get_absolute_url()}")
    assert page.inner_text("h1") == "Al online"
    page.problems.assert_clean()


@pytest.mark.django_db(transaction=True)
def test_one_click_moderation_in_the_admin_and_on_the_post_page(page, editor, settings):
    settings.COMMENT_MIN_SECONDS = 0
    post = LivePostFactory(title="Social media is booming")
    held = CommentFactory(post=post, name="Wachtende Lezer", body="Mag dit erbij?",
                          status=Comment.Status.PENDING)
    spam = CommentFactory(post=post, name="Spammer", body="Koop nu!",
                          status=Comment.Status.PENDING)
    shown = CommentFactory(post=post, name="Vaste Lezer", body="Goed stuk.")
    admin_login(page, "anneke")

    page.goto("/beheer/comments/comment/?status__exact=pending")
    row = page.locator("#result_list tbody tr", has_text="Mag dit erbij?")
    row.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("De reactie van Wachtende Lezer is goedgekeurd.").wait_for()
    assert page.url.endswith("?status__exact=pending")  # back on the same list
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED
    assert_axe_clean(page, "comment list with one-click buttons")

    # On the post page an editor marks spam and answers in one click each.
    page.goto(post.get_absolute_url())
    comment = page.locator(f"#reactie-{spam.pk}")
    comment.get_by_role("button", name="Spam").click()
    page.wait_for_url(f"**{post.get_absolute_url()}#reacties")
    spam.refresh_from_db()
    assert spam.status == Comment.Status.SPAM
    assert page.locator(f"#reactie-{spam.pk}").count() == 0
    page.locator(f"#reactie-{shown.pk}").get_by_role("link", name="Reageer").click()
    page.locator("#reactieformulier textarea[name=body]").fill("Dank je wel!")
    page.get_by_role("button", name="Plaats reactie").click()
    page.get_by_text("Dank je wel!").wait_for()
    reply = Comment.objects.get(parent=shown)
    assert reply.status == Comment.Status.APPROVED and reply.user == editor
    assert_axe_clean(page, "post page for an editor")
    page.problems.assert_clean()
    assert Post.objects.count() == 1


OVERLAPS = """
() => {
  const boxes = [...document.querySelectorAll('#header a, #header button')]
    .filter(el => el.offsetParent !== null)
    .map(el => ({name: el.textContent.trim() || el.getAttribute('aria-label') || el.title,
                 r: el.getBoundingClientRect()}));
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      hits.push(`${boxes[i].name} / ${boxes[j].name}`);
  }
  return {count: boxes.length, hits};
}
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 1024, 390])
def test_header_links_do_not_collide(page, editor, settings, width):
    settings.DEBUG = True  # the longest menu: with "Mails (ontwikkeling)"
    page.set_viewport_size({"width": width, "height": 900})
    admin_login(page, "anneke")
    result = page.evaluate(OVERLAPS)
    assert result["count"] >= 9  # site name, account links, theme toggle, the menu
    assert not result["hits"], f"overlapping at {width}px: {result['hits']}"
    menu = page.get_by_role("navigation", name="Redactiemenu").bounding_box()
    tools = page.locator("#user-tools").bounding_box()
    assert menu["y"] >= tools["y"] + tools["height"] - 1  # the menu has a row of its own

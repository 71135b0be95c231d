"""In a real browser: a reader comments, the editor approves, another reader replies, and
the first reader (subscribed and confirmed) gets the reply by e-mail. Hostile input stays text."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.a11y import assert_accessible
from tests.factories import PASSWORD, CommentFactory, EditorFactory, LivePostFactory

pytestmark = pytest.mark.django_db(transaction=True)


def link_from(message, path: str) -> str:
    found = re.search(rf"https://welzijn\.test(/{path}[^\s]*)", message.body)
    assert found, message.body
    return found.group(1)


def fill_comment(page_or_form, *, name, email, body, notify=False):
    page_or_form.get_by_label("Naam").fill(name)
    page_or_form.get_by_label("E-mailadres").fill(email)
    page_or_form.get_by_label("Reactie", exact=False).first.fill(body)
    if notify:
        page_or_form.get_by_label("Mail mij als iemand op mijn reactie reageert").check()


@pytest.fixture
def other_page(browser, live_server):
    """Another person's browser (its own cookies), closed with the test."""
    contexts = []

    def make():
        contexts.append(browser.new_context(base_url=live_server.url, locale="nl-NL"))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def test_comment_moderate_reply_and_reply_mail(page, other_page, settings, mailoutbox,
                                               screenshot):
    settings.COMMENT_MIN_SECONDS = 0
    EditorFactory(username="anneke", email="anneke@example.org")
    post = LivePostFactory(title="Sociaal werk en de wijk")
    # The second reader commented before (on another post), so their reply is approved.
    CommentFactory(name="Bram", email="bram@example.org")

    # 1. A reader comments, asks for reply mails, and sees the comment pending.
    page.goto(post.get_absolute_url())
    assert_accessible(page)
    form = page.locator("#reactieformulier")
    fill_comment(form, name="Fatima", email="fatima@example.org",
                 body="Herkenbaar! Bij ons in de wijk gaat het net zo.", notify=True)
    form.get_by_role("button", name="Plaats reactie").click()
    page.wait_for_load_state()
    assert "wacht op goedkeuring" in page.locator(".messages").inner_text()
    pending = page.locator(".comment-pending")
    assert "Herkenbaar!" in pending.inner_text()
    assert "Alleen jij ziet haar nu" in pending.inner_text()
    screenshot(page, "eigen-reactie-wacht")
    comment = Comment.objects.get(email="fatima@example.org")
    assert comment.status == Comment.Status.PENDING

    # … and confirms the address from the mail.
    confirm, = [m for m in mailoutbox if m.to == ["fatima@example.org"]]
    page.goto(link_from(confirm, "reacties/bevestigen/"))
    page.get_by_role("button", name="Ja, mail mij bij reacties").click()
    assert "Bevestigd" in page.locator("main").inner_text()
    page.problems.assert_clean()

    # 2. The editor approves it in the admin, with the changelist's bulk action.
    editor_page = other_page()
    editor_page.goto("/beheer/comments/comment/")
    editor_page.get_by_label("Gebruikersnaam").fill("anneke")
    editor_page.get_by_label("Wachtwoord").fill(PASSWORD)
    editor_page.locator("#login-form [type=submit]").click()
    row = editor_page.locator("#result_list tbody tr", has_text="Herkenbaar!")
    assert "Wacht op goedkeuring" in row.inner_text()
    assert "0 goedgekeurd, 0 spam" in row.inner_text()
    row.locator("input[name='_selected_action']").check()
    editor_page.locator("select[name='action']").select_option("approve_selected")
    editor_page.get_by_role("button", name="Uitvoeren").click()
    assert "1 reactie goedgekeurd." in editor_page.locator(".messagelist").inner_text()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED

    # 3. Another reader replies; with JavaScript the form moves under the comment.
    reader = other_page()
    reader.goto(post.get_absolute_url())
    item = reader.locator(f"#reactie-{comment.pk}")
    item.get_by_role("link", name="Reageer").click()
    moved = reader.locator(f"#reactie-{comment.pk} + form#reactieformulier")
    assert moved.count() == 1
    assert "Je reageert op Fatima" in moved.locator(".replying-to").inner_text()
    fill_comment(moved, name="Bram", email="bram@example.org",
                 body="Dank voor het delen, Fatima. Hoe pakken jullie dat aan?")
    moved.get_by_role("button", name="Plaats reactie").click()
    reader.wait_for_load_state()
    assert "Je reactie is geplaatst." in reader.locator(".messages").inner_text()
    reply = Comment.objects.get(parent=comment)
    assert reply.status == Comment.Status.APPROVED
    nested = reader.locator(f"#reactie-{comment.pk} ~ ol #reactie-{reply.pk}")
    assert "Hoe pakken jullie dat aan?" in nested.inner_text()

    # 4. The first reader gets the reply by e-mail, with a one-click unsubscribe link.
    reply_mail, = [m for m in mailoutbox if "reageerde op je reactie" in m.subject]
    assert reply_mail.to == ["fatima@example.org"]
    assert "Hoe pakken jullie dat aan?" in reply_mail.body
    page.goto(link_from(reply_mail, "reacties/afmelden/"))
    assert "Je bent afgemeld" in page.locator("main").inner_text()
    page.problems.assert_clean()


HOSTILE_NAMES = [
    "<img src=x onerror=alert('naam')>",
    "\u202eTRATS\u202c Kees",
    "\"><script>alert('naam2')</script>",
]
HOSTILE_BODIES = [
    "<script>alert('body')</script>",
    "<img src=https://evil.example/pixel.png onerror=alert(1)>",
    "<a href=\"javascript:alert('link')\">klik mij</a> en javascript:alert(2)",
    "<svg/onload=alert('svg')> <iframe src=https://evil.example></iframe>",
    "<b><i>half af <p onmouseover=alert('hover')>zweef hier",
    "onzichtbaar\u200b\u200dteken en https://example.org/\"onmouseover=\"alert(3)",
]


def test_hostile_comments_stay_text_in_the_browser(page, settings):
    settings.COMMENT_MIN_SECONDS = 0
    post = LivePostFactory()
    for n, body in enumerate(HOSTILE_BODIES):
        CommentFactory(post=post, name=HOSTILE_NAMES[n % len(HOSTILE_NAMES)], body=body,
                       url="javascript:alert('url')" if n % 2 else "https://evil.example/\"x")
    page.goto(post.get_absolute_url())
    comments = page.locator("#reactielijst article")
    assert comments.count() == len(HOSTILE_BODIES)
    for index in range(comments.count()):  # an injected onmouseover would fire now
        comments.nth(index).locator(".comment-body").hover()
        comments.nth(index).locator(".comment-name").hover()
    assert "<script>alert('body')</script>" in page.locator("#reactielijst").inner_text()
    assert page.locator("#reactielijst script, #reactielijst img, #reactielijst iframe, "
                        "#reactielijst svg, #reactielijst [onmouseover]").count() == 0
    # And typed into the form: refused (a javascript: website), shown back as text.
    form = page.locator("#reactieformulier")
    fill_comment(form, name=HOSTILE_NAMES[0], email="x@example.org", body=HOSTILE_BODIES[1])
    form.get_by_label("Website").fill("javascript:alert('form')")
    form.get_by_role("button", name="Plaats reactie").click()
    # The submit may wait for the form's keys (formkeys.js): wait for the answer itself.
    expect(page.locator("#reactieformulier")).to_contain_text("begint met http:// of https://")
    assert page.locator("#id_body").input_value() == HOSTILE_BODIES[1]
    page.problems.assert_clean()

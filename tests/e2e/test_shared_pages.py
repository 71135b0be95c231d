"""In a real browser: a shared (cached) post page gives the reader no cookie until they use
a form; the form fetches its keys by script, and without JavaScript it still works."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import LivePostFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fill(form, body):
    form.get_by_label("Naam").fill("Fatima")
    form.get_by_label("E-mailadres").fill("fatima@example.org")
    form.get_by_label("Reactie", exact=False).first.fill(body)


def test_no_cookie_until_the_comment_is_sent(page, settings):
    settings.COMMENT_MIN_SECONDS = 0
    # A long text: the forms are below the fold, so they are not yet in view.
    post = LivePostFactory(title="Gedeelde pagina",
                           body_markdown="Een alinea over het welzijnswerk.\n\n" * 60)
    page.goto(post.get_absolute_url())
    page.wait_for_timeout(300)
    assert page.context.cookies() == []  # reading costs the reader nothing
    form = page.locator("#reactieformulier")
    form.get_by_label("Naam").click()  # used: its timestamp is fetched, without a cookie
    expect(form.locator("input[name=form_started]")).not_to_have_value("")
    fill(form, "Via het script verstuurd.")
    assert page.context.cookies() == []
    # Sent: now the CSRF token and its cookie are fetched (the POST passes Django's CSRF
    # check only with both), and the submit goes on.
    form.get_by_role("button", name="Plaats reactie").click()
    page.wait_for_load_state()
    assert "wacht op goedkeuring" in page.locator(".messages").inner_text()
    assert Comment.objects.get().body == "Via het script verstuurd."
    page.problems.assert_clean()


def test_without_javascript_the_form_comes_back_filled_in(browser, live_server, settings):
    settings.COMMENT_MIN_SECONDS = 0
    post = LivePostFactory(title="Gedeelde pagina zonder script")
    context = browser.new_context(base_url=live_server.url, locale="nl-NL",
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(post.get_absolute_url())
        form = page.locator("#reactieformulier")
        fill(form, "Zonder script geschreven.")
        form.get_by_role("button", name="Plaats reactie").click()
        page.wait_for_load_state()
        assert "Je reactie is nog niet geplaatst" in page.locator("#reactieformulier").inner_text()
        assert page.locator("#reactieformulier textarea[name=body]").input_value() == \
            "Zonder script geschreven."
        assert not Comment.objects.exists()
        page.locator("#reactieformulier").get_by_role("button", name="Plaats reactie").click()
        page.wait_for_load_state()
        assert Comment.objects.get().body == "Zonder script geschreven."
    finally:
        context.close()

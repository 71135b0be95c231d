"""Who gets which e-mail about comments; the reply opt-in, unsubscribe and the author link."""

import re

import pytest
from django.core import mail

from comments import moderation as comments
from comments.models import Comment, ReplyAddress
from tests.comment_helpers import comment_url, element_html, human_form
from tests.factories import CommentFactory, EditorFactory, GuestFactory, LivePostFactory

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.fixture
def guest_post(guest, editor):
    """A guest's live post, with one editor on the team."""
    return LivePostFactory(author=guest, title="Wijkteams in 2010")


def place(post, capture, **fields):
    data = {"name": "Lezer", "email": "lezer@example.org", "body": "Mooi geschreven."}
    data.update(fields)
    with capture(execute=True):
        return comments.post_comment(post=post, **data)


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def link_in(message, pattern):
    found = re.search(rf"https://welzijn\.test(/{pattern}[^\s\"<]*)", message.body)
    assert found, f"no /{pattern} link in:\n{message.body}"
    return found.group(1)


# --- a new comment ------------------------------------------------------------------------

def test_a_held_comment_tells_the_guest_author_and_the_editors(
    guest_post, guest, editor, django_capture_on_commit_callbacks
):
    comment = place(guest_post, django_capture_on_commit_callbacks)
    assert comment.status == Status.PENDING
    to_author, = mails_to(guest.email)
    to_editors, = mails_to(editor.email)
    assert to_author is not to_editors
    assert "wacht op goedkeuring" in to_author.subject.lower()
    assert "Mooi geschreven." in to_author.body and "lezer@example.org" not in to_author.body
    assert "/beheer/" not in to_author.body  # a guest cannot moderate
    assert "/beheer/comments/comment/?status__exact=pending" in to_editors.body
    assert "Beoordelen" in to_editors.alternatives[0][0]


def test_an_approved_comment_mails_with_a_link_to_it(
    guest_post, guest, editor, django_capture_on_commit_callbacks
):
    CommentFactory(email="lezer@example.org")
    comment = place(guest_post, django_capture_on_commit_callbacks)
    assert comment.status == Status.APPROVED
    to_author, = mails_to(guest.email)
    assert "Nieuwe reactie" in to_author.subject
    assert f"{guest_post.get_absolute_url()}#reactie-{comment.pk}" in to_author.body
    assert len(mails_to(editor.email)) == 1


def test_spam_mails_nobody(guest_post, settings, django_capture_on_commit_callbacks):
    settings.COMMENT_BLOCKLIST = ["casino"]
    place(guest_post, django_capture_on_commit_callbacks, body="casino casino",
          notify_replies=True)
    assert mail.outbox == []


def test_nobody_is_mailed_about_their_own_comment(
    guest_post, guest, editor, django_capture_on_commit_callbacks
):
    other_editor = EditorFactory(email="tweede@example.org")
    place(guest_post, django_capture_on_commit_callbacks, user=editor, email=editor.email)
    assert mails_to(editor.email) == []
    assert len(mails_to(guest.email)) == 1 and len(mails_to(other_editor.email)) == 1
    mail.outbox.clear()
    place(guest_post, django_capture_on_commit_callbacks, user=guest)  # the author answers
    assert mails_to(guest.email) == []
    assert len(mails_to(editor.email)) == 1


# --- replies: opt-in, confirmation, unsubscribe -------------------------------------------

def test_ticking_reply_mails_sends_a_confirmation_link(
    client, guest_post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(comment_url(guest_post),
                               human_form(email="vraag@example.org", notify_replies="on"),
                               follow=True)
    assert "We hebben je een e-mail gestuurd" in response.content.decode()
    confirm, = mails_to("vraag@example.org")
    assert "Bevestig" in confirm.subject
    path = link_in(confirm, "reacties/bevestigen/")
    # A visit (a mail scanner follows links) confirms nothing; the button does.
    page = client.get(path)
    assert page.status_code == 200 and "Ja, mail mij bij reacties" in page.content.decode()
    assert not ReplyAddress.objects.exists()
    done = client.post(path)
    assert "Bevestigd" in done.content.decode()
    assert ReplyAddress.objects.filter(
        email_hash=Comment.objects.get(email="vraag@example.org").email_hash).exists()


def test_a_forged_confirmation_link_is_refused(client):
    assert client.get("/reacties/bevestigen/nep-token/").status_code == 404
    assert client.post("/reacties/bevestigen/nep-token/").status_code == 404


def test_no_second_confirmation_for_a_confirmed_address(
    guest_post, django_capture_on_commit_callbacks
):
    first = place(guest_post, django_capture_on_commit_callbacks, notify_replies=True)
    comments.confirm_reply_address(first)
    mail.outbox.clear()
    place(guest_post, django_capture_on_commit_callbacks, notify_replies=True, body="Weer.")
    assert mails_to("lezer@example.org") == []


def _subscribed_parent(post, *, confirmed=True, email="ouder@example.org"):
    parent = CommentFactory(post=post, email=email, notify_replies=True)
    if confirmed:
        comments.confirm_reply_address(parent)
    return parent


def test_a_confirmed_subscriber_gets_the_approved_reply(
    guest_post, django_capture_on_commit_callbacks
):
    parent = _subscribed_parent(guest_post)
    CommentFactory(email="beantwoorder@example.org")  # known, so the reply is approved
    reply = place(guest_post, django_capture_on_commit_callbacks, parent_id=parent.pk,
                  name="Beantwoorder", email="beantwoorder@example.org", body="Eens!")
    message, = mails_to("ouder@example.org")
    assert "Beantwoorder reageerde op je reactie" in message.subject
    assert "Eens!" in message.body
    assert f"#reactie-{reply.pk}" in message.body
    unsubscribe = link_in(message, "reacties/afmelden/")
    assert message.extra_headers["List-Unsubscribe"] == f"<https://welzijn.test{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_held_reply_mails_the_subscriber_only_once_approved(
    guest_post, editor, django_capture_on_commit_callbacks
):
    parent = _subscribed_parent(guest_post)
    reply = place(guest_post, django_capture_on_commit_callbacks, parent_id=parent.pk,
                  email="nieuw@example.org")
    assert reply.status == Status.PENDING
    assert mails_to("ouder@example.org") == []
    with django_capture_on_commit_callbacks(execute=True):
        comments.approve(comments=[reply], actor=editor)
    assert len(mails_to("ouder@example.org")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        comments.approve(comments=[reply], actor=editor)  # approving again sends nothing
    assert len(mails_to("ouder@example.org")) == 1


@pytest.mark.parametrize("ticked, confirmed", [(False, True), (True, False), (False, False)])
def test_no_reply_mail_without_both_opt_in_and_confirmation(
    guest_post, ticked, confirmed, django_capture_on_commit_callbacks
):
    parent = CommentFactory(post=guest_post, email="ouder@example.org", notify_replies=ticked)
    if confirmed:
        comments.confirm_reply_address(parent)
        Comment.objects.filter(pk=parent.pk).update(notify_replies=ticked)
    CommentFactory(email="beantwoorder@example.org")
    place(guest_post, django_capture_on_commit_callbacks, parent_id=parent.pk,
          email="beantwoorder@example.org")
    assert mails_to("ouder@example.org") == []


def test_no_reply_mail_for_answering_yourself(guest_post, django_capture_on_commit_callbacks):
    parent = _subscribed_parent(guest_post)
    place(guest_post, django_capture_on_commit_callbacks, parent_id=parent.pk,
          email="Ouder@example.org")
    assert [m for m in mails_to("ouder@example.org") if "reageerde op je reactie" in
            m.subject] == []


def test_one_click_unsubscribe_and_undo(client, guest_post, django_capture_on_commit_callbacks):
    parent = _subscribed_parent(guest_post)
    path = f"/reacties/afmelden/{comments.unsubscribe_token(parent)}/"
    page = client.get(path)
    assert "Je bent afgemeld" in page.content.decode()
    parent.refresh_from_db()
    assert not parent.notify_replies
    CommentFactory(email="beantwoorder@example.org")
    place(guest_post, django_capture_on_commit_callbacks, parent_id=parent.pk,
          email="beantwoorder@example.org")
    assert mails_to("ouder@example.org") == []
    client.post(path, {"opnieuw": "1"})
    parent.refresh_from_db()
    assert parent.notify_replies


def test_mail_clients_unsubscribe_with_one_post(guest_post):
    """RFC 8058: the client POSTs List-Unsubscribe=One-Click, without a CSRF token."""
    from django.test import Client

    parent = _subscribed_parent(guest_post)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/reacties/afmelden/{comments.unsubscribe_token(parent)}/",
                           {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    parent.refresh_from_db()
    assert not parent.notify_replies


def test_a_forged_unsubscribe_link_is_a_404(client):
    assert client.get("/reacties/afmelden/nep/").status_code == 404


# --- the author answers -------------------------------------------------------------------

def test_the_guest_author_answers_through_the_one_time_link(
    client, guest_post, guest, django_capture_on_commit_callbacks
):
    CommentFactory(email="lezer@example.org")
    comment = place(guest_post, django_capture_on_commit_callbacks, name="Marieke")
    path = link_in(mails_to(guest.email)[0], "reacties/auteur/")

    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{guest_post.get_absolute_url()}?antwoord={comment.pk}#reageer"
    form = element_html(client.get(response["Location"]).content.decode(), "reactieformulier")
    assert "Je reageert als auteur van dit bericht" in form
    assert f'value="{guest.email}"' in form

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(comment_url(guest_post), human_form(
            name=guest.display_name, email=guest.email, body="Dank je, Marieke!",
            parent=comment.pk), follow=True)
    answer = Comment.objects.get(parent=comment)
    assert answer.is_author_reply and answer.status == Status.APPROVED
    assert answer.user == guest
    html = element_html(posted.content.decode(), f"reactie-{answer.pk}")
    assert ">auteur<" in html

    # One time only: the link and the cookie are spent.
    assert client.get(path).status_code == 404
    assert client.cookies["welzijn_auteurlink"].value == ""  # the cookie is gone …
    client.post(comment_url(guest_post), human_form(
        name=guest.display_name, email=guest.email, body="Nog iets.", parent=comment.pk))
    assert not Comment.objects.get(body="Nog iets.").is_author_reply  # … a reader again


def test_a_used_author_link_in_the_cookie_is_refused_with_a_message(
    client, guest_post, guest, django_capture_on_commit_callbacks
):
    CommentFactory(email="lezer@example.org")
    comment = place(guest_post, django_capture_on_commit_callbacks)
    client.get(link_in(mails_to(guest.email)[0], "reacties/auteur/"))
    Comment.objects.filter(pk=comment.pk).update(author_token_digest="")  # spent elsewhere
    response = client.post(comment_url(guest_post), human_form(
        name="Gast", email=guest.email, body="Mijn antwoord", parent=comment.pk))
    html = response.content.decode()
    assert "al gebruikt of verlopen" in html and "Mijn antwoord" in html
    assert not Comment.objects.filter(parent=comment).exists()


def test_the_author_link_waits_for_a_held_comment(
    client, guest_post, guest, django_capture_on_commit_callbacks
):
    place(guest_post, django_capture_on_commit_callbacks)
    response = client.get(link_in(mails_to(guest.email)[0], "reacties/auteur/"))
    assert response.status_code == 409
    assert "wacht nog op goedkeuring" in response.content.decode()


def test_a_logged_in_guest_author_answers_as_the_author(make_client, guest, guest_post):
    reader = CommentFactory(post=guest_post)
    client = make_client(guest)
    client.post(comment_url(guest_post), human_form(body="Goede vraag!", parent=reader.pk))
    answer = Comment.objects.get(parent=reader)
    assert answer.is_author_reply and answer.status == Status.APPROVED


def test_another_guest_cannot_answer_as_the_author(make_client, guest_post, other_guest):
    reader = CommentFactory(post=guest_post)
    make_client(other_guest).post(comment_url(guest_post),
                                  human_form(body="Ik ben de auteur niet.", parent=reader.pk))
    answer = Comment.objects.get(parent=reader)
    assert not answer.is_author_reply


def test_an_author_link_for_another_post_does_not_make_you_its_author(
    client, guest, django_capture_on_commit_callbacks
):
    mine = LivePostFactory(author=guest)
    theirs = LivePostFactory(author=GuestFactory())
    CommentFactory(email="lezer@example.org")
    on_mine = place(mine, django_capture_on_commit_callbacks)
    on_theirs = CommentFactory(post=theirs)
    client.get(link_in(mails_to(guest.email)[0], "reacties/auteur/"))
    client.post(comment_url(theirs), human_form(body="Hallo", parent=on_theirs.pk))
    assert not Comment.objects.get(parent=on_theirs).is_author_reply
    assert not Comment.objects.filter(parent=on_mine).exists()


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


def test_a_failing_mail_server_does_not_lose_the_comment(
    client, guest_post, settings, django_capture_on_commit_callbacks
):
    from outbox.models import Mail

    settings.EMAIL_BACKEND = "tests.test_comments_notifications.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(comment_url(guest_post), human_form(body="Toch geplaatst."))
    assert response.status_code == 302
    assert Comment.objects.filter(body="Toch geplaatst.").exists()
    # The author's mail waits in the outbox for the next attempt.
    waiting = Mail.objects.get(template="comment_new", to=[guest_post.author.email])
    assert waiting.state == Mail.State.QUEUED and waiting.next_attempt_at is not None
    assert "smtp down" in waiting.last_error

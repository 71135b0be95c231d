"""Moderation: every rule, refused replies and posts, and the editor's queue in the admin."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments import moderation as comments
from comments.models import Comment
from tests.comment_helpers import comment_url, human_form
from tests.factories import (
    CommentFactory,
    EditorFactory,
    GuestFactory,
    LivePostFactory,
    PostFactory,
    ScheduledPostFactory,
)

pytestmark = pytest.mark.django_db
Status = Comment.Status


def place(post, **fields):
    data = {"name": "Lezer", "email": "lezer@example.org", "body": "Mooi geschreven."}
    data.update(fields)
    return comments.post_comment(post=post, **data)


# --- the rules ----------------------------------------------------------------------------

def test_the_first_comment_from_an_address_is_held():
    assert place(LivePostFactory()).status == Status.PENDING


def test_an_address_with_an_approved_comment_before_is_approved():
    CommentFactory(email="trouw@example.org", status=Status.APPROVED)
    comment = place(LivePostFactory(), email="TROUW@example.org ")
    assert comment.status == Status.APPROVED


def test_only_an_approved_history_counts():
    CommentFactory(email="twijfel@example.org", status=Status.PENDING)
    CommentFactory(email="twijfel@example.org", status=Status.SPAM)
    CommentFactory(email="twijfel@example.org", status=Status.REMOVED)
    assert place(LivePostFactory(), email="twijfel@example.org").status == Status.PENDING


def test_editors_comments_are_approved(editor):
    comment = place(LivePostFactory(), user=editor, email=editor.email)
    assert comment.status == Status.APPROVED and not comment.is_author_reply


def test_the_post_authors_comment_is_approved_and_marked(guest):
    post = LivePostFactory(author=guest)
    comment = place(post, user=guest, name="Iets anders", email="ander@example.org")
    assert comment.status == Status.APPROVED
    assert comment.is_author_reply
    assert comment.name == guest.display_name and comment.email == guest.email


def test_another_guest_is_a_reader_on_someone_elses_post(guest, other_guest):
    post = LivePostFactory(author=guest)
    comment = place(post, user=other_guest, email=other_guest.email)
    assert comment.status == Status.PENDING and not comment.is_author_reply


@pytest.mark.parametrize("links, expected", [(2, Status.APPROVED), (3, Status.PENDING)])
def test_more_than_two_links_are_held_even_for_a_known_address(links, expected):
    CommentFactory(email="bekend@example.org")
    body = " ".join(f"Zie https://voorbeeld{n}.nl/pagina" for n in range(links))
    assert place(LivePostFactory(), email="bekend@example.org", body=body).status == expected


def test_bare_domains_count_as_links_too():
    CommentFactory(email="bekend@example.org")
    body = "Kijk op een.nl, twee.nl en www.drie.nl"
    assert place(LivePostFactory(), email="bekend@example.org", body=body).status == \
        Status.PENDING


@pytest.mark.parametrize("field, value", [
    ("body", "Goedkope Viagra hier"),
    ("body", "Win bij het CASINO!"),
    ("body", "vi\u200bagra met een onzichtbare spatie"),
    ("body", "ｃａｓｉｎｏ in brede letters"),
    ("name", "Casino Royale"),
    ("url", "https://crypto-bonus.example/"),
    ("email", "casino@example.org"),
])
def test_blocked_words_send_it_to_spam(field, value, settings):
    settings.COMMENT_BLOCKLIST = ["viagra", "casino", "crypto-bonus"]
    CommentFactory(email="bekend@example.org")  # a good history does not save spam
    fields = {"email": "bekend@example.org", field: value}
    assert place(LivePostFactory(), **fields).status == Status.SPAM


def test_blocked_words_match_whole_words_only(settings):
    settings.COMMENT_BLOCKLIST = ["cialis"]
    comment = place(LivePostFactory(), body="Als specialist in het sociaal domein …")
    assert comment.status == Status.PENDING


def test_the_blocklist_is_configurable(settings):
    settings.COMMENT_BLOCKLIST = ["koopjes"]
    assert place(LivePostFactory(), body="Koopjes!").status == Status.SPAM
    settings.COMMENT_BLOCKLIST = []
    assert place(LivePostFactory(), body="Koopjes!").status == Status.PENDING


def test_what_moderation_needs_is_stored_as_keyed_hashes():
    comment = place(LivePostFactory(), ip="203.0.113.9")
    assert comment.ip_hash and "203.0.113.9" not in comment.ip_hash
    assert len(comment.email_hash) == 64 and "lezer" not in comment.email_hash


# --- refused ------------------------------------------------------------------------------

def test_a_reply_to_a_comment_on_another_post_is_refused(client):
    post, other = LivePostFactory(), LivePostFactory()
    elsewhere = CommentFactory(post=other)
    response = client.post(comment_url(post), human_form(parent=elsewhere.pk))
    assert response.status_code == 200
    assert "bestaat niet (meer) of is nog niet goedgekeurd" in response.content.decode()
    assert Comment.objects.count() == 1
    with pytest.raises(comments.CommentRefused):
        place(post, parent_id=elsewhere.pk)


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM, Status.REMOVED])
def test_a_reply_to_a_comment_that_is_not_approved_is_refused(client, status):
    post = LivePostFactory()
    held = CommentFactory(post=post, status=status)
    response = client.post(comment_url(post), human_form(parent=held.pk, body="Mijn antwoord"))
    html = response.content.decode()
    assert "nog niet goedgekeurd" in html
    assert "Mijn antwoord" in html  # what was typed is kept
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("make_post", [
    PostFactory,
    ScheduledPostFactory,
    lambda: PostFactory(status="submitted"),
    lambda: PostFactory(status="rejected"),
])
def test_posting_to_a_post_that_is_not_live_is_a_404(client, make_post):
    post = make_post()
    response = client.post(comment_url(post), human_form())
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_posting_to_a_missing_post_is_a_404(client):
    assert client.post("/reacties/999999/", human_form()).status_code == 404


def test_a_get_to_the_posting_address_is_refused(client):
    assert client.get(comment_url(LivePostFactory())).status_code == 405


def test_a_direct_post_to_a_closed_post_is_refused(client):
    post = LivePostFactory(allow_comments=False)
    response = client.post(comment_url(post), human_form(body="Toch nog even dit."))
    assert response.status_code == 403
    html = response.content.decode()
    assert "De reacties bij dit bericht zijn gesloten." in html
    assert "Toch nog even dit." in html  # kept to copy, not stored
    assert not Comment.objects.exists()


def test_a_post_closed_by_age_refuses_too(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    post = LivePostFactory(publish_at=timezone.now() - timedelta(days=15))
    assert client.post(comment_url(post), human_form()).status_code == 403
    with pytest.raises(comments.CommentRefused):
        place(post)
    assert not Comment.objects.exists()


# --- moderating ---------------------------------------------------------------------------

def test_approving_makes_the_address_trusted(editor):
    post = LivePostFactory()
    first = place(post)
    assert comments.approve(comments=[first], actor=editor) == 1
    first.refresh_from_db()
    assert first.status == Status.APPROVED and first.moderated_by == editor
    assert place(post, body="Nog een.").status == Status.APPROVED


def test_spam_and_remove_hide_a_comment_and_its_author_link(editor):
    post = LivePostFactory()
    one, two = place(post), place(post, email="ander@example.org")
    assert one.author_token_digest
    comments.mark_spam(comments=[one], actor=editor)
    comments.remove(comments=[two.pk], actor=editor)
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.status, two.status) == (Status.SPAM, Status.REMOVED)
    assert one.author_token_digest == "" and two.author_token_digest == ""


# --- the admin ----------------------------------------------------------------------------

CHANGELIST = "/beheer/comments/comment/"


def test_the_queue_shows_pending_first_with_post_parent_and_history(editor_client):
    post = LivePostFactory(title="Over de wijkteams")
    old = timezone.now() - timedelta(days=3)
    parent = CommentFactory(post=post, name="Ouder", body="Eerste gedachte", created_at=old)
    CommentFactory(email="veel@example.org", created_at=old)
    CommentFactory(email="veel@example.org", created_at=old)
    CommentFactory(email="veel@example.org", status=Status.SPAM, created_at=old)
    newest = CommentFactory(post=post, name="Nieuwste", created_at=timezone.now())
    held = CommentFactory(post=post, parent=parent, email="veel@example.org", name="Wachter",
                          status=Status.PENDING, created_at=old - timedelta(days=1))
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows[0] == held  # pending first, although it is the oldest
    assert rows[1] == newest
    html = response.content.decode()
    row = html[html.index("Wachter"):]
    row = row[:row.index("</tr>")]
    assert "Over de wijkteams" in row
    assert "Ouder: Eerste gedachte" in row
    assert "2 goedgekeurd, 1 spam" in row


def test_the_queue_has_no_n_plus_one(editor_client, django_assert_max_num_queries):
    def load():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(CHANGELIST).status_code == 200
        return len(queries)

    parent = CommentFactory()
    CommentFactory(parent=parent, post=parent.post, status=Status.PENDING)
    few = load()
    for n in range(40):
        reply_to = CommentFactory(email=f"lezer{n % 7}@example.org")
        CommentFactory(post=reply_to.post, parent=reply_to, status=Status.PENDING)
    assert load() == few


def test_bulk_approve_spam_and_remove(editor_client, editor):
    a, b, c = (CommentFactory(status=Status.PENDING) for _ in range(3))
    for action, target, expected in [
        ("approve_selected", a, Status.APPROVED),
        ("mark_selected_spam", b, Status.SPAM),
        ("remove_selected", c, Status.REMOVED),
    ]:
        response = editor_client.post(
            CHANGELIST, {"action": action, "_selected_action": [target.pk]}, follow=True
        )
        assert response.status_code == 200
        target.refresh_from_db()
        assert target.status == expected and target.moderated_by == editor
    assert "1 reactie verwijderd." in response.content.decode()


def test_the_change_form_moderates_one_comment(editor_client):
    comment = CommentFactory(status=Status.PENDING, name="Ans", body="Een gedachte.")
    url = f"{CHANGELIST}{comment.pk}/change/"
    page = editor_client.get(url)
    assert page.status_code == 200
    assert 'name="_approve"' in page.content.decode()
    response = editor_client.post(url, {
        "name": "Ans", "email": comment.email, "url": "", "body": "Een gedachte, verbeterd.",
        "_approve": "Goedkeuren",
    })
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.body_html == "<p>Een gedachte, verbeterd.</p>"


def test_guests_and_readers_cannot_moderate(client, guest_client):
    comment = CommentFactory(status=Status.PENDING)
    for someone in (client, guest_client):
        response = someone.post(CHANGELIST, {"action": "approve_selected",
                                             "_selected_action": [comment.pk]})
        assert response.status_code == 302 and "/beheer/login/" in response["Location"]
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_editors_cannot_add_comments_in_the_admin(editor_client):
    assert editor_client.get(f"{CHANGELIST}add/").status_code == 403


def test_the_admin_pages_survive_a_comment_without_address(editor_client):
    comment = CommentFactory(email="", user=EditorFactory(), post=LivePostFactory(
        author=GuestFactory()))
    assert editor_client.get(CHANGELIST).status_code == 200
    assert editor_client.get(f"{CHANGELIST}{comment.pk}/change/").status_code == 200


def test_deleting_in_the_admin_erases_a_comment(editor_client):
    """For a commenter who asks to be forgotten: 'remove' hides, delete erases."""
    comment = CommentFactory(status=Status.SPAM)
    response = editor_client.post(CHANGELIST, {"action": "delete_selected",
                                               "_selected_action": [comment.pk], "post": "yes"})
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_the_queue_can_be_searched_by_address(editor_client):
    CommentFactory(email="zoek@example.org", body="Gevonden")
    CommentFactory(email="ander@example.org", body="Niet deze")
    html = editor_client.get(CHANGELIST, {"q": "zoek@example.org"}).content.decode()
    assert "Gevonden" in html and "Niet deze" not in html


# --- one click ------------------------------------------------------------------------------

def one_click_url(comment, step):
    return reverse("admin:comments_comment_moderate", args=[comment.pk, step])


@pytest.mark.django_db
@pytest.mark.parametrize("step,start,end", [
    ("approve", Comment.Status.PENDING, Comment.Status.APPROVED),
    ("spam", Comment.Status.PENDING, Comment.Status.SPAM),
    ("spam", Comment.Status.APPROVED, Comment.Status.SPAM),
    ("remove", Comment.Status.APPROVED, Comment.Status.REMOVED),
    ("approve", Comment.Status.SPAM, Comment.Status.APPROVED),
])
def test_one_click_moderation_from_the_admin_list(editor_client, editor, step, start, end):
    comment = CommentFactory(status=start, name="Lezer Een")
    back = reverse("admin:comments_comment_changelist") + "?status__exact=pending"
    response = editor_client.post(one_click_url(comment, step), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    comment.refresh_from_db()
    assert comment.status == end and comment.moderated_by == editor
    page = editor_client.get(back)
    assert "De reactie van Lezer Een is" in page.content.decode()


@pytest.mark.django_db
def test_the_admin_list_offers_each_comment_its_one_click_steps(editor_client):
    held = CommentFactory(status=Comment.Status.PENDING, name="Wachtende")
    shown = CommentFactory(status=Comment.Status.APPROVED, name="Zichtbare")
    html = editor_client.get(reverse("admin:comments_comment_changelist")).content.decode()
    for comment, steps, absent in [(held, ["approve", "spam", "reply"], []),
                                   (shown, ["spam", "reply"], ["approve"])]:
        for step in steps:
            assert f'formaction="{one_click_url(comment, step)}"' in html
        for step in absent:
            assert f'formaction="{one_click_url(comment, step)}"' not in html
    assert '<input type="hidden" name="next" value="/beheer/comments/comment/">' in html


@pytest.mark.django_db
def test_one_click_is_post_only_csrf_checked_and_for_editors(editor, guest, make_client):
    from django.test import Client

    comment = CommentFactory(status=Comment.Status.PENDING)
    url = one_click_url(comment, "approve")
    assert make_client(editor).get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(url).status_code == 403
    # A guest (not staff) and a stranger are sent to the admin's login; nothing changes.
    assert make_client(guest).post(url).status_code == 302
    assert make_client().post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    # The domain refuses a non-editor too, whatever calls it.
    with pytest.raises(PermissionDenied):
        moderation.moderate_one(comment=comment, action="approve", actor=guest)
    assert make_client(editor).post(one_click_url(comment, "nonsense")).status_code == 403


@pytest.mark.django_db
def test_answering_a_held_comment_approves_it_and_opens_the_reply_form(editor_client):
    comment = CommentFactory(status=Comment.Status.PENDING)
    response = editor_client.post(one_click_url(comment, "reply"))
    post = comment.post
    assert response["Location"] == f"{post.get_absolute_url()}?antwoord={comment.pk}#reageer"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    page = editor_client.get(response["Location"]).content.decode()
    assert f'name="parent" value="{comment.pk}"' in page

    spam = CommentFactory(post=post, status=Comment.Status.SPAM)
    response = editor_client.post(one_click_url(spam, "reply"), follow=True)
    assert "kun je niet antwoorden" in response.content.decode()
    spam.refresh_from_db()
    assert spam.status == Comment.Status.SPAM


@pytest.mark.django_db
def test_one_click_never_redirects_off_site(editor_client):
    comment = CommentFactory(status=Comment.Status.PENDING)
    response = editor_client.post(one_click_url(comment, "approve"),
                                  {"next": "https://evil.example/"})
    assert response["Location"] == reverse("admin:comments_comment_changelist")


@pytest.mark.django_db
def test_an_editor_moderates_on_the_post_page(editor, make_client, guest):
    post = LivePostFactory()
    held = CommentFactory(post=post, status=Comment.Status.PENDING, name="Wachtende")
    shown = CommentFactory(post=post, status=Comment.Status.APPROVED, name="Zichtbare")
    html = make_client(editor).get(post.get_absolute_url()).content.decode()
    assert f'action="{one_click_url(held, "approve")}"' in html
    assert f'action="{one_click_url(held, "spam")}"' in html
    assert f'action="{one_click_url(held, "reply")}"' in html  # "Goedkeuren en antwoorden"
    assert f'action="{one_click_url(shown, "spam")}"' in html
    assert f'action="{one_click_url(shown, "reply")}"' not in html  # "Reageer" does that
    assert 'name="csrfmiddlewaretoken"' in html
    response = make_client(editor).post(one_click_url(held, "approve"),
                                        {"next": post.get_absolute_url() + "#reacties"})
    assert response["Location"] == post.get_absolute_url() + "#reacties"
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED
    # Readers and guests see no moderation buttons.
    for client in (make_client(), make_client(guest)):
        assert "comments_comment_moderate" not in client.get(post.get_absolute_url()).content.decode()
        assert "/beoordelen/" not in client.get(post.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_answering_where_comments_are_closed_changes_nothing(editor_client):
    post = LivePostFactory(allow_comments=False)
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)
    response = editor_client.post(one_click_url(comment, "reply"), follow=True)
    assert "kun je niet (meer) reageren" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

"""The comments under a post: threads, counts, the form, hostile input, and the query budget."""

from datetime import timedelta

import feedparser
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.cookies import remember_own
from comments.models import Comment
from comments.moderation import moderate_one
from tests.comment_helpers import comment_url, element_html, human_form
from tests.factories import CommentFactory, LivePostFactory, PostFactory, SeriesFactory
from tests.html_safety import assert_inert, script_problems

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
    '<a href="javascript:alert(1)">klik</a>',
    "javascript:alert(1)",
    "<iframe src=https://evil.example/></iframe>",
    "<<script>script>alert(1)<</script>/script>",
    "<b><i>onbeëindigd <p onclick=alert(1)>genest",
    "</textarea><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "\u202egnp.exe\u202c <a href=//evil.example>link</a>",
    "java\u200bscript:alert(1) en ja\u200dvas\u2060cript:alert(1)",
    "https://example.org/\"onmouseover=\"alert(1)",
    "{{ 7|add:7 }} {% now 'Y' %}",
]
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    'https://example.org/"><script>alert(1)</script>',
    "https://example.org/' onmouseover='alert(1)",
]


def page_html(client, post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def comment_list(client, post) -> str:
    return element_html(page_html(client, post), "reactielijst")


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_name_and_body_render_as_text(client, payload):
    post = LivePostFactory()
    CommentFactory(post=post, name=payload[:80], body=payload)
    listing = comment_list(client, post)
    assert_inert(listing)
    assert "<script" not in listing and "<iframe" not in listing and "<svg" not in listing
    assert "{% now" in listing or "{%" not in payload  # template syntax is shown, not run


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_stored_hostile_website_never_becomes_a_link(client, url):
    post = LivePostFactory()
    CommentFactory(post=post, name="Piet", url=url, body="Hoi")
    listing = comment_list(client, post)
    assert_inert(listing)
    if not url.lower().startswith("https://"):
        assert "Piet</bdi></a>" not in listing  # shown as plain text, no link at all
    else:
        assert "<script" not in listing and "onmouseover='" not in listing


def test_links_in_comments_carry_nofollow_ugc_noopener(client):
    post = LivePostFactory()
    CommentFactory(post=post, name="Els", url="https://els.example/",
                   body="Zie https://example.org/rapport voor de cijfers.")
    listing = comment_list(client, post)
    assert '<a href="https://example.org/rapport" rel="nofollow ugc noopener">' in listing
    assert '<a href="https://els.example/" rel="nofollow ugc noopener"><bdi>Els</bdi></a>' \
        in listing


@pytest.mark.parametrize("payload", HOSTILE)
def test_a_rejected_form_shows_hostile_input_as_typed_but_inert(client, payload):
    """The page with a refused form differs from a benign one only in text, not elements."""
    post = LivePostFactory()
    benign = client.post(comment_url(post), human_form(email="fout", name="Jan", body="Hoi"))
    hostile = client.post(comment_url(post),
                          human_form(email="fout", name=payload[:80], body=payload,
                                     url="javascript:alert(1)"))
    assert hostile.status_code == benign.status_code == 200
    assert sorted(script_problems(hostile.content.decode())) == \
        sorted(script_problems(benign.content.decode()))
    form = element_html(hostile.content.decode(), "reactieformulier")
    assert "Vul een geldig e-mailadres in" in form
    assert not Comment.objects.exists()


def test_form_strips_direction_overrides_and_invisible_characters_from_the_name(client):
    post = LivePostFactory()
    client.post(comment_url(post), human_form(name="Jan\u202e\u200b nesnaJ\u2066",
                                              body="Tekst\u202e met override"))
    comment = Comment.objects.get()
    assert comment.name == "Jan nesnaJ"
    assert "\u202e" not in comment.body


def test_threads_two_levels_deep_in_date_order_with_a_count(client):
    post = LivePostFactory()
    start = timezone.now() - timedelta(hours=5)
    first = CommentFactory(post=post, name="Eerste", created_at=start)
    second = CommentFactory(post=post, name="Tweede", created_at=start + timedelta(hours=1))
    reply = CommentFactory(post=post, parent=first, name="Antwoord",
                           created_at=start + timedelta(hours=2))
    deeper = CommentFactory(post=post, parent=reply, name="Dieper",
                            created_at=start + timedelta(hours=3))
    CommentFactory(post=post, name="Wachtend", status=Comment.Status.PENDING)
    CommentFactory(post=post, name="Spammer", status=Comment.Status.SPAM)
    html = page_html(client, post)
    assert "4 reacties" in html
    listing = element_html(html, "reactielijst")
    assert "Wachtend" not in listing and "Spammer" not in listing
    # Eerste (with its reply, and the reply's reply nested inside) before Tweede.
    order = [listing.index(f"reactie-{c.pk}\"") for c in (first, reply, deeper, second)]
    assert order == sorted(order)
    first_thread = element_html(listing, f"reactie-{first.pk}")
    assert "Antwoord" not in first_thread  # the article holds the comment only …
    nested = listing[listing.index(f'id="reactie-{first.pk}"'):listing.index(
        f'id="reactie-{second.pk}"')]
    assert nested.count('<ol class="comment-list">') == 2  # … its replies nest below it


def test_replies_deeper_than_three_levels_stay_readable(client):
    post = LivePostFactory()
    parent = CommentFactory(post=post, name="Niveau1")
    chain = [parent]
    for level in range(2, 6):
        chain.append(CommentFactory(post=post, parent=chain[-1], name=f"Niveau{level}"))
    listing = comment_list(client, post)
    assert listing.count('<ol class="comment-list">') == 3  # nested three deep, no deeper
    assert "in reactie op <bdi>Niveau3</bdi>" in listing
    assert "in reactie op <bdi>Niveau4</bdi>" in listing


def test_a_reply_whose_parent_was_removed_still_shows(client):
    post = LivePostFactory()
    parent = CommentFactory(post=post, name="Weg", status=Comment.Status.REMOVED)
    CommentFactory(post=post, parent=parent, name="Blijft")
    listing = comment_list(client, post)
    assert "Blijft" in listing and "Weg" not in listing


def test_reply_link_without_javascript_opens_the_form_for_that_parent(client):
    post = LivePostFactory()
    comment = CommentFactory(post=post, name="Karin")
    html = page_html(client, post)
    assert f'href="?antwoord={comment.pk}#reageer"' in html
    response = client.get(post.get_absolute_url(), {"antwoord": comment.pk})
    form = element_html(response.content.decode(), "reactieformulier")
    assert 'class="replying-to"' in form and " hidden" not in form.split("replying-to")[1][:20]
    assert "Karin" in form
    assert f'name="parent" value="{comment.pk}"' in form


def test_reply_link_to_a_held_comment_opens_a_plain_form(client):
    post = LivePostFactory()
    held = CommentFactory(post=post, status=Comment.Status.PENDING)
    response = client.get(post.get_absolute_url(), {"antwoord": held.pk})
    form = element_html(response.content.decode(), "reactieformulier")
    assert f'value="{held.pk}"' not in form


def test_logged_in_users_have_name_and_email_filled_in(make_client, other_guest):
    post = LivePostFactory()
    html = make_client(other_guest).get(post.get_absolute_url()).content.decode()
    form = element_html(html, "reactieformulier")
    assert f'value="{other_guest.email}"' in form
    assert f'value="{other_guest.display_name}"' in form


def test_a_commenter_sees_their_own_pending_comment_and_others_do_not(client, make_client):
    post = LivePostFactory()
    response = client.post(comment_url(post), human_form(body="Mijn eerste reactie hier."),
                           follow=True)
    html = response.content.decode()
    assert "wacht op goedkeuring" in html
    assert "Mijn eerste reactie hier." in element_html(html, "reactielijst")
    assert Comment.objects.get().status == Comment.Status.PENDING
    stranger = make_client().get(post.get_absolute_url()).content.decode()
    assert "Mijn eerste reactie hier." not in stranger
    assert "Nog geen reacties" in stranger


def test_held_comments_are_shown_to_editors_only(client, editor_client, guest, make_client):
    post = LivePostFactory(author=guest)
    held = CommentFactory(post=post, status=Comment.Status.PENDING, body="Nog te beoordelen.")
    CommentFactory(post=post, status=Comment.Status.SPAM, body="Koop nu!")
    as_editor = element_html(page_html(editor_client, post), "reactielijst")
    assert "Nog te beoordelen." in as_editor and "Koop nu!" not in as_editor
    assert "alleen de redactie ziet deze reactie" in as_editor
    assert f"/beheer/comments/comment/{held.pk}/change/" in as_editor
    assert "Nog te beoordelen." not in page_html(make_client(guest), post)  # not the author
    assert "Nog te beoordelen." not in page_html(make_client(), post)


def test_the_own_pending_cookie_cannot_be_forged(client):
    post = LivePostFactory()
    held = CommentFactory(post=post, status=Comment.Status.PENDING, body="Geheim, nog niet goed.")
    client.cookies["welzijn_reacties"] = str(held.pk)
    assert "Geheim" not in page_html(client, post)


# Who sees which comment under a post (Comment.objects.visible_to).
SEES = {
    "a stranger": {"approved"},
    "the post's author": {"approved"},
    "the commenter, by their cookie": {"approved", "pending", "spam"},
    "an editor": {"approved", "pending"},
}


@pytest.mark.parametrize("status", [choice.value for choice in Comment.Status])
@pytest.mark.parametrize("viewer", SEES)
def test_who_sees_which_comment(viewer, status, make_client, editor, guest):
    post = LivePostFactory(author=guest)
    comment = CommentFactory(post=post, status=status, body="Deze reactie zoeken we.")
    someone_elses = CommentFactory(post=post, status=Comment.Status.PENDING,
                                   body="Van iemand anders, nog niet beoordeeld.")
    user = {"an editor": editor, "the post's author": guest}.get(viewer)
    client = make_client(user)
    own = []
    if viewer == "the commenter, by their cookie":
        own = [comment.pk]
        placed = HttpResponse()
        remember_own(RequestFactory().get("/"), placed, comment)
        client.cookies.update(placed.cookies)

    sees = status in SEES[viewer]
    visible = Comment.objects.visible_to(user or AnonymousUser(), own_ids=own)
    assert visible.filter(pk=comment.pk).exists() is sees
    assert visible.filter(pk=someone_elses.pk).exists() is (viewer == "an editor")
    html = page_html(client, post)
    assert ("Deze reactie zoeken we." in html) is sees
    assert ("Van iemand anders" in html) is (viewer == "an editor")


def test_an_approved_comment_is_simply_placed(client):
    post = LivePostFactory()
    CommentFactory(post=post, email="vaste@example.org")
    response = client.post(comment_url(post),
                           human_form(email="Vaste@Example.org", body="Weer een reactie."),
                           follow=True)
    html = response.content.decode()
    assert "Je reactie is geplaatst." in html
    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.APPROVED
    assert response.redirect_chain[-1][0].endswith(f"#reactie-{comment.pk}")
    assert "2 reacties" in html


def test_a_reader_sees_each_comment_as_it_is_now_not_as_it_was_first_shown(make_client,
                                                                           editor):
    """A reader's comment markup is kept per worker under everything it is made of: an
    edited text and name, closed replies and a removed comment each show on the next view,
    and an editor's buttons never reach a reader's page or the other way round."""
    reader, editor_client = make_client(), make_client(editor)
    post = LivePostFactory()
    comment = CommentFactory(post=post, name="Eerste naam", body="Oude tekst.")
    before = comment_list(reader, post)
    assert "Oude tekst." in before and "Eerste naam" in before and "?antwoord=" in before

    comment.name, comment.body = "Tweede naam", "Nieuwe tekst."
    comment.save()
    after = comment_list(reader, post)
    assert "Nieuwe tekst." in after and "Tweede naam" in after
    assert "Oude tekst." not in after and "Eerste naam" not in after

    as_editor = comment_list(editor_client, post)
    assert "Nieuwe tekst." in as_editor and "comment-moderation" in as_editor
    assert "comment-moderation" not in comment_list(reader, post)

    post.allow_comments = False
    post.save()
    closed = comment_list(reader, post)
    assert "Nieuwe tekst." in closed and "?antwoord=" not in closed

    assert moderate_one(comment=comment, action="spam", actor=editor)
    assert "Nieuwe tekst." not in page_html(reader, post)


def test_closed_posts_say_so_and_show_no_form(client):
    post = LivePostFactory(allow_comments=False)
    CommentFactory(post=post, name="Vroeger")
    html = page_html(client, post)
    assert "De reacties bij dit bericht zijn gesloten." in html
    assert "Vroeger" in html
    assert 'id="reactieformulier"' not in html and "?antwoord=" not in html


def test_comments_close_after_the_configured_number_of_days(client, settings):
    post = LivePostFactory(publish_at=timezone.now() - timedelta(days=31))
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert 'id="reactieformulier"' in page_html(client, post)
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    assert "De reacties bij dit bericht zijn gesloten." in page_html(client, post)
    settings.COMMENTS_CLOSE_AFTER_DAYS = 60
    assert 'id="reactieformulier"' in page_html(client, post)


@pytest.mark.parametrize("factory_kwargs", [
    {"status": "draft"},
    {"status": "submitted"},
    {"status": "approved", "publish_at_days": 2},
])
def test_unpublished_posts_show_no_comments_and_no_form(factory_kwargs, editor):
    """The post template also renders previews: comments belong to live posts only."""
    days = factory_kwargs.pop("publish_at_days", None)
    post = PostFactory(
        **factory_kwargs,
        publish_at=timezone.now() + timedelta(days=days) if days else None,
    )
    CommentFactory(post=post, body="Hoort hier niet te staan.")
    request = RequestFactory().get("/voorbeeld/x/")
    request.user = editor
    html = render_to_string("blog/post_detail.html", {"post": post}, request=request)
    assert "Hoort hier niet te staan." not in html
    assert 'id="reacties"' not in html and "reactieformulier" not in html


def test_the_comments_feed_lists_approved_comments_on_live_posts_only(client):
    live = LivePostFactory(title="Levend bericht")
    draft = PostFactory()
    CommentFactory(post=live, name="Zichtbaar", body="Te zien in de feed.")
    CommentFactory(post=live, name="Wachtend", status=Comment.Status.PENDING)
    CommentFactory(post=live, name="Spam", status=Comment.Status.SPAM)
    CommentFactory(post=draft, name="OpConcept")
    response = client.get("/reacties/feed/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert [entry.author for entry in feed.entries] == ["Zichtbaar"]
    entry = feed.entries[0]
    assert "Levend bericht" in entry.title
    assert entry.link.endswith(f"{live.get_absolute_url()}#reactie-"
                               f"{Comment.objects.get(name='Zichtbaar').pk}")


def _thread_of(post, count: int):
    """`count` approved comments: a third top-level, the rest replies two levels deep."""
    made = []
    for index in range(count):
        parent = made[index - 1] if index % 3 else None
        made.append(CommentFactory(post=post, parent=parent))
    return made


def test_the_comments_block_costs_the_same_queries_for_2_and_200_comments(client,
                                                                          page_cache_off):
    small, large = LivePostFactory(), LivePostFactory()
    _thread_of(small, 2)
    _thread_of(large, 200)
    counts = []
    for post in (small, large):
        with CaptureQueriesContext(connection) as queries:
            html = page_html(client, post)
        counts.append(len(queries))
        assert html.count('class="comment"') == post.comments.count()
    assert counts[0] == counts[1], counts


def test_post_page_with_50_comments_and_10_tags_stays_within_10_queries(
    client, django_assert_max_num_queries
):
    post = LivePostFactory(series=SeriesFactory(), series_position=1,
                           tags=[f"onderwerp-{n}" for n in range(10)])
    _thread_of(post, 50)
    with django_assert_max_num_queries(10):
        html = page_html(client, post)
    assert "50 reacties" in html

"""Who gets what at the desk and the preview links: anonymous, guest A (the author), guest
B and an editor, for every URL and every transition.

The desk is the author's own: everything there is fetched with by_author, so guest B and
the editor get 404 for A's post (the editor reviews in the admin, and may share the signed
preview link). The signed link works for anyone holding it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog import preview, workflow
from blog.models import Status
from tests.factories import PostFactory

ROLES = ["anonymous", "author", "other_guest", "editor"]


@pytest.fixture
def client_for(make_client, guest, other_guest, editor):
    users = {"anonymous": None, "author": guest, "other_guest": other_guest, "editor": editor}
    return lambda role: make_client(users[role])


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


# (name, url builder, method, expected status per role: anonymous, author, B, editor)
PAGES = [
    ("dashboard", lambda p: reverse("desk:dashboard"), "get", ("login", 200, 200, 200)),
    ("new", lambda p: reverse("desk:new"), "get", ("login", 200, 200, 200)),
    ("edit", lambda p: reverse("desk:edit", args=[p.pk]), "get", ("login", 200, 404, 404)),
    ("preview", lambda p: reverse("desk:preview", args=[p.pk]), "get", ("login", 200, 404, 404)),
    ("history", lambda p: reverse("desk:history", args=[p.pk]), "get", ("login", 200, 404, 404)),
    ("render", lambda p: reverse("preview:markdown"), "post", (403, 200, 200, 200)),
    ("upload", lambda p: reverse("desk:upload-image"), "post", (403, 400, 400, 400)),
    ("signed", lambda p: preview.preview_url(p), "get", (200, 200, 200, 200)),
    ("bad-token", lambda p: reverse("preview:post", args=["x"]), "get", (404, 404, 404, 404)),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name,url,method,expected", PAGES, ids=[p[0] for p in PAGES])
def test_pages(client_for, guest, name, url, method, expected, role_index, role):
    post = PostFactory(author=guest, title="Concept van A", body_markdown="Geheime tekst van A.")
    response = getattr(client_for(role), method)(url(post))
    want = expected[role_index]
    if want == "login":
        assert login_redirect(response)
    else:
        assert response.status_code == want
    body = response.content.decode()
    if response.status_code != 200 or name in {"dashboard", "new"} and role != "author":
        assert "Geheime tekst van A." not in body
    if response.status_code == 200 and name in {"edit", "preview", "history", "signed"}:
        assert "Concept van A" in body
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_saving_someone_elses_post(client_for, guest, role):
    post = PostFactory(author=guest, title="Van A")
    data = {"version": 1, "title": "Overgenomen", "body_markdown": "Weg ermee."}
    response = client_for(role).post(reverse("desk:edit", args=[post.pk]), data)
    post.refresh_from_db()
    if role == "author":
        assert response.status_code == 302 and post.title == "Overgenomen"
        return
    if role == "anonymous":
        assert login_redirect(response)
    else:
        assert response.status_code == 404
    assert post.title == "Van A" and post.version == 1


def _post_ready_for(name, author):
    source = {
        "submit": Status.DRAFT, "withdraw": Status.SUBMITTED,
        "request_changes": Status.SUBMITTED, "approve": Status.SUBMITTED,
        "reject": Status.SUBMITTED, "reschedule": Status.APPROVED,
        "unpublish": Status.APPROVED, "reopen": Status.REJECTED,
    }[name]
    publish_at = timezone.now() + timedelta(days=5) if source == Status.APPROVED else None
    return PostFactory(author=author, status=source, publish_at=publish_at)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_transitions(client_for, guest, role, name):
    post = _post_ready_for(name, guest)
    before = post.status
    data = {"note": "Toelichting.", "publish_at": "2031-01-06T07:00"}
    response = client_for(role).post(
        reverse("desk:transition", kwargs={"pk": post.pk, "name": name}), data
    )
    post.refresh_from_db()
    author_move = workflow.TRANSITIONS[name].who == workflow.AUTHOR
    if role == "author" and author_move:
        assert response.status_code == 302
        assert post.status == workflow.TRANSITIONS[name].target
        assert post.events.get().actor == guest
        return
    if role == "anonymous":
        assert login_redirect(response)
    elif role == "author":
        assert response.status_code == 403  # the workflow refuses the actor
    else:
        assert response.status_code == 404  # not their post: it does not exist for them
    assert post.status == before and not post.events.exists()

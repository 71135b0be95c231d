"""The post admin: the list, the review page, the workflow buttons, editing and bulk actions."""

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog import editing, preview, workflow
from blog.models import Image, Post, PostEvent, Status
from tests.factories import (
    EditorFactory,
    GuestFactory,
    LivePostFactory,
    PostFactory,
    ScheduledPostFactory,
    SeriesFactory,
    SubmittedPostFactory,
    TrendFactory,
)

AMS = ZoneInfo("Europe/Amsterdam")


def change_url(post):
    return reverse("admin:blog_post_change", args=[post.pk])


def step_url(post, name):
    return reverse("admin:blog_post_transition", args=[post.pk, name])


def form_data(post, **overrides):
    """What the change form posts back, as loaded for `post`."""
    data = {
        "loaded_version": post.version, "title": post.title, "slug": post.slug,
        "intro": post.intro, "body_markdown": post.body_markdown, "excerpt": post.excerpt,
        "featured_image_alt": post.featured_image_alt,
        "tags": ", ".join(sorted(post.tags.names())), "trend": post.trend_id or "",
        "series": post.series_id or "", "series_position": post.series_position or "",
        "allow_comments": "on" if post.allow_comments else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_posts(n, editor, prefix="bericht"):
    """A realistic mix: every status, guests and the editor, series, trends and tags."""
    guests = [GuestFactory() for _ in range(5)]
    series = SeriesFactory(title="Gastbloggers blikken terug op 2010")
    trend = TrendFactory()
    now = timezone.now()
    posts = []
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED,
                Status.REJECTED]
    for i in range(n):
        status = statuses[i % len(statuses)]
        posts.append(Post(
            title=f"Bericht {i}", slug=f"{prefix}-{i}", author=guests[i % 5] if i % 3 else editor,
            body_markdown="Tekst.", body_html="<p>Tekst.</p>", status=status,
            publish_at=now + timedelta(days=i - n // 2) if status == Status.APPROVED else None,
            announced_at=now if status == Status.APPROVED and i < n // 2 else None,
            submitted_at=now - timedelta(days=i % 9) if status != Status.DRAFT else None,
            series=series if i % 4 == 0 else None, series_position=i // 4 + 1 if i % 4 == 0 else None,
            trend=trend if i % 2 else None,
        ))
    Post.objects.bulk_create(posts)
    for post in Post.objects.all()[:50]:
        post.tags.add("social media", f"tag{post.pk % 7}")
    return posts


# --- the list -------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("n", [10, 500])
@pytest.mark.parametrize("query", ["", "?status=submitted&herkomst=gast", "?q=Bericht&tag=tag1",
                                   "?status=scheduled&o=5"])
def test_changelist_query_budget_does_not_grow(n, query, editor_client, editor,
                                               django_assert_max_num_queries):
    make_posts(n, editor)
    with django_assert_max_num_queries(15):
        response = editor_client.get(reverse("admin:blog_post_changelist") + query)
    assert response.status_code == 200


@pytest.mark.django_db
def test_changelist_columns_speak_dutch_and_local_time(editor_client, guest):
    series = SeriesFactory(title="Decemberreeks")
    ScheduledPostFactory(title="Deel twee", author=guest, series=series, series_position=2,
                         publish_at=datetime(2031, 12, 7, 7, 0, tzinfo=AMS))
    SubmittedPostFactory(title="Deel een", author=guest, series=series, series_position=1)
    html = editor_client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert "Ingepland voor 7 december 2031 07:00" in html
    assert "Decemberreeks, deel 2 van 2" in html
    assert "zo 7 dec 2031 07:00" in html  # publish_at in Amsterdam time, not UTC (06:00)
    assert "Ingediend" in html
    assert guest.display_name in html


@pytest.mark.django_db
def test_changelist_filters(editor_client, editor, guest):
    mine = PostFactory(title="Van de redactie zelf", author=editor)
    guest_post = SubmittedPostFactory(title="Gastbijdrage", author=guest, tags=["vrijwilligers"])
    live = LivePostFactory(title="Al online", author=guest)
    scheduled = ScheduledPostFactory(title="Komt nog", author=guest)
    url = reverse("admin:blog_post_changelist")

    def titles(query):
        response = editor_client.get(url + query)
        return {p.title for p in response.context["cl"].result_list}

    assert titles("?herkomst=mij") == {mine.title}
    assert titles("?herkomst=gast") == {guest_post.title, live.title, scheduled.title}
    assert titles("?status=live") == {live.title}
    assert titles("?status=scheduled") == {scheduled.title}
    assert titles("?status=submitted") == {guest_post.title}
    assert titles("?tag=vrijwilligers") == {guest_post.title}
    assert titles(f"?author__id__exact={editor.pk}") == {mine.title}
    assert titles("?q=Gastbijdrage") == {guest_post.title}


# --- the review page ------------------------------------------------------------------------

def resubmitted_post(guest, editor):
    post = PostFactory(author=guest, title="Vrijwilligers zijn goud",
                       body_markdown="Vrijwilligers zijn belangrijk.")
    workflow.submit(post=post, actor=guest)
    workflow.request_changes(post=post, actor=editor, note="Geef een voorbeeld uit de wijk.")
    post.refresh_from_db()
    editing.save_post(post=post, actor=guest, expected_version=post.version,
                      fields={"body_markdown": "Vrijwilligers zijn belangrijk, zoals in Lombok."})
    workflow.submit(post=post, actor=guest)
    post.refresh_from_db()
    return post


def button_names(html):
    return set(re.findall(r'action="/beheer/blog/post/\d+/stap/([a-z_]+)/"', html))


@pytest.mark.django_db
def test_review_page_shows_timeline_diff_and_preview(editor_client, guest, editor):
    post = resubmitted_post(guest, editor)
    response = editor_client.get(change_url(post))
    html = response.content.decode()
    assert response.status_code == 200
    # The timeline, with the note to the author.
    assert "Geef een voorbeeld uit de wijk." in html
    assert html.count("Ingediend") >= 2
    # What changed since the last review: the guest's addition.
    assert "Wat is er veranderd sinds je laatste beoordeling" in html
    assert re.search(r"<ins>[^<]*Lombok\.</ins>", html)
    # A working preview link.
    token = re.search(r'/voorbeeld/([^/"]+)/', html)[1]
    assert preview.post_for_token(token) == post
    assert button_names(html) == {"approve", "request_changes", "reject"}


@pytest.mark.django_db
def test_diff_shows_the_editors_own_changes_since_submission(editor_client, guest, editor):
    post = SubmittedPostFactory(author=guest, body_markdown="Een tekst met een tikfout.")
    workflow.submit  # noqa: B018 - documented: the factory is set-up; record the submission:
    PostEvent.objects.create(post=post, action="submit", from_status="draft",
                             to_status="submitted",
                             history_id=post.history.latest().history_id)
    editing.save_post(post=post, actor=editor, expected_version=post.version,
                      fields={"body_markdown": "Een tekst zonder tikfout."})
    html = editor_client.get(change_url(post)).content.decode()
    assert "Verschil tussen de ingediende versie en de huidige tekst" in html
    assert "<del>met een</del>" in html and "<ins>zonder</ins>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("status,expected", [
    (Status.DRAFT, {"approve"}),
    (Status.SUBMITTED, {"approve", "request_changes", "reject"}),
    (Status.CHANGES_REQUESTED, {"approve", "reject"}),
    (Status.APPROVED, {"reschedule", "unpublish"}),
    (Status.REJECTED, {"reopen"}),
])
def test_exactly_the_allowed_buttons(status, expected, editor_client, guest):
    publish_at = timezone.now() + timedelta(days=3) if status == Status.APPROVED else None
    post = PostFactory(author=guest, status=status, publish_at=publish_at)
    assert button_names(editor_client.get(change_url(post)).content.decode()) == expected


@pytest.mark.django_db
def test_change_page_query_budget(editor_client, editor, guest, django_assert_max_num_queries):
    make_posts(10, editor)
    small = resubmitted_post(guest, editor)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(change_url(small))
    make_posts(300, editor, prefix="meer")
    big = resubmitted_post(GuestFactory(), editor)
    for _ in range(20):  # a long timeline
        editing.save_post(post=big, actor=editor, expected_version=big.version,
                          fields={"excerpt": f"Samenvatting {_}"})
        big.refresh_from_db()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(change_url(big))
    assert response.status_code == 200
    assert len(few.captured_queries) <= 25


# --- workflow buttons -------------------------------------------------------------------------

@pytest.mark.django_db
def test_approve_with_a_date(editor_client, guest, mailoutbox, django_capture_on_commit_callbacks):
    post = SubmittedPostFactory(author=guest, title="Menselijke maat")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(step_url(post, "approve"),
                                      {"publish_at": "2031-12-13T07:00"})
    assert response.status_code == 302 and response["Location"] == change_url(post)
    post.refresh_from_db()
    assert post.status == Status.APPROVED
    assert post.publish_at == datetime(2031, 12, 13, 7, 0, tzinfo=AMS)
    assert [m.to for m in mailoutbox] == [[guest.email]]
    page = editor_client.get(change_url(post)).content.decode()
    assert "is goedgekeurd en ingepland voor" in page


@pytest.mark.django_db
def test_approve_is_prefilled_with_the_next_free_slot(editor_client, guest):
    post = SubmittedPostFactory(author=guest)
    from blog.scheduling import next_free_slot

    slot = timezone.localtime(next_free_slot(exclude_pk=post.pk))
    html = editor_client.get(change_url(post)).content.decode()
    assert f'value="{slot:%Y-%m-%dT%H:%M}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["request_changes", "reject"])
def test_a_note_is_required_and_what_was_typed_is_kept(name, editor_client, guest, mailoutbox):
    post = SubmittedPostFactory(author=guest)
    response = editor_client.post(step_url(post, name), {"note": "   "})
    assert response.status_code == 200
    assert "Schrijf een toelichting voor de auteur." in response.content.decode()
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED and not post.events.exists()

    response = editor_client.post(step_url(post, name), {"note": "Kun je het inkorten?"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == {"request_changes": Status.CHANGES_REQUESTED,
                           "reject": Status.REJECTED}[name]
    assert post.events.get().note == "Kun je het inkorten?"


@pytest.mark.django_db
def test_reschedule_unpublish_reopen(editor_client, guest):
    post = ScheduledPostFactory(author=guest)
    editor_client.post(step_url(post, "reschedule"), {"publish_at": "2031-10-27T07:00"})
    post.refresh_from_db()
    assert post.publish_at == datetime(2031, 10, 27, 7, 0, tzinfo=AMS)
    editor_client.post(step_url(post, "unpublish"), {"note": ""})
    post.refresh_from_db()
    assert post.status == Status.DRAFT
    rejected = PostFactory(author=guest, status=Status.REJECTED)
    editor_client.post(step_url(rejected, "reopen"), {})
    rejected.refresh_from_db()
    assert rejected.status == Status.DRAFT


@pytest.mark.django_db
def test_a_step_not_allowed_now_is_refused_in_dutch(editor_client, guest):
    post = PostFactory(author=guest, status=Status.DRAFT)
    response = editor_client.post(step_url(post, "reject"), {"note": "Nee."})
    assert response.status_code == 200
    assert "kan niet bij een bericht met status" in response.content.decode()
    post.refresh_from_db()
    assert post.status == Status.DRAFT
    assert editor_client.get(step_url(post, "submit")).status_code == 404  # the author's step


# --- editing a guest's text -------------------------------------------------------------------

@pytest.mark.django_db
def test_editor_edits_text_intro_tags_through_optimistic_locking(editor_client, guest, editor):
    post = SubmittedPostFactory(author=guest, body_markdown="Tekst van de gast.")
    trend = TrendFactory(title="Social media is booming")
    response = editor_client.post(change_url(post), form_data(
        post, intro="Hans Versteegh is opbouwwerker.", body_markdown="Tekst van de gast, verbeterd.",
        tags="social media, vrijwilligers", trend=trend.pk, status=Status.APPROVED,
    ))
    assert response.status_code == 302, response.context["adminform"].form.errors
    post.refresh_from_db()
    assert post.body_markdown == "Tekst van de gast, verbeterd."
    assert "<p>Hans Versteegh is opbouwwerker.</p>" in post.intro_html
    assert sorted(post.tags.names()) == ["social media", "vrijwilligers"]
    assert post.trend == trend
    assert post.version == 2
    assert post.status == Status.SUBMITTED  # status is never a form field
    assert post.events.get().kind == PostEvent.Kind.EDIT


@pytest.mark.django_db
def test_a_stale_form_shows_both_versions_and_loses_nothing(editor_client, guest):
    post = SubmittedPostFactory(author=guest, body_markdown="Origineel.")
    loaded = post.version
    other = EditorFactory()
    editing.save_post(post=post, actor=other, expected_version=loaded,
                      fields={"body_markdown": "De versie van de collega."})
    response = editor_client.post(change_url(post), form_data(
        post, loaded_version=loaded, body_markdown="Mijn eigen verbetering."))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit bericht opgeslagen" in html
    assert "De versie van de collega." in html  # theirs, shown
    assert "Mijn eigen verbetering.</textarea>" in html  # mine, still in the form
    post.refresh_from_db()
    assert post.body_markdown == "De versie van de collega."
    # Saving again (having seen both) keeps mine.
    new_version = re.search(r'name="loaded_version" value="(\d+)"', html)[1]
    assert int(new_version) == post.version
    response = editor_client.post(change_url(post), form_data(
        post, loaded_version=new_version, body_markdown="Mijn eigen verbetering."))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body_markdown == "Mijn eigen verbetering."


@pytest.mark.django_db(transaction=True)
def test_a_save_that_loses_the_race_is_a_conflict_not_an_error(editor_client, guest, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs a second connection that commits while the request's transaction "
                    "is open; SQLite's in-memory test database locks whole tables")
    import threading

    post = SubmittedPostFactory(author=guest, body_markdown="Origineel.")
    real_save = editing.save_post

    def colleague_saves_first(**kwargs):
        # The colleague's save commits (on its own connection) between our form's version
        # check and our write.
        def colleague():
            Post.objects.filter(pk=post.pk).update(version=post.version + 1,
                                                   body_markdown="Tussendoor.")
            connection.close()

        thread = threading.Thread(target=colleague)
        thread.start()
        thread.join()
        monkeypatch.setattr(editing, "save_post", real_save)
        return real_save(**kwargs)

    monkeypatch.setattr(editing, "save_post", colleague_saves_first)
    response = editor_client.post(change_url(post), form_data(post, body_markdown="Van mij."))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft dit bericht opgeslagen" in html and "Tussendoor." in html
    assert "Van mij.</textarea>" in html
    post.refresh_from_db()
    assert post.body_markdown == "Tussendoor."
    assert not post.events.exists()


@pytest.mark.django_db
def test_featured_image_upload_needs_alt_text(editor_client, guest, make_image):
    post = SubmittedPostFactory(author=guest)
    upload = SimpleUploadedFile("foto.jpg", make_image("JPEG", (1600, 900)), "image/jpeg")
    response = editor_client.post(change_url(post), form_data(post, image_upload=upload))
    assert response.status_code == 200
    assert "Beschrijf wat er op de afbeelding te zien is" in response.content.decode()
    assert not Image.objects.exists()

    upload = SimpleUploadedFile("foto.jpg", make_image("JPEG", (1600, 900)), "image/jpeg")
    response = editor_client.post(change_url(post), form_data(
        post, image_upload=upload, featured_image_alt="Vrijwilligers in de buurttuin"))
    assert response.status_code == 302
    post.refresh_from_db()
    image = Image.objects.get()
    assert post.featured_image == image and image.uploaded_by.is_staff
    assert set(image.renditions) == {"400", "800", "1600"}


@pytest.mark.django_db
def test_a_bad_image_is_a_form_error(editor_client, guest):
    post = SubmittedPostFactory(author=guest)
    upload = SimpleUploadedFile("foto.jpg", b"dit is geen afbeelding", "image/jpeg")
    response = editor_client.post(change_url(post), form_data(
        post, image_upload=upload, featured_image_alt="x", title="Nieuwe titel"))
    assert response.status_code == 200
    assert "geen geldige afbeelding" in response.content.decode()
    post.refresh_from_db()
    assert post.title != "Nieuwe titel" and not Image.objects.exists()


def media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} \
        if root.exists() else set()


@pytest.mark.django_db
def test_a_refused_form_or_a_colleagues_newer_save_leaves_no_image_files(
    editor_client, guest, make_image, settings
):
    post = SubmittedPostFactory(author=guest)
    upload = SimpleUploadedFile("foto.jpg", make_image("JPEG", (1600, 900)), "image/jpeg")
    response = editor_client.post(change_url(post), form_data(post, image_upload=upload))
    assert "Beschrijf wat er op de afbeelding te zien is" in response.content.decode()
    assert media_files(settings) == set()

    Post.objects.filter(pk=post.pk).update(version=post.version + 1)  # a colleague saved
    upload = SimpleUploadedFile("foto.jpg", make_image("JPEG", (1600, 900)), "image/jpeg")
    response = editor_client.post(change_url(post), form_data(
        post, image_upload=upload, featured_image_alt="Vrijwilligers in de buurttuin"))
    assert "Iemand anders heeft dit bericht opgeslagen" in response.content.decode()
    assert media_files(settings) == set() and not Image.objects.exists()


@pytest.mark.django_db
def test_a_save_that_fails_after_the_upload_leaves_no_image_files(
    editor_client, guest, make_image, settings, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(editing, "save_post", broken)
    post = SubmittedPostFactory(author=guest)
    upload = SimpleUploadedFile("foto.jpg", make_image("JPEG", (1600, 900)), "image/jpeg")
    with pytest.raises(RuntimeError):
        editor_client.post(change_url(post), form_data(
            post, image_upload=upload, featured_image_alt="Vrijwilligers in de buurttuin"))
    assert media_files(settings) == set() and not Image.objects.exists()


@pytest.mark.django_db
def test_a_save_retried_after_a_conflict_keeps_only_the_saved_images_files(
    editor_client, guest, make_image, settings, monkeypatch
):
    real_save = editing.save_post

    def conflict_once(**kwargs):
        monkeypatch.setattr(editing, "save_post", real_save)
        raise editing.EditConflict(kwargs["post"])

    monkeypatch.setattr(editing, "save_post", conflict_once)
    post = SubmittedPostFactory(author=guest)
    upload = SimpleUploadedFile("foto.jpg", make_image("JPEG", (1600, 900)), "image/jpeg")
    response = editor_client.post(change_url(post), form_data(
        post, image_upload=upload, featured_image_alt="Vrijwilligers in de buurttuin"))
    assert response.status_code == 302
    image = Image.objects.get()
    post.refresh_from_db()
    assert post.featured_image == image
    assert media_files(settings) == set(image.renditions.values())


@pytest.mark.django_db
def test_editor_writes_an_own_post(editor_client, editor):
    response = editor_client.post(reverse("admin:blog_post_add"), {
        "title": "Marketing voor welzijnswerkers", "slug": "", "author": editor.pk,
        "body_markdown": "Zet jezelf in als boegbeeld.", "tags": "marketing",
        "allow_comments": "on",
    })
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.author, post.status, post.slug) == (editor, Status.DRAFT,
                                                     "marketing-voor-welzijnswerkers")
    assert list(post.tags.names()) == ["marketing"]


# --- bulk actions -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_bulk_approve_takes_consecutive_free_slots(editor_client, guest, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    series = SeriesFactory()
    posts = [SubmittedPostFactory(author=guest, series=series, series_position=i)
             for i in (3, 1, 2)]
    from blog.planner import free_slots

    first = free_slots(1)[0]
    taken = ScheduledPostFactory(publish_at=free_slots(2)[1])  # the second free day is taken
    expected = free_slots(3, exclude_pks=[p.pk for p in posts])
    assert timezone.localtime(taken.publish_at).date() not in {
        timezone.localtime(s).date() for s in expected}
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:blog_post_changelist"), {
            "action": "approve_and_schedule", "_selected_action": [p.pk for p in posts]})
    assert response.status_code == 302
    by_position = sorted(Post.objects.filter(series=series), key=lambda p: p.series_position)
    assert [p.status for p in by_position] == [Status.APPROVED] * 3
    assert [p.publish_at for p in by_position] == expected
    assert by_position[0].publish_at == first
    assert len(mailoutbox) == 3


@pytest.mark.django_db
def test_bulk_approve_is_all_or_nothing(editor_client, guest):
    ok = SubmittedPostFactory(author=guest)
    rejected = PostFactory(author=guest, status=Status.REJECTED, title="Afgewezen stuk")
    response = editor_client.post(reverse("admin:blog_post_changelist"), {
        "action": "approve_and_schedule", "_selected_action": [ok.pk, rejected.pk]},
        follow=True)
    assert "Niets ingepland" in response.content.decode()
    assert "Afgewezen stuk" in response.content.decode()
    ok.refresh_from_db()
    assert ok.status == Status.SUBMITTED


@pytest.mark.django_db
def test_bulk_request_changes_with_one_note(editor_client, guest, other_guest, mailoutbox,
                                            django_capture_on_commit_callbacks):
    posts = [SubmittedPostFactory(author=guest), SubmittedPostFactory(author=other_guest)]
    url = reverse("admin:blog_post_changelist")
    selected = {"action": "request_changes_bulk", "_selected_action": [p.pk for p in posts]}
    confirm = editor_client.post(url, selected)
    assert confirm.status_code == 200
    assert "Elke auteur krijgt dezelfde toelichting" in confirm.content.decode()
    empty = editor_client.post(url, {**selected, "apply": "1", "note": ""})
    assert "Schrijf een toelichting voor de auteurs." in empty.content.decode()
    assert set(Post.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    with django_capture_on_commit_callbacks(execute=True):
        done = editor_client.post(url, {**selected, "apply": "1", "note": "Graag een foto erbij."})
    assert done.status_code == 302
    assert set(Post.objects.values_list("status", flat=True)) == {Status.CHANGES_REQUESTED}
    assert set(PostEvent.objects.values_list("note", flat=True)) == {"Graag een foto erbij."}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([guest.email, other_guest.email])


@pytest.mark.django_db
def test_every_trend_choice_in_the_admin_names_its_year(editor_client):
    from tests.factories import TrendListFactory
    from trends.forms import TrendChoiceField
    from trends.models import Trend

    old = TrendFactory(trend_list=TrendListFactory(year=2010), number=1, title="Social media")
    new = TrendFactory(trend_list=TrendListFactory(year=2026), number=1, title="Krapte")
    LivePostFactory(trend=old)
    post = SubmittedPostFactory(trend=new)
    # The post form, the invitation form: every select of trends.
    for url in (reverse("admin:blog_post_change", args=[post.pk]),
                reverse("admin:blog_post_add"), reverse("admin:guests_invitation_add")):
        response = editor_client.get(url)
        form = response.context["adminform"].form
        fields = [f for f in form.fields.values()
                  if getattr(getattr(f, "queryset", None), "model", None) is Trend]
        assert fields and all(isinstance(f, TrendChoiceField) for f in fields), url
        html = response.content.decode()
        assert "2010 · 1. Social media" in html and "2026 · 1. Krapte" in html, url
    # The list filters on trend.
    html = editor_client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert "2010 · 1. Social media" in html and "2026 · 1. Krapte" in html
    html = editor_client.get(reverse("admin:guests_invitation_changelist")).content.decode()
    assert "2010 · 1. Social media" not in html  # no invitation names that trend


@pytest.mark.django_db
def test_every_trend_foreign_key_in_the_admin_uses_the_year_field():
    from django.contrib import admin
    from django.test import RequestFactory

    from trends.forms import TrendChoiceField
    from trends.models import Trend

    request = RequestFactory().get("/beheer/")
    request.user = EditorFactory()
    checked = 0
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if getattr(field, "related_model", None) is Trend and field.concrete and \
                    field.name in model_admin.get_form(request).base_fields:
                formfield = model_admin.get_form(request).base_fields[field.name]
                assert isinstance(formfield, TrendChoiceField), f"{model._meta.label}.{field.name}"
                checked += 1
    assert checked >= 2  # posts and invitations

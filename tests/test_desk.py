"""The writing desk: dashboard, new/edit form, buttons, previews, history, live preview."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from blog import editing, preview, workflow
from blog.models import Post, Status
from core import content
from guests import invitations
from tests.factories import (
    InvitationFactory,
    LivePostFactory,
    PostFactory,
    ScheduledPostFactory,
    SeriesFactory,
    SubmittedPostFactory,
    TrendFactory,
)


def form_data(post, **changes):
    data = {
        "version": post.version,
        "title": post.title,
        "body_markdown": post.body_markdown,
        "featured_image_alt": post.featured_image_alt,
        "tags": ", ".join(sorted(post.tags.names())),
        "trend": post.trend_id or "",
    }
    data.update(changes)
    return data


def edit_url(post):
    return reverse("desk:edit", kwargs={"pk": post.pk})


def buttons_on(html: str) -> set[str]:
    return set(re.findall(r'name="transition" value="([a-z_]+)"', html))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- dashboard ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_lists_only_own_posts_with_status_in_words(guest_client, guest, other_guest):
    PostFactory(author=guest, title="Mijn concept")
    PostFactory(author=guest, title="Mijn ingediende", status=Status.SUBMITTED)
    publish_at = timezone.now() + timedelta(days=3)
    ScheduledPostFactory(author=guest, title="Mijn ingeplande", publish_at=publish_at)
    LivePostFactory(author=guest, title="Mijn gepubliceerde")
    PostFactory(author=other_guest, title="Van een ander")

    html = guest_client.get(reverse("desk:dashboard")).content.decode()

    assert "Mijn concept" in html and "Mijn ingediende" in html
    assert "Van een ander" not in html
    for label in ["Concept", "Ingediend", "Gepubliceerd"]:
        assert f">{label}<" in html
    scheduled = Post.objects.get(title="Mijn ingeplande")
    assert scheduled.status_label() in html and "Ingepland voor" in html


@pytest.mark.django_db
def test_dashboard_shows_the_editors_latest_note_and_what_to_do(guest_client, guest, editor):
    post = PostFactory(author=guest, title="Over jongerenwerk")
    workflow.submit(post=post, actor=guest)
    note = "Mooi begin.\n\nKun je het tweede deel inkorten en een voorbeeld uit de praktijk geven?"
    workflow.request_changes(post=post, actor=editor, note=note)

    html = guest_client.get(reverse("desk:dashboard")).content.decode()

    assert "Aanpassingen gevraagd" in html
    assert "Kun je het tweede deel inkorten en een voorbeeld uit de praktijk geven?" in html
    assert "Mooi begin." in html
    assert "dien het opnieuw in" in html


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_the_number_of_posts(
    guest_client, guest, editor, django_assert_max_num_queries
):
    def load():
        with django_assert_max_num_queries(8):
            response = guest_client.get(reverse("desk:dashboard"))
        assert response.status_code == 200
        return response

    for _ in range(2):
        post = PostFactory(author=guest, trend=TrendFactory())
        workflow.submit(post=post, actor=guest)
        workflow.request_changes(post=post, actor=editor, note="Graag korter.")
    load()
    for _ in range(20):
        post = PostFactory(author=guest, trend=TrendFactory(), series=SeriesFactory())
        workflow.submit(post=post, actor=guest)
        workflow.request_changes(post=post, actor=editor, note="Graag korter.")
    assert load().content.decode().count("Graag korter.") == 22


# --- writing -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_new_post_is_prefilled_from_the_invitation(client, editor):
    trend = TrendFactory(title="Social media is booming")
    series = SeriesFactory(title="Gastbloggers blikken terug")
    invitation = invitations.create_invitation(
        email="nieuw@example.org", invited_by=editor, trend=trend, series=series, send=False
    )
    user = invitations.accept_invitation(
        invitation=invitation, password="Een-lang-wachtwoord-9", profile={"display_name": "Nel"}
    )
    client.force_login(user)

    page = client.get(reverse("desk:new")).content.decode()
    assert re.search(rf'<option value="{trend.pk}" selected>', page)

    response = client.post(reverse("desk:new"), {
        "version": 1, "title": "Terugblik", "body_markdown": "Het was een **goed** jaar.",
        "tags": "sociale media, jongeren", "trend": trend.pk,
    })
    post = Post.objects.by_author(user).get()
    assert response.status_code == 302 and response["Location"] == edit_url(post)
    assert (post.status, post.trend, post.series) == (Status.DRAFT, trend, series)
    assert "<strong>goed</strong>" in post.body_html
    assert sorted(post.tags.names()) == ["jongeren", "sociale media"]


@pytest.mark.django_db
def test_saving_keeps_the_text_and_bumps_the_version(guest_client, guest):
    post = PostFactory(author=guest)
    response = guest_client.post(edit_url(post), form_data(
        post, title="Nieuwe titel", body_markdown="## Kop\n\nTekst.", tags="welzijn"
    ))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Nieuwe titel" and post.version == 2
    assert "<h2>Kop</h2>" in post.body_html  # the first heading level used becomes <h2>
    assert list(post.tags.names()) == ["welzijn"]


@pytest.mark.django_db
def test_invalid_input_keeps_what_was_typed(guest_client, guest):
    post = PostFactory(author=guest)
    response = guest_client.post(edit_url(post), form_data(
        post, title="", body_markdown="Mijn zorgvuldig geschreven alinea."
    ))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mijn zorgvuldig geschreven alinea." in html
    assert "Dit veld is verplicht" in html
    post.refresh_from_db()
    assert post.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED, Status.REJECTED])
def test_form_is_read_only_outside_draft_and_changes_requested(guest_client, guest, status):
    publish_at = timezone.now() + timedelta(days=2) if status == Status.APPROVED else None
    post = PostFactory(author=guest, status=status, publish_at=publish_at)
    html = guest_client.get(edit_url(post)).content.decode()
    assert re.search(r'<textarea[^>]*name="body_markdown"[^>]*disabled', html)
    assert 'class="notice read-only-reason"' in html
    assert "Opslaan</button>" not in html

    response = guest_client.post(edit_url(post), form_data(post, body_markdown="Stiekem anders."))
    assert response.status_code == 409
    assert "Stiekem anders." in response.content.decode()  # nothing typed is lost
    post.refresh_from_db()
    assert post.body_markdown != "Stiekem anders." and post.version == 1


@pytest.mark.django_db
def test_read_only_reason_says_why(guest_client, guest):
    post = PostFactory(author=guest, status=Status.SUBMITTED)
    html = guest_client.get(edit_url(post)).content.decode()
    assert "ligt bij de redactie" in html and "Trek het dan terug" in html


# --- buttons and transitions ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status.values))
def test_buttons_are_exactly_the_allowed_transitions(guest_client, guest, status):
    publish_at = timezone.now() + timedelta(days=2) if status == Status.APPROVED else None
    post = PostFactory(author=guest, status=status, publish_at=publish_at)
    html = guest_client.get(edit_url(post)).content.decode()
    allowed = {t.name for t in workflow.allowed_transitions(post, guest)}
    assert buttons_on(html) == allowed


@pytest.mark.django_db
def test_an_editor_writing_at_the_desk_gets_the_editor_moves_for_own_posts(editor_client, editor):
    post = PostFactory(author=editor, status=Status.SUBMITTED)
    html = editor_client.get(edit_url(post)).content.decode()
    assert buttons_on(html) == {"withdraw", "request_changes", "approve", "reject"}
    assert 'name="note"' in html and 'name="publish_at"' in html


@pytest.mark.django_db
def test_save_and_submit_then_withdraw_then_resubmit(
    guest_client, guest, editor, mailoutbox, django_capture_on_commit_callbacks
):
    post = PostFactory(author=guest, title="Trend 3")
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_client.post(
            edit_url(post), form_data(post, body_markdown="Ingekorte tekst.", transition="submit"),
            follow=True,
        )
    post.refresh_from_db()
    assert (post.status, post.body_markdown) == (Status.SUBMITTED, "Ingekorte tekst.")
    assert any("ingediend" in m for m in messages_of(response))
    assert [m.subject for m in mailoutbox] == ["Nieuw ingediend: Trend 3"]

    url = reverse("desk:transition", kwargs={"pk": post.pk, "name": "withdraw"})
    response = guest_client.post(url)
    assert response.status_code == 302 and response["Location"] == edit_url(post)
    post.refresh_from_db()
    assert post.status == Status.DRAFT

    workflow.submit(post=post, actor=guest)
    workflow.request_changes(post=post, actor=editor, note="Een voorbeeld graag.")
    html = guest_client.get(edit_url(post)).content.decode()
    assert "Opslaan en opnieuw indienen" in html and "Een voorbeeld graag." in html
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        guest_client.post(edit_url(post), form_data(
            post, body_markdown="Ingekorte tekst, met een voorbeeld.", transition="submit"
        ))
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED
    assert [m.subject for m in mailoutbox] == ["Opnieuw ingediend: Trend 3"]
    assert [e.action for e in post.events.all()] == [
        "submit", "withdraw", "submit", "request_changes", "submit"
    ]


@pytest.mark.django_db
def test_submit_button_outside_the_form_works_too(guest_client, guest):
    post = PostFactory(author=guest)
    guest_client.post(reverse("desk:transition", kwargs={"pk": post.pk, "name": "submit"}))
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_refused_move_explains_itself_and_changes_nothing(guest_client, guest):
    post = PostFactory(author=guest)
    response = guest_client.post(
        reverse("desk:transition", kwargs={"pk": post.pk, "name": "withdraw"}), follow=True
    )
    assert any("kan niet bij een bericht met status" in m for m in messages_of(response))
    post.refresh_from_db()
    assert post.status == Status.DRAFT and not post.events.exists()


@pytest.mark.django_db
def test_an_empty_post_cannot_be_submitted(guest_client, guest):
    post = PostFactory(author=guest, body_markdown="")
    response = guest_client.post(
        reverse("desk:transition", kwargs={"pk": post.pk, "name": "submit"}), follow=True
    )
    assert any("titel en tekst nodig" in m for m in messages_of(response))
    post.refresh_from_db()
    assert post.status == Status.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["approve", "request_changes", "reject", "reopen"])
def test_a_guest_cannot_make_editor_moves_on_own_post(guest_client, guest, name):
    post = PostFactory(author=guest, status=Status.SUBMITTED)
    response = guest_client.post(
        reverse("desk:transition", kwargs={"pk": post.pk, "name": name}), {"note": "Ja!"}
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED


@pytest.mark.django_db
def test_unknown_move_is_404_and_get_is_405(guest_client, guest):
    post = PostFactory(author=guest)
    url = reverse("desk:transition", kwargs={"pk": post.pk, "name": "publish_now"})
    assert guest_client.post(url).status_code == 404
    url = reverse("desk:transition", kwargs={"pk": post.pk, "name": "submit"})
    assert guest_client.get(url).status_code == 405


@pytest.mark.django_db
def test_editor_approves_own_post_for_a_chosen_moment_at_the_desk(editor_client, editor):
    post = PostFactory(author=editor)
    editor_client.post(reverse("desk:transition", kwargs={"pk": post.pk, "name": "approve"}),
                       {"publish_at": "2030-12-14T07:00"})
    post.refresh_from_db()
    assert post.status == Status.APPROVED
    local = timezone.localtime(post.publish_at)
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2030, 12, 14, 7, 0)
    assert post.status_label(now=post.publish_at - timedelta(days=1)) == \
        "Ingepland voor 14 december 07:00"


# --- the editor's note -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_note_asking_for_changes_is_on_the_desk_and_in_the_mail_in_full(
    guest_client, guest, editor, mailoutbox, django_capture_on_commit_callbacks
):
    post = PostFactory(author=guest, title="Trend 5")
    workflow.submit(post=post, actor=guest)
    note = ("Dank je! Drie dingen:\n1. De inleiding mag korter.\n2. Noem een bron voor het "
            "cijfer.\n3. Eindig met een vraag aan de lezer.")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(post=post, actor=editor, note=note)
    html = guest_client.get(edit_url(post)).content.decode()
    assert "De redactie vraagt om aanpassingen" in html
    for line in note.splitlines():
        assert line in html
    (mail,) = mailoutbox
    assert note in mail.body


# --- concurrent edits --------------------------------------------------------------------


@pytest.mark.django_db
def test_second_of_two_loaded_forms_is_refused_and_both_texts_are_shown(
    make_client, guest, editor
):
    post = PostFactory(author=guest, body_markdown="De eerste versie.")
    first, second = make_client(guest), make_client(guest)
    loaded_first = form_data(post)
    loaded_second = form_data(post)
    assert first.get(edit_url(post)).status_code == second.get(edit_url(post)).status_code == 200

    first.post(edit_url(post), {**loaded_first, "body_markdown": "Tekst uit venster een."})
    response = second.post(edit_url(post),
                           {**loaded_second, "body_markdown": "Tekst uit venster twee."})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Niet opgeslagen" in html
    assert "Tekst uit venster een." in html  # the stored text
    assert "Tekst uit venster twee." in html  # the refused text, still in the form
    post.refresh_from_db()
    assert post.body_markdown == "Tekst uit venster een." and post.version == 2
    # The form now carries the stored version: saving again is a deliberate replace.
    assert re.search(r'name="version" value="2"', html)
    response = second.post(edit_url(post), {**loaded_second, "version": 2,
                                             "body_markdown": "Samengevoegde tekst."})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body_markdown == "Samengevoegde tekst." and post.version == 3


@pytest.mark.django_db
def test_an_editors_save_in_between_is_not_overwritten(guest_client, guest, editor):
    post = PostFactory(author=guest, status=Status.CHANGES_REQUESTED, body_markdown="Oud.")
    loaded = form_data(post)
    editing.save_post(post=post, actor=editor, expected_version=post.version,
                      fields={"body_markdown": "Redactie verbeterde een zin."})
    response = guest_client.post(edit_url(post), {**loaded, "body_markdown": "Gast schreef dit."})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Redactie verbeterde een zin." in html and "Gast schreef dit." in html
    post.refresh_from_db()
    assert post.body_markdown == "Redactie verbeterde een zin."


@pytest.mark.django_db
def test_a_stale_form_for_a_post_submitted_meanwhile_hears_why(guest_client, guest, editor):
    post = PostFactory(author=guest)
    loaded = form_data(post)
    workflow.submit(post=post, actor=guest)
    editing.save_post(post=post, actor=editor, expected_version=1,
                      fields={"body_markdown": "Redactie."})
    response = guest_client.post(edit_url(post), {**loaded, "body_markdown": "Mijn laatste zin."})
    assert response.status_code == 409
    html = response.content.decode()
    assert "kan nu niet worden bewerkt" in html and "Mijn laatste zin." in html
    post.refresh_from_db()
    assert post.body_markdown == "Redactie."


@pytest.mark.django_db
def test_a_stranger_with_a_stale_version_learns_nothing_of_the_text(guest, other_guest):
    post = PostFactory(author=guest)
    editing.save_post(post=post, actor=guest, expected_version=1, fields={"title": "Nieuw"})
    with pytest.raises(PermissionDenied):
        editing.save_post(post=post, actor=other_guest, expected_version=1,
                          fields={"title": "Van mij"})


# --- live preview ------------------------------------------------------------------------


@pytest.mark.django_db
def test_live_preview_uses_the_published_pages_rendering(guest_client):
    text = "# Kop\n\nEen **vet** woord en <script>alert(1)</script> [link](javascript:alert(1))"
    response = guest_client.post(reverse("preview:markdown"), {"body": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    html = response.json()["html"]
    assert html == content.render_markdown(text)
    assert "<strong>vet</strong>" in html and "<script" not in html and "javascript:" not in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_live_preview_needs_a_login_and_a_post(make_client, guest_client):
    response = make_client().post(reverse("preview:markdown"), {"body": "x"})
    assert response.status_code == 403 and "ingelogd" in response.json()["error"]
    assert guest_client.get(reverse("preview:markdown")).status_code == 405


# --- previews ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_desk_preview_renders_the_readers_page_with_a_banner(guest_client, guest):
    post = PostFactory(author=guest, title="Vooruitblik", body_markdown="Een **stevige** tekst.",
                       tags=["jeugd"])
    response = guest_client.get(reverse("desk:preview", kwargs={"pk": post.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "blog/post_detail.html" in [t.name for t in response.templates]
    assert 'class="preview-banner"' in html and "Voorbeeld" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "<h1>Vooruitblik</h1>" in html and "<strong>stevige</strong>" in html
    cache = response["Cache-Control"]
    assert "private" in cache and "no-store" in cache
    assert 'rel="canonical"' not in html  # it has no public address yet
    assert post.author.profile.display_name in html


@pytest.mark.django_db
def test_signed_preview_link_works_without_account_until_the_text_changes(
    make_client, guest_client, guest
):
    client = make_client()
    post = PostFactory(author=guest, title="Voor de collega")
    share = guest_client.get(reverse("desk:preview", kwargs={"pk": post.pk})).content.decode()
    path = re.search(r'value="https://welzijn\.test(/voorbeeld/[^"]+/)"', share).group(1)
    assert preview.post_for_token(path.split("/")[2]) == post

    response = client.get(path)
    assert response.status_code == 200
    assert "<h1>Voor de collega</h1>" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()

    guest_client.post(edit_url(post), form_data(post, title="Voor de collega, herzien"))
    response = client.get(path)
    assert response.status_code == 404
    assert "niet meer beschikbaar" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_signed_preview_link_expires(client, guest, settings):
    post = PostFactory(author=guest)
    path = preview.preview_url(post)
    later = timezone.now() + timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE + 60)
    with time_machine.travel(later):
        response = client.get(path)
    assert response.status_code == 404
    assert "verlopen" in response.content.decode()


@pytest.mark.django_db
def test_a_tampered_preview_link_is_a_clear_404(client):
    response = client.get(reverse("preview:post", kwargs={"token": "niet-echt"}))
    assert response.status_code == 404
    assert "niet meer beschikbaar" in response.content.decode()


# --- history -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_history_shows_what_changed_since_submitting_and_since_the_review(
    guest_client, guest, editor
):
    post = PostFactory(author=guest, body_markdown="De kat zit op de mat.")
    workflow.submit(post=post, actor=guest)
    workflow.request_changes(post=post, actor=editor, note="Een ander dier misschien?")
    post.refresh_from_db()
    editing.save_post(post=post, actor=guest, expected_version=post.version,
                      fields={"body_markdown": "De hond zit op de mat."})

    html = guest_client.get(reverse("desk:history", kwargs={"pk": post.pk})).content.decode()

    assert "Sinds je het indiende" in html
    assert "Sinds de laatste beoordeling door de redactie" in html
    assert html.count("<del>kat</del>") == 2 and html.count("<ins>hond</ins>") == 2
    assert "Een ander dier misschien?" in html  # the timeline keeps the note
    assert "van ingediend naar aanpassingen gevraagd" in html


@pytest.mark.django_db
def test_history_of_a_draft_says_there_is_nothing_yet(guest_client, guest):
    post = PostFactory(author=guest)
    html = guest_client.get(reverse("desk:history", kwargs={"pk": post.pk})).content.decode()
    assert "nog niet ingediend" in html


@pytest.mark.django_db
def test_invitation_is_shown_on_the_dashboard(client, editor):
    trend = TrendFactory(title="Participatie")
    invitation = InvitationFactory(trend=trend, message="Jij weet hier alles van!")
    user = invitations.accept_invitation(invitation=invitation, password="Lang-genoeg-wachtwoord-1",
                                         profile={"display_name": "Gijs"})
    client.force_login(user)
    html = client.get(reverse("desk:dashboard")).content.decode()
    assert "Participatie" in html and "Jij weet hier alles van!" in html


# --- autosave ----------------------------------------------------------------------------

SESSION = "7f1c2a9e-0b6d-4c1e-9f00-1234567890ab"


def autosave(client, post, **data):
    url = reverse("desk:autosave", args=[post.pk]) if post else reverse("desk:autosave-new")
    return client.post(url, {"session": SESSION, "version": 1, "title": "", **data})


@pytest.mark.django_db
def test_autosave_saves_the_text_and_says_when_in_amsterdam_time(guest_client, guest):
    post = PostFactory(author=guest, title="Oud", body_markdown="Oud.")
    with time_machine.travel(datetime(2026, 7, 1, 12, 32, tzinfo=UTC), tick=False):
        response = autosave(guest_client, post, body_markdown="Nieuw **vet**.", title="Nieuw")
    assert response.status_code == 200
    assert response.json() == {"version": 2, "saved_at": "14:32",
                               "message": "Opgeslagen om 14:32"}  # CEST
    assert "no-store" in response["Cache-Control"]
    post.refresh_from_db()
    assert (post.title, post.body_markdown, post.version) == ("Nieuw", "Nieuw **vet**.", 2)
    assert "<strong>vet</strong>" in post.body_html
    # An empty title keeps the stored one.
    autosave(guest_client, post, version=2, body_markdown="Nog nieuwer.")
    post.refresh_from_db()
    assert (post.title, post.body_markdown) == ("Nieuw", "Nog nieuwer.")


@pytest.mark.django_db
def test_autosave_keeps_one_revision_per_session(guest_client, guest):
    post = PostFactory(author=guest, body_markdown="Begin.")
    before = post.history.count()
    for version, text in enumerate(["Begin. A", "Begin. AB", "Begin. ABC"], start=1):
        assert autosave(guest_client, post, version=version, body_markdown=text).status_code == 200
    assert post.history.count() == before + 1
    assert post.history.first().body_markdown == "Begin. ABC"
    assert post.history.first().version == 4
    # Another session (another tab, the next day) is a revision of its own.
    response = guest_client.post(reverse("desk:autosave", args=[post.pk]), {
        "session": "another-session-1234", "version": 4, "body_markdown": "Later."})
    assert response.status_code == 200
    assert post.history.count() == before + 2
    # So is a save by hand between two autosaves of one session.
    guest_client.post(reverse("desk:edit", args=[post.pk]), {
        "version": 5, "title": post.title, "body_markdown": "Met de hand.", "tags": ""})
    autosave(guest_client, post, version=6, body_markdown="Weer automatisch.")
    assert post.history.count() == before + 4
    assert list(post.history.values_list("body_markdown", flat=True)[:3]) == [
        "Weer automatisch.", "Met de hand.", "Later."]


@pytest.mark.django_db
def test_autosave_never_overwrites_a_newer_save(guest_client, guest):
    post = PostFactory(author=guest, body_markdown="Van de gast.")
    editing.save_post(post=post, actor=guest, expected_version=1,
                      fields={"body_markdown": "In een ander venster."})
    response = autosave(guest_client, post, version=1, body_markdown="Verouderd venster.")
    assert response.status_code == 409 and response.json()["conflict"] is True
    assert "Opslaan" in response.json()["error"]
    post.refresh_from_db()
    assert post.body_markdown == "In een ander venster."


@pytest.mark.django_db
def test_autosave_refuses_what_may_not_be_edited(make_client, guest, other_guest, editor):
    post = PostFactory(author=guest, body_markdown="Van de gast.")
    anonymous = autosave(make_client(), post, body_markdown="x")
    assert anonymous.status_code == 403 and anonymous.json()["login"] is True
    assert "ingelogd" in anonymous.json()["error"]
    assert autosave(make_client(other_guest), post, body_markdown="x").status_code == 404
    assert autosave(make_client(editor), post, body_markdown="x").status_code == 404  # desk
    submitted = SubmittedPostFactory(author=guest, body_markdown="Ingediend.")
    refused = autosave(make_client(guest), submitted, body_markdown="x")
    assert refused.status_code == 409 and "ingediend" in refused.json()["error"]
    assert make_client(guest).get(reverse("desk:autosave", args=[post.pk])).status_code == 405
    too_long = autosave(make_client(guest), post, body_markdown="x" * 100_001)
    assert too_long.status_code == 400 and "te lang" in too_long.json()["error"]
    bad_session = autosave(make_client(guest), post, body_markdown="x", session="../x")
    assert bad_session.status_code == 400
    post.refresh_from_db()
    assert post.body_markdown == "Van de gast." and post.version == 1


@pytest.mark.django_db
def test_autosave_needs_the_csrf_token(guest):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(guest)
    post = PostFactory(author=guest)
    assert autosave(client, post, body_markdown="x").status_code == 403
    post.refresh_from_db()
    assert post.version == 1


@pytest.mark.django_db
def test_autosave_of_a_new_post_creates_the_draft_once_it_has_a_title(guest_client, guest):
    untitled = autosave(guest_client, None, body_markdown="Nog geen titel.")
    assert untitled.status_code == 400 and untitled.json()["needs_title"] is True
    assert not Post.objects.exists()
    response = autosave(guest_client, None, title="Vrijwilligers", body_markdown="Tekst.")
    assert response.status_code == 201
    post = Post.objects.get()
    data = response.json()
    assert (post.author, post.title, post.status) == (guest, "Vrijwilligers", Status.DRAFT)
    assert data["edit_url"] == reverse("desk:edit", args=[post.pk])
    assert data["autosave_url"] == reverse("desk:autosave", args=[post.pk])
    assert data["version"] == post.version == 1
    # The page then edits that draft with the version it was told.
    assert autosave(guest_client, post, version=1, body_markdown="Meer.").status_code == 200


@pytest.mark.django_db
def test_the_desk_form_carries_what_autosave_needs(guest_client, guest):
    post = PostFactory(author=guest)
    html = guest_client.get(reverse("desk:edit", args=[post.pk])).content.decode()
    assert f'data-autosave-url="{reverse("desk:autosave", args=[post.pk])}"' in html
    assert f'data-user-id="{guest.pk}"' in html and f'data-post-id="{post.pk}"' in html
    assert 'id="autosave-status"' in html and 'id="recovered"' in html
    submitted = SubmittedPostFactory(author=guest)
    html = guest_client.get(reverse("desk:edit", args=[submitted.pk])).content.decode()
    assert "data-autosave-url" not in html  # read-only: nothing to save


@pytest.mark.django_db
def test_the_desk_and_the_admin_use_one_markdown_editor(guest_client, guest, make_client,
                                                        editor):
    from blog.widgets import MarkdownEditor

    post = PostFactory(author=guest, body_markdown="Een **vet** woord.")
    desk = guest_client.get(reverse("desk:edit", args=[post.pk]))
    admin = make_client(editor).get(reverse("admin:blog_post_change", args=[post.pk]))
    for response, form in ((desk, desk.context["form"]),
                           (admin, admin.context["adminform"].form)):
        widget = form.fields["body_markdown"].widget
        assert isinstance(widget, MarkdownEditor)
        html = response.content.decode()
        assert "/static/js/markdown-editor.js" in html
        assert "/static/css/markdown-editor.css" in html
        assert 'role="toolbar"' in html and f'data-render-url="{reverse("preview:markdown")}"' in html
        # Before anything is typed the preview shows the stored, sanitised text.
        assert '<div class="md-preview-body live-preview" id="id_body_markdown_preview">' \
            '<p>Een <strong>vet</strong> woord.</p>' in html

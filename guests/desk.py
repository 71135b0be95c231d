"""The writing desk at /schrijven/: a guest's own posts, and only those, ever.

Every post is fetched through `Post.objects.by_author(request.user)`, so another person's
post is a 404 whatever the URL says. Text is saved by blog.editing (optimistic locking on
`version`); status changes only through blog.workflow, and the buttons a page shows are
exactly `workflow.allowed_transitions(post, user)`. Every page here shows unpublished
content: private, no-store, noindex.
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from blog import editing, images, revisions, workflow
from blog.models import Post, PostEvent, Status
from blog.views.preview import render_preview
from core.http import private_page
from core.images import ImageRejected
from guests.forms import AutosaveForm, PostForm
from guests.invitations import latest_accepted

SUCCESS = {
    "submit": gettext_lazy("Je bericht is ingediend. De redactie krijgt een mail en laat je weten wat "
                "ze ervan vindt."),
    "withdraw": gettext_lazy("Je bericht is teruggetrokken en weer een concept. Je kunt het nu bewerken."),
    "request_changes": gettext_lazy("De auteur krijgt je verzoek om aanpassingen per mail."),
    "approve": gettext_lazy("Goedgekeurd en ingepland."),
    "reject": gettext_lazy("Afgewezen; de auteur krijgt je toelichting per mail."),
    "reschedule": gettext_lazy("De publicatiedatum is verplaatst."),
    "unpublish": gettext_lazy("Teruggezet naar concept."),
    "reopen": gettext_lazy("Heropend als concept."),
}


def own_posts(request):
    return Post.objects.by_author(request.user)


def get_own_post(request, pk) -> Post:
    return get_object_or_404(
        own_posts(request).select_related(
            "featured_image", "trend__trend_list", "series", "author__profile"
        ),
        pk=pk,
    )


def local(moment) -> str:
    return date_format(timezone.localtime(moment), "l j F Y \\o\\m H:i")


def next_step(post: Post, now) -> str:
    """What the author can do now, in words."""
    if post.status == Status.DRAFT:
        return _("Schrijf verder. Klaar? Dien je bericht in, dan kijkt de redactie ernaar.")
    if post.status == Status.SUBMITTED:
        return _("De redactie leest je bericht; je krijgt een mail zodra er nieuws is. Wil je "
                 "nog iets veranderen? Trek het dan terug.")
    if post.status == Status.CHANGES_REQUESTED:
        return _("Pas je bericht aan volgens de opmerking van de redactie en dien het opnieuw "
                 "in.")
    if post.status == Status.APPROVED and post.publish_at and post.publish_at > now:
        return _("Niets meer te doen: je bericht verschijnt %(when)s. Je krijgt een mail als "
                 "het online staat.") % {"when": local(post.publish_at)}
    if post.status == Status.APPROVED:
        return _("Je bericht staat online. Dank je wel!")
    return _("De redactie plaatst dit bericht niet; lees de toelichting.")


def read_only_reason(post: Post, now) -> str:
    if post.status == Status.SUBMITTED:
        return _("Je bericht ligt bij de redactie en kan nu niet worden bewerkt. Wil je nog "
                 "iets veranderen? Trek het dan terug; daarna kun je het opnieuw indienen.")
    if post.status == Status.APPROVED and post.publish_at and post.publish_at > now:
        return _("Je bericht is goedgekeurd en ingepland voor %(when)s. Wil je nog iets "
                 "veranderen? Mail de redactie.") % {"when": local(post.publish_at)}
    if post.status == Status.APPROVED:
        return _("Je bericht staat online en kan hier niet meer worden bewerkt. Wil je nog "
                 "iets veranderen? Mail de redactie.")
    return _("De redactie heeft dit bericht afgewezen; het kan niet meer worden bewerkt.")


def transition_buttons(post: Post, user) -> list[dict]:
    """The allowed moves for this user and status, labelled for the page."""
    buttons = []
    for t in workflow.allowed_transitions(post, user):
        label = t.label
        if t.name == "submit" and post.status == Status.CHANGES_REQUESTED:
            label = _("Opnieuw indienen")
        buttons.append({
            "name": t.name,
            "label": label,
            "needs_note": t.needs_note,
            "needs_date": t.name in {"approve", "reschedule"},
            "date_required": t.name == "reschedule",
            "url": reverse("desk:transition", kwargs={"pk": post.pk, "name": t.name}),
        })
    return buttons


def latest_editor_note(post: Post) -> PostEvent | None:
    """The newest note someone other than the author wrote on this post's timeline."""
    return (
        post.events.exclude(note="").exclude(actor_id=post.author_id)
        .select_related("actor__profile").order_by("-created_at", "-pk").first()
    )


@private_page
@login_required
def dashboard(request):
    now = timezone.now()
    notes = (
        PostEvent.objects.filter(post=OuterRef("pk"))
        .exclude(note="")
        .exclude(actor=OuterRef("author"))
        .order_by("-created_at", "-pk")
    )
    posts = (
        own_posts(request)
        .select_related("trend__trend_list", "series")
        .annotate(
            latest_note=Subquery(notes.values("note")[:1]),
            latest_note_at=Subquery(notes.values("created_at")[:1]),
        )
        .order_by("-updated_at", "-pk")
    )
    rows = [
        {"post": p, "label": p.status_label(now), "next_step": next_step(p, now),
         "editable": p.author_can_edit, "live": p.is_live_at(now)}
        for p in posts
    ]
    return render(request, "desk/dashboard.html", {
        "rows": rows,
        "invitation": latest_accepted(request.user),
    })


def _store_images(request, form, fields: dict) -> dict:
    """Rows for the images the form stored; a body image is appended to the body."""
    data = form.cleaned_data
    if data.get("featured_upload"):
        fields["featured_image"] = images.save_image(
            data["featured_upload"], uploaded_by=request.user
        )
    if data.get("body_image"):
        image = images.save_image(data["body_image"], uploaded_by=request.user)
        body = fields["body_markdown"].rstrip("\n")
        snippet = images.markdown_for(image, data["body_image_alt"])
        fields["body_markdown"] = f"{body}\n\n{snippet}\n" if body else f"{snippet}\n"
    return fields


def _after_save(request, post: Post):
    """Run the transition the save button asked for (e.g. "Opslaan en indienen")."""
    name = request.POST.get("transition", "")
    if name:
        apply_transition(request, post, name)
    else:
        messages.success(request, _("Opgeslagen."))
    return redirect("desk:edit", pk=post.pk)


@private_page
@login_required
def new(request):
    invitation = latest_accepted(request.user)
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    fields = _store_images(request, form, form.content_fields())
                    if invitation and invitation.series_id:
                        fields["series"] = invitation.series
                    post = editing.create_post(
                        author=request.user, fields=fields, tags=form.cleaned_data["tags"]
                    )
            except Exception:
                form.discard_stored_images()
                raise
            return _after_save(request, post)
    else:
        form = PostForm(initial_trend=invitation.trend if invitation else None)
    return render(request, "desk/post_form.html", {
        "form": form, "post": None, "editable": True, "invitation": invitation,
        "buttons": [], "can_submit": True, "submit_label": _("Opslaan en indienen"),
    })


@private_page
@login_required
def edit(request, pk):
    post = get_own_post(request, pk)
    now = timezone.now()
    editable = editing.can_edit(post, request.user)
    status = 200
    conflict = refused = None
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, post=post)
        if form.is_valid():
            try:
                with transaction.atomic():
                    fields = _store_images(request, form, form.content_fields())
                    saved = editing.save_post(
                        post=post, actor=request.user,
                        expected_version=form.cleaned_data["version"],
                        fields=fields, tags=form.cleaned_data["tags"],
                    )
            except editing.EditConflict as exc:
                form.discard_stored_images()
                conflict = exc.current
                # Keep every word typed; the version moves on so that saving again is a
                # deliberate choice to replace the stored text.
                data = request.POST.copy()
                data["version"] = conflict.version
                form = PostForm(data, post=conflict)
                form.is_valid()
                status = 409
            except (workflow.WorkflowError, PermissionDenied) as exc:
                form.discard_stored_images()
                refused = " ".join(getattr(exc, "messages", [str(exc)]))
                status = 409
            except Exception:
                form.discard_stored_images()
                raise
            else:
                return _after_save(request, saved)
    else:
        form = PostForm(post=post, read_only=not editable)

    buttons = transition_buttons(post, request.user)
    submit = next((b for b in buttons if b["name"] == "submit"), None)
    context = {
        "form": form,
        "post": post,
        "editable": editable,
        "read_only_reason": "" if editable else read_only_reason(post, now),
        "label": post.status_label(now),
        "next_step": next_step(post, now),
        "note": latest_editor_note(post),
        "buttons": [b for b in buttons if b["name"] != "submit"],
        "can_submit": submit is not None,
        "submit_label": _("Opslaan en opnieuw indienen")
        if post.status == Status.CHANGES_REQUESTED else _("Opslaan en indienen"),
        "conflict": conflict,
        "refused": refused,
        "live": post.is_live_at(now),
    }
    if conflict is not None:
        context["conflict_diff"] = revisions.word_diff(
            revisions.text_of(conflict),
            "\n\n".join(part for part in [form.data.get("title", ""),
                                          form.data.get("body_markdown", "")] if part.strip()),
        )
    return render(request, "desk/post_form.html", context, status=status)


def parse_local_datetime(value: str) -> datetime | None:
    """A datetime-local value ("2025-12-14T07:00") as an aware Europe/Amsterdam moment."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        naive = datetime.fromisoformat(value)
    except ValueError as exc:
        raise workflow.WorkflowError(_("Dit is geen geldige datum en tijd."), code="date") \
            from exc
    return timezone.make_aware(naive) if timezone.is_naive(naive) else naive


def apply_transition(request, post: Post, name: str) -> bool:
    """Run one workflow move for the signed-in user; a refusal becomes a Dutch message.

    A wrong actor is not a message but PermissionDenied (403), from blog.workflow itself.
    """
    transition = workflow.TRANSITIONS.get(name)
    if transition is None:
        raise Http404
    kwargs = {}
    try:
        if transition.needs_note or name in {"unpublish", "reopen"}:
            kwargs["note"] = request.POST.get("note", "")
        if name in {"approve", "reschedule"}:
            kwargs["publish_at"] = parse_local_datetime(request.POST.get("publish_at", ""))
        getattr(workflow, name)(post=post, actor=request.user, **kwargs)
    except workflow.WorkflowError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, SUCCESS[name])
    return True


@private_page
@login_required
@require_POST
def transition(request, pk, name):
    post = get_own_post(request, pk)
    apply_transition(request, post, name)
    return redirect("desk:edit", pk=post.pk)


@private_page
@login_required
def preview(request, pk):
    post = get_object_or_404(own_posts(request).for_reading(), pk=pk)
    return render_preview(request, post, share=True)


@private_page
@login_required
def history(request, pk):
    post = get_own_post(request, pk)
    events = list(post.events.select_related("actor__profile").order_by("created_at", "pk"))
    base = revisions.baselines(post, events)
    submitted, reviewed = base.submitted, base.reviewed
    since_submitted = revisions.diff_since(submitted, post)
    since_review = revisions.diff_since(reviewed, post)
    return render(request, "desk/history.html", {
        "post": post,
        "submitted": submitted,
        "reviewed": reviewed,
        "since_submitted": since_submitted,
        "since_submitted_changed": since_submitted is not None
        and revisions.has_changes(since_submitted),
        "since_review": since_review,
        "since_review_changed": since_review is not None and revisions.has_changes(since_review),
        "events": events,
        "label": post.status_label(),
    })


def _json_login_required(request):
    if not request.user.is_authenticated:
        return JsonResponse({"login": True, "error": _(
            "Je bent niet meer ingelogd. Je tekst is in deze browser bewaard: log opnieuw in, "
            "dan krijg je hem terug.")}, status=403)
    return None


def _saved_at(post: Post) -> dict:
    when = date_format(timezone.localtime(post.updated_at), "H:i")
    return {"version": post.version, "saved_at": when,
            "message": _("Opgeslagen om %(time)s") % {"time": when}}


@private_page
@require_POST
def autosave(request, pk=None):
    """The desk's autosave (JSON): the text as typed so far, through blog.editing with the
    version the page holds, so a newer save elsewhere is never overwritten. Without a `pk`
    the first save with a title creates the draft and answers with its addresses."""
    refused = _json_login_required(request)
    if refused:
        return refused
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return JsonResponse({"error": first}, status=400)
    data = form.cleaned_data
    if pk is None:
        if not data["title"]:
            return JsonResponse({"error": _("Geef je bericht een titel; dan bewaren we het "
                                            "automatisch."), "needs_title": True}, status=400)
        invitation = latest_accepted(request.user)
        fields = form.content_fields()
        if invitation and invitation.series_id:
            fields["series"] = invitation.series
        if invitation and invitation.trend_id:
            fields["trend"] = invitation.trend
        post = editing.create_post(author=request.user, fields=fields)
        return JsonResponse({
            **_saved_at(post), "created": True,
            "edit_url": reverse("desk:edit", kwargs={"pk": post.pk}),
            "autosave_url": reverse("desk:autosave", kwargs={"pk": post.pk}),
            "post_id": post.pk,
        }, status=201)
    post = get_own_post(request, pk)
    try:
        saved = editing.save_post(
            post=post, actor=request.user, expected_version=data["version"],
            fields=form.content_fields(), revision_session=data["session"],
        )
    except editing.EditConflict:
        return JsonResponse({"conflict": True, "error": _(
            "Niet automatisch opgeslagen: dit bericht is intussen ergens anders opgeslagen. "
            "Je tekst staat nog hier; klik op Opslaan om beide versies te zien.")}, status=409)
    except (workflow.WorkflowError, PermissionDenied) as exc:
        return JsonResponse({"error": " ".join(getattr(exc, "messages", [str(exc)]))},
                            status=409)
    return JsonResponse(_saved_at(saved))


@private_page
@require_POST
def upload_image(request):
    """An image for the body: stored as renditions; answers with the Markdown to insert."""
    refused = _json_login_required(request)
    if refused:
        return refused
    upload = request.FILES.get("image")
    alt = " ".join(request.POST.get("alt", "").split())
    if upload is None:
        return JsonResponse({"error": _("Kies eerst een afbeelding.")}, status=400)
    if not alt:
        return JsonResponse(
            {"error": _("Beschrijf wat er op de afbeelding in de tekst te zien is.")}, status=400
        )
    try:
        image = images.store_upload(upload, uploaded_by=request.user)
    except ImageRejected as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {"markdown": images.markdown_for(image, alt), "url": image.url_for(images.BODY_WIDTH)},
        status=201,
    )

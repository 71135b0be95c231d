"""Forms of the editor's desk in the admin: the post form (optimistic locking, featured image)
and the small forms behind the workflow buttons and the bulk actions."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.images import PostImageField
from blog.models import Post
from blog.scheduling import slot_time
from blog.widgets import MarkdownEditor
from core.uploads import StoredImagesMixin

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-time picker; the value is Europe/Amsterdam local time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)

    def format_value(self, value):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value)
        return super().format_value(value)


class VersionedFormMixin:
    """Carries the `version` the form was loaded with; a newer stored version is a conflict.

    The check here gives the friendly page (both versions, nothing lost); the conditional
    UPDATE in `blog.editing.save_post` is what makes it safe against a save in between.
    """

    conflict: Post | None = None

    def _init_version(self):
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_version"] = self.instance.version

    def _check_version(self, cleaned):
        if not self.instance.pk:
            return
        loaded = cleaned.get("loaded_version")
        current = Post.objects.select_related("author__profile").get(pk=self.instance.pk)
        if loaded == current.version:
            return
        self.conflict = current
        # Saving again from here means: "I have seen both, keep what is in my form".
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current.version
        raise ValidationError(
            _("Iemand anders heeft dit bericht opgeslagen terwijl jij het bewerkte. "
              "Hieronder staan beide versies; jouw tekst staat nog in het formulier. "
              "Neem over wat je wilt houden en sla opnieuw op."),
            code="conflict",
        )


class PostAdminForm(StoredImagesMixin, VersionedFormMixin, forms.ModelForm):
    """The editor's post form. A new featured image is stored while the form is cleaned
    (the same field as the writing desk's) and deleted again if the form fails."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    image_upload = PostImageField(label=_("Nieuwe uitgelichte afbeelding"), required=False)
    remove_image = forms.BooleanField(label=_("Afbeelding weghalen"), required=False)

    class Meta:
        model = Post
        fields = [
            "title", "slug", "author", "intro", "body_markdown", "excerpt",
            "featured_image_alt", "tags", "trend", "series", "series_position",
            "allow_comments",
        ]
        # The writing desk's editor: toolbar and live preview (one widget, both places).
        widgets = {"body_markdown": MarkdownEditor}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_version()
        if self.instance.pk and "body_markdown" in self.fields:
            self.fields["body_markdown"].widget.stored_html = self.instance.body_html
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leeg laten: wordt gemaakt uit de titel.")

    def clean_body_markdown(self):
        # Browsers send textareas with CRLF; store what the desk stores.
        return (self.cleaned_data.get("body_markdown") or "").replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        has_image = bool(cleaned.get("image_upload")) or (
            self.instance.featured_image_id and not cleaned.get("remove_image")
        )
        if has_image and not (cleaned.get("featured_image_alt") or "").strip():
            self.add_error("featured_image_alt", _(
                "Beschrijf wat er op de afbeelding te zien is, voor wie hem niet ziet."
            ))
        series, position = cleaned.get("series"), cleaned.get("series_position")
        if series and position:
            clash = (Post.objects.filter(series=series, series_position=position)
                     .exclude(pk=self.instance.pk).values_list("title", flat=True).first())
            if clash:
                self.add_error("series_position", _(
                    "Deel %(n)s van deze reeks is al “%(title)s”."
                ) % {"n": position, "title": clash})
        if position and not series:
            self.add_error("series", _("Kies de reeks waar dit deel bij hoort."))
        self._check_version(cleaned)
        return cleaned


class TransitionForm(forms.Form):
    """The note and/or date a workflow step needs; which fields show depends on the step."""

    note = forms.CharField(
        label=_("Toelichting voor de auteur"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    publish_at = forms.DateTimeField(
        label=_("Publicatiemoment"), required=False, widget=LocalDateTimeInput,
        help_text=_("Lokale tijd (Amsterdam)."),
    )

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.name in {"approve", "reschedule"}:
            self.fields["publish_at"].required = True
        else:
            del self.fields["publish_at"]
        if transition.needs_note:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = _(
                "Schrijf een toelichting voor de auteur."
            )
        if transition.name == "reschedule":
            del self.fields["note"]


class BulkNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting voor de auteurs"), widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Schrijf een toelichting voor de auteurs.")},
    )


WEEKDAY_CHOICES = [
    (0, _("maandag")), (1, _("dinsdag")), (2, _("woensdag")), (3, _("donderdag")),
    (4, _("vrijdag")), (5, _("zaterdag")), (6, _("zondag")),
]
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d-%m-%y"]


def parse_dates(text: str):
    """Dates one per line or separated by commas; raises ValidationError naming bad ones."""
    from datetime import datetime

    found, bad = [], []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        for fmt in DATE_FORMATS:
            try:
                found.append(datetime.strptime(part, fmt).date())
                break
            except ValueError:
                continue
        else:
            bad.append(part)
    if bad:
        raise ValidationError(
            _("Deze datums begrijp ik niet: %(bad)s. Schrijf ze als 08-12-2010.")
            % {"bad": ", ".join(bad)},
            code="bad_dates",
        )
    return sorted(set(found))


class PlannerForm(forms.Form):
    start = forms.DateField(
        label=_("Eerste dag"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdagen met een bericht"), choices=WEEKDAY_CHOICES, coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één weekdag.")},
    )
    at = forms.TimeField(
        label=_("Tijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Lokale tijd (Amsterdam); blijft gelijk over de zomertijdwissel heen."),
    )
    skip = forms.CharField(
        label=_("Dagen overslaan"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén datum per regel of met komma's ertussen, bijvoorbeeld 08-12-2010."),
    )
    include_holidays = forms.BooleanField(
        label=_("Ook op feestdagen publiceren"), required=False,
        help_text=_("Zonder vinkje krijgen feestdagen (Eerste kerstdag, Koningsdag, "
                    "Hemelvaartsdag …) geen bericht."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekdays"].initial = list(settings.PUBLISH_SLOT_WEEKDAYS)
        self.fields["at"].initial = slot_time()
        self.fields["start"].initial = timezone.localdate() + timezone.timedelta(days=1)

    def clean_skip(self):
        return parse_dates(self.cleaned_data.get("skip") or "")

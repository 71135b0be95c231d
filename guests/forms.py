"""The guests' forms: the writing desk's post form (it cleans; blog.editing saves, with
optimistic locking), accepting an invitation, and pitching a post."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags

from accounts.forms import ProfileForm
from blog.editing import MAX_BODY
from blog.images import PostImageField
from blog.widgets import MarkdownEditor
from core.antispam import HoneypotTimestampMixin
from core.uploads import StoredImagesMixin
from trends.forms import TrendChoiceField, trend_queryset


class PostForm(StoredImagesMixin, forms.Form):
    """Title, Markdown body, featured image with alt text, body images, tags and trend.

    `version` is the version the form was loaded with: saving over a newer one is refused.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=200)
    body_markdown = forms.CharField(
        label=gettext_lazy("Tekst"),
        required=False,
        max_length=MAX_BODY,
        strip=False,
        widget=MarkdownEditor(preview_label=gettext_lazy("Zo ziet je tekst eruit")),
        help_text=gettext_lazy(
            "In Markdown: **vet**, *cursief*, ## kop, [tekst](https://…), - lijst, > citaat. "
            "De knoppen boven het veld doen het voor je."
        ),
    )
    body_image = PostImageField(required=False, label=gettext_lazy("Bestand voor in de tekst"))
    body_image_alt = forms.CharField(
        label=gettext_lazy("Wat staat er op die afbeelding?"), max_length=250, required=False,
        help_text=gettext_lazy("Alternatieve tekst voor wie de afbeelding niet ziet."),
    )
    featured_upload = PostImageField(required=False, label=gettext_lazy("Uitgelichte afbeelding"))
    remove_featured_image = forms.BooleanField(
        required=False, label=gettext_lazy("Uitgelichte afbeelding weghalen")
    )
    featured_image_alt = forms.CharField(
        label=gettext_lazy("Alternatieve tekst bij de uitgelichte afbeelding"),
        max_length=250,
        required=False,
        help_text=gettext_lazy("Beschrijf wat er op de afbeelding te zien is, voor wie hem "
                               "niet ziet. Verplicht bij een afbeelding."),
    )
    tags = TagField(
        label=gettext_lazy("Tags"), required=False,
        help_text=gettext_lazy("Gescheiden door komma's, bijvoorbeeld: jeugdwerk, sociale media"),
    )
    trend = TrendChoiceField(
        queryset=None, required=False, label=gettext_lazy("Over welke trend gaat je bericht?"),
        empty_label=gettext_lazy("Geen trend"),
    )

    def __init__(self, *args, post=None, read_only=False, initial_trend=None, **kwargs):
        self.post = post
        initial = kwargs.pop("initial", {}) or {}
        if post is not None:
            initial = {
                "version": post.version,
                "title": post.title,
                "body_markdown": post.body_markdown,
                "featured_image_alt": post.featured_image_alt,
                "tags": edit_string_for_tags(list(post.tags.all())),
                "trend": post.trend_id,
                **initial,
            }
        else:
            initial = {"version": 1, "trend": getattr(initial_trend, "pk", None), **initial}
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["trend"].queryset = trend_queryset()
        if post is not None:
            self.fields["body_markdown"].widget.stored_html = post.body_html
        if post is None or not post.featured_image_id:
            del self.fields["remove_featured_image"]
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    @property
    def has_featured_image(self) -> bool:
        return bool(self.post and self.post.featured_image_id)

    def clean_body_markdown(self):
        return self.cleaned_data["body_markdown"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        keeps_image = self.has_featured_image and not cleaned.get("remove_featured_image")
        if (cleaned.get("featured_upload") or keeps_image) and not (
            cleaned.get("featured_image_alt") or ""
        ).strip():
            self.add_error(
                "featured_image_alt",
                _("Beschrijf wat er op de afbeelding te zien is; zonder die tekst missen "
                  "blinde en slechtziende lezers hem."),
            )
        if cleaned.get("body_image") and not (cleaned.get("body_image_alt") or "").strip():
            self.add_error(
                "body_image_alt",
                _("Beschrijf wat er op de afbeelding in de tekst te zien is."),
            )
        return cleaned

    def content_fields(self) -> dict:
        """The fields blog.editing writes (images are added by the view once stored)."""
        data = self.cleaned_data
        fields = {
            "title": data["title"].strip(),
            "body_markdown": data["body_markdown"],
            "featured_image_alt": data["featured_image_alt"].strip(),
            "trend": data["trend"],
        }
        if data.get("remove_featured_image") and not data.get("featured_upload"):
            fields["featured_image"] = None
            fields["featured_image_alt"] = ""
        return fields


class AutosaveForm(forms.Form):
    """What the desk's script sends while the guest types: the text, the version it was
    loaded with, and the id of this open editor (one revision per session)."""

    version = forms.IntegerField(min_value=1)
    session = forms.RegexField(regex=r"^[A-Za-z0-9-]{8,64}$")
    title = forms.CharField(max_length=200, required=False, strip=True)
    body_markdown = forms.CharField(
        max_length=MAX_BODY, required=False, strip=False,
        error_messages={"max_length": gettext_lazy(
            "Je tekst is te lang om automatisch op te slaan (hooguit %(limit_value)d tekens).")},
    )

    def clean_body_markdown(self):
        return self.cleaned_data["body_markdown"].replace("\r\n", "\n")

    def content_fields(self) -> dict:
        """The text typed so far; an empty title keeps the stored one."""
        fields = {"body_markdown": self.cleaned_data["body_markdown"]}
        if self.cleaned_data["title"]:
            fields["title"] = self.cleaned_data["title"]
        return fields


# --- joining: accepting an invitation, pitching a post ----------------------------------


class InvitationAcceptForm(ProfileForm):
    """A new guest chooses a password and fills in the profile in one go."""

    password1 = forms.CharField(
        label=gettext_lazy("Kies een wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Minstens 8 tekens, niet te gewoon en niet alleen cijfers."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Herhaal het wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, needs_password: bool = True, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        if needs_password:
            self.order_fields(["password1", "password2", *self.fields])
        else:
            del self.fields["password1"], self.fields["password2"]

    def clean(self):
        cleaned = super().clean()
        if "password1" not in self.fields:
            return cleaned
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif first:
            probe = get_user_model()(
                username=self.email.split("@")[0], email=self.email,
                first_name=cleaned.get("display_name", ""),
            )
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class PitchForm(HoneypotTimestampMixin, forms.Form):
    """/schrijf-mee/: a would-be guest proposes a post."""

    name = forms.CharField(label=gettext_lazy("Je naam"), max_length=120)
    email = forms.EmailField(
        label=gettext_lazy("Je e-mailadres"),
        help_text=gettext_lazy("Alleen de redactie ziet dit; we mailen je ons antwoord."),
    )
    trend = TrendChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Over welke trend wil je schrijven?"),
        empty_label=gettext_lazy("Geen trend: een ander onderwerp"),
    )
    topic = forms.CharField(
        label=gettext_lazy("Of: welk onderwerp?"), max_length=200, required=False
    )
    pitch = forms.CharField(
        label=gettext_lazy("Je voorstel in het kort"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Waar gaat je bericht over, en waarom ben jij de schrijver? "
                               "Hooguit 3000 tekens."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["trend"].queryset = trend_queryset()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("trend") and not (cleaned.get("topic") or "").strip():
            self.add_error("topic", _("Kies een trend of noem een onderwerp."))
        return cleaned

    def pitch_fields(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"].strip(), "email": data["email"], "trend": data["trend"],
                "topic": data["topic"].strip(), "pitch": data["pitch"].strip()}


class DeclinePitchForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Onderwerp"), max_length=200,
                              widget=forms.TextInput(attrs={"class": "vTextField"}))
    body = forms.CharField(
        label=gettext_lazy("Tekst van de mail"),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80, "class": "vLargeTextField"}),
        help_text=gettext_lazy("Zo gaat de mail de deur uit; pas hem gerust aan."),
    )

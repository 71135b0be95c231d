"""The writing desk's post form. It cleans; blog.editing saves (with optimistic locking)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags

from accounts.forms import TrendChoiceField
from blog.images import FOLDER
from core.uploads import StoredImagesMixin, UploadedImageField
from trends.models import Trend

MAX_BODY = 100_000


def trend_choices():
    return Trend.objects.select_related("trend_list").order_by("-trend_list__year", "number")


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
        widget=forms.Textarea(attrs={"rows": 20, "class": "markdown-input",
                                     "data-preview-target": "live-preview"}),
        help_text=gettext_lazy(
            "In Markdown: **vet**, *cursief*, ## kop, [tekst](https://…), - lijst, > citaat. "
            "De knoppen boven het veld doen het voor je."
        ),
    )
    body_image = UploadedImageField(
        folder=FOLDER, required=False, label=gettext_lazy("Bestand voor in de tekst")
    )
    body_image_alt = forms.CharField(
        label=gettext_lazy("Wat staat er op die afbeelding?"), max_length=250, required=False,
        help_text=gettext_lazy("Alternatieve tekst voor wie de afbeelding niet ziet."),
    )
    featured_upload = UploadedImageField(
        folder=FOLDER, required=False, label=gettext_lazy("Uitgelichte afbeelding")
    )
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
        self.fields["trend"].queryset = trend_choices()
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

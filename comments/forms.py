"""The reader's comment form: limits on every field, Dutch messages, and the spam traps."""

import re

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from comments.moderation import BIDI_CONTROLS, ZERO_WIDTH
from core.antispam import HoneypotTimestampMixin

NAME_MAX = Comment._meta.get_field("name").max_length
URL_MAX = Comment._meta.get_field("url").max_length
BODY_MAX = Comment._meta.get_field("body").max_length
# Control characters other than newline and tab have no place in a comment.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: str, *, single_line: bool) -> str:
    value = _CONTROL.sub("", value or "").translate(BIDI_CONTROLS)
    if single_line:
        value = " ".join(value.translate(ZERO_WIDTH).split())
    return value.strip()


class WebAddressField(forms.URLField):
    """A website: http(s) only, so no javascript: or data: address ever becomes a link."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class CommentForm(HoneypotTimestampMixin, forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Vul je naam in."),
            "max_length": _("Je naam mag hoogstens %(limit_value)d tekens hebben "
                            "(nu %(show_value)d)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Wordt nooit getoond."),
        error_messages={
            "required": _("Vul je e-mailadres in; het wordt nooit getoond."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    url = WebAddressField(
        label=_("Website (niet verplicht)"),
        required=False,
        max_length=URL_MAX,
        assume_scheme="https",
        error_messages={
            "invalid": _("Vul een webadres in dat begint met http:// of https://."),
            "max_length": _("Het webadres mag hoogstens %(limit_value)d tekens hebben "
                            "(nu %(show_value)d)."),
        },
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    body = forms.CharField(
        label=_("Reactie"),
        max_length=BODY_MAX,
        error_messages={
            "required": _("Schrijf je reactie."),
            "max_length": _("Je reactie mag hoogstens %(limit_value)d tekens hebben "
                            "(nu %(show_value)d). Maak haar wat korter."),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Gewone tekst; een witregel begint een nieuwe alinea en webadressen worden "
                    "links."),
    )
    notify_replies = forms.BooleanField(
        label=_("Mail mij als iemand op mijn reactie reageert"),
        required=False,
        help_text=_("Je krijgt eerst een e-mail om dat te bevestigen; elke mail heeft een "
                    "afmeldlink."),
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_name(self):
        name = _clean_text(self.cleaned_data["name"], single_line=True)
        if not name:
            raise forms.ValidationError(_("Vul je naam in."), code="required")
        return name

    def clean_url(self):
        return _clean_text(self.cleaned_data.get("url", ""), single_line=True)

    def clean_body(self):
        body = _clean_text(self.cleaned_data["body"].replace("\r\n", "\n"), single_line=False)
        if not body.translate(ZERO_WIDTH).strip():
            raise forms.ValidationError(_("Schrijf je reactie."), code="required")
        return body

"""The mailing-list sign-up form: an address, an optional name, the spam defences."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.antispam import HoneypotTimestampMixin
from newsletter.models import Subscriber

# Ids of their own: the form shares the post page with the comment form.
AUTO_ID = "nieuwsbrief-%s"


class SubscribeForm(HoneypotTimestampMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=Subscriber._meta.get_field("email").max_length,
        error_messages={
            "required": _("Vul je e-mailadres in."),
            "invalid": _("Dit is geen geldig e-mailadres. Controleer het nog eens."),
        },
        widget=forms.EmailInput(
            attrs={
                "autocomplete": "email",
                "aria-describedby": "nieuwsbrief-privacy",
                "inputmode": "email",
            }
        ),
    )
    name = forms.CharField(
        label=_("Naam (niet verplicht)"),
        required=False,
        max_length=Subscriber._meta.get_field("name").max_length,
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", AUTO_ID)
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

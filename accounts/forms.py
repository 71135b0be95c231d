"""Forms for joining and for the account pages. Views call accounts.invitations with
what these forms cleaned; the forms themselves write nothing."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuthorProfile
from accounts.profiles import PHOTO_FOLDER, PROFILE_FIELDS
from core.http import absolute_url
from core.uploads import StoredImagesMixin, UploadedImageField
from outbox.mail import send_templated_mail


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy(
            "Dit e-mailadres (of deze gebruikersnaam) en wachtwoord horen niet bij elkaar. "
            "Let op hoofdletters in je wachtwoord."
        ),
        "inactive": gettext_lazy("Dit account is niet actief."),
    }

    def __init__(self, request=None, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam of e-mailadres")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254
        self.fields["password"].label = _("Wachtwoord")


class WelzijnPasswordResetForm(PasswordResetForm):
    """Django's reset (tokens, no hint whether an address exists) with our own Dutch mail.

    The view does not call `save()`: it enqueues `accounts.tasks.send_password_reset`, so
    the answer takes the same time whether the address has an account or not; the task
    saves the form, and this mail is queued in the outbox under `event`.
    """

    event = ""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        user = context["user"]
        reset_url = absolute_url(
            reverse(
                "accounts:password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            )
        )
        send_templated_mail(
            key=f"password-reset:{self.event}:{user.pk}" if self.event else None,
            template="password_reset",
            subject=_("Een nieuw wachtwoord kiezen"),
            to=[to_email],
            context={"user": user, "name": user.display_name, "reset_url": reset_url,
                     "login_hint": user.email or user.username},
        )


class ProfileForm(StoredImagesMixin, forms.ModelForm):
    """The author's public profile: name, photo, bio, organisation, role and links."""

    photo_upload = UploadedImageField(folder=PHOTO_FOLDER, required=False, label=gettext_lazy("Foto"))
    remove_photo = forms.BooleanField(
        required=False, label=gettext_lazy("Huidige foto verwijderen")
    )
    website = forms.URLField(
        label=gettext_lazy("Website"), required=False, max_length=300, assume_scheme="https",
        help_text=gettext_lazy("Bijvoorbeeld https://www.jouworganisatie.nl"),
    )

    class Meta:
        model = AuthorProfile
        fields = list(PROFILE_FIELDS)
        labels = {
            "display_name": gettext_lazy("Naam zoals lezers hem zien"),
            "bio": gettext_lazy("Over jezelf"),
            "organisation": gettext_lazy("Organisatie"),
            "role": gettext_lazy("Functie"),
            "website": gettext_lazy("Website"),
            "linkedin": gettext_lazy("LinkedIn"),
            "twitter": gettext_lazy("Twitter/X"),
        }
        help_texts = {
            "bio": gettext_lazy(
                "Een paar zinnen die onder je bericht staan. Gewone tekst; links worden "
                "vanzelf klikbaar."
            ),
            "linkedin": gettext_lazy("Je profielnaam (linkedin.com/in/…) of de hele link."),
            "twitter": gettext_lazy("Je naam zonder of met @."),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        if not (self.instance and self.instance.photo):
            del self.fields["remove_photo"]
        self.order_fields(["display_name", "photo_upload", "remove_photo", *PROFILE_FIELDS[1:]])

    def clean_twitter(self):
        return self.cleaned_data["twitter"].strip().lstrip("@")

    def clean_linkedin(self):
        value = self.cleaned_data["linkedin"].strip()
        if value.startswith(("http://", "https://")) and "linkedin.com/" not in value:
            raise forms.ValidationError(_("Dit is geen LinkedIn-link."))
        return value

    def profile_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

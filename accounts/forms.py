"""Forms for joining and for the account pages. Views call accounts.invitations with
what these forms cleaned; the forms themselves write nothing."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuthorProfile, Pitch
from accounts.profiles import PROFILE_FIELDS
from core.antispam import HoneypotTimestampMixin
from core.mail import absolute_url, send_templated_mail
from core.uploads import StoredImagesMixin, UploadedImageField


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
    """Django's reset (tokens, no hint whether an address exists) with our own Dutch mail."""

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
            template="password_reset",
            subject=_("Een nieuw wachtwoord kiezen"),
            to=[to_email],
            context={"user": user, "name": user.display_name, "reset_url": reset_url,
                     "login_hint": user.email or user.username},
        )


class ProfileForm(StoredImagesMixin, forms.ModelForm):
    """The author's public profile: name, photo, bio, organisation, role and links."""

    photo_upload = UploadedImageField(folder="profielen", required=False, label=gettext_lazy("Foto"))
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


class TrendChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.trend_list.year} · {obj.number}. {obj.title}"


def trend_queryset():
    # accounts may not import trends: reach the model through the relation.
    trend_model = Pitch._meta.get_field("trend").remote_field.model
    return trend_model.objects.select_related("trend_list").order_by(
        "-trend_list__year", "number"
    )


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

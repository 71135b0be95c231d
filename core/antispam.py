"""Spam and abuse defences shared by every public form (comments, pitches, the newsletter).

- A honeypot field that people never see and bots fill in.
- A signed timestamp: a form posted faster than a person can type is a bot's, and so is one
  whose timestamp was used before. One more than a day old goes back to the person, as
  typed, with a fresh timestamp (`renew_expired_timestamp`): nothing is stored from it.
- The client's address, decided in one place, and keyed hashes of it; the rate limit
  that counts per address is `core.ratelimit`.

A bot caught by the first two gets the normal-looking answer and nothing is stored; the
caller decides that by asking `form.is_bot()`.
"""

import hashlib
import hmac
import ipaddress
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from core.cache import first_use

_SIGNER_SALT = "welzijn.antispam.form-timestamp"
FORM_MAX_AGE = 24 * 3600


def client_ip(request) -> str:
    """The client's address: the one rule for every rate limit and every stored hash.

    Behind TRUSTED_PROXY_COUNT proxies of our own, each appends the address it saw to
    X-Forwarded-For, so the client is the Nth address from the right; anything further left
    was written by the client and is not believed. Without proxies (or when the header is
    short or not an address) it is the connection's own address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [part.strip() for part in forwarded.split(",") if part.strip()]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


def hash_value(value: str, *, purpose: str) -> str:
    """A keyed hash: lets moderation compare addresses without storing them."""
    key = f"{settings.SECRET_KEY}:{purpose}".encode()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()


def make_form_timestamp(now: float | None = None) -> str:
    """A signed, single-use form timestamp: when the form was handed out, and a nonce.

    It carries nothing about the page or the reader, so it can be handed out with the page or,
    once pages are cached for everybody, fetched per reader and filled in by the page.
    """
    started = now if now is not None else time.time()
    return signing.dumps({"t": started, "n": secrets.token_urlsafe(12)}, salt=_SIGNER_SALT)


def _read_form_timestamp(token: str) -> tuple[float, str] | None:
    """(when the form was handed out, its nonce) for a timestamp we signed, else None."""
    try:
        data = signing.loads(token, salt=_SIGNER_SALT)
        return float(data["t"]), str(data["n"])
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return None


def renew_expired_form_timestamp(token: str) -> str | None:
    """A fresh timestamp in place of a genuine one that expired, once per expired one.

    A person who left a form open for more than a day and then sent it is not a bot: the
    form goes back to them as typed, with this in place of the old timestamp. It counts as
    handed out COMMENT_MIN_SECONDS ago, since the person did the typing long before. The
    old nonce is spent here, so an expired timestamp buys one fresh one and no more; None
    for anything else (forged, not expired, or renewed before).
    """
    read = _read_form_timestamp(token)
    if read is None or time.time() - read[0] <= FORM_MAX_AGE:
        return None
    if not first_use(f"form-timestamp-renewed:{read[1]}", timeout=FORM_MAX_AGE):
        return None
    return make_form_timestamp(time.time() - settings.COMMENT_MIN_SECONDS)


def spend_form_timestamp(token: str) -> bool:
    """True for a genuine timestamp that is spent now: fresh, old enough, never used before.

    Spent through `cache.add` in the shared cache, so a token works once across every node
    (a fetched token cannot be replayed by a bot or handed to other clients). Anything
    older than FORM_MAX_AGE is refused: a page's form is good for a day.
    """
    try:
        data = signing.loads(token, salt=_SIGNER_SALT, max_age=FORM_MAX_AGE)
        started, nonce = float(data["t"]), str(data["n"])
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return False  # forged, expired, or not ours
    age = time.time() - started
    if age > FORM_MAX_AGE:
        return False
    if age < settings.COMMENT_MIN_SECONDS:
        return False  # posted faster than a person types (not spent: it was never good)
    return first_use(f"form-timestamp:{nonce}", timeout=FORM_MAX_AGE + 60)


class HoneypotTimestampMixin(forms.Form):
    """Adds the honeypot and the signed, single-use timestamp to a form.

    The honeypot is called `website_confirm` and hidden with CSS (class `hp`), labelled so a
    screen reader user knows to leave it empty. Use `form.is_bot()` after `is_valid()`.
    """

    website_confirm = forms.CharField(
        required=False,
        label=_("Laat dit veld leeg"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_started", make_form_timestamp())

    def clean_form_started(self):
        # Kept as typed; judged in is_bot() so a bot never sees a telling error.
        return self.cleaned_data.get("form_started", "")

    def renew_expired_timestamp(self) -> bool:
        """True when the form came with a genuine timestamp that expired (left open for
        more than a day) and an empty honeypot: the form's data then holds a fresh
        timestamp, and the caller sends the form back, as typed, to be sent again. Nothing
        of such a post is stored, so a bot gains nothing by it."""
        if self.data.get(self.add_prefix("website_confirm")):
            return False
        name = self.add_prefix("form_started")
        fresh = renew_expired_form_timestamp(self.data.get(name, ""))
        if fresh is None:
            return False
        self.data = self.data.copy()  # a request's QueryDict is immutable
        self.data[name] = fresh
        return True

    def is_bot(self) -> bool:
        """The honeypot is filled, or the timestamp is forged, too fast, expired or reused.

        Spends the timestamp, so it is decided once per form and remembered."""
        if not hasattr(self, "_is_bot"):
            data = self.data
            self._is_bot = bool(data.get(self.add_prefix("website_confirm"))) or not (
                spend_form_timestamp(data.get(self.add_prefix("form_started"), ""))
            )
        return self._is_bot

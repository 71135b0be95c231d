"""The mailing list at /nieuwsbrief/: sign up, confirm, unsubscribe.

Thin views over `accounts.newsletter`. Two promises shape them:
- The sign-up answer is the same redirect for every address (new, pending, confirmed,
  unsubscribed) and for bots, so the form cannot be used to find out who is on the list.
- The link pages act only on POST: mail scanners that open every link in a message must
  not confirm or unsubscribe anyone. The unsubscribe POST needs no CSRF token, because mail
  programs send it on their own (RFC 8058 one-click) and the secret token in the address
  is the proof.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.formkeys import csrf_passes
from core.http import keep_private, private_page
from core.ratelimit import rate_limit
from newsletter import subscriptions as newsletter
from newsletter.forms import SubscribeForm
from newsletter.models import Subscriber
from newsletter.tasks import sign_up


def _too_many_signups(request):
    """Over the rate limit: the sign-up page with what was typed, ready to try again."""
    typed = {field: request.POST.get(field, "") for field in ("email", "name")}
    context = {
        "form": SubscribeForm(initial=typed),
        "problem": _(
            "Je hebt je net al een paar keer aangemeld. Wacht een minuut en probeer "
            "het dan opnieuw."
        ),
    }
    return render(request, "newsletter/subscribe.html", context)


@csrf_exempt  # checked below: a form without a valid token comes back filled in, not a 403
@require_http_methods(["GET", "POST"])
@rate_limit(scope="newsletter", rate="NEWSLETTER_RATE_LIMIT",
            what=gettext_lazy("aanmeldingen"), on_limit=_too_many_signups)
def subscribe(request):
    if request.method == "GET":
        return render(request, "newsletter/subscribe.html", {"form": SubscribeForm()})

    form = SubscribeForm(request.POST)
    if not csrf_passes(request):
        # The sign-up form on a shared page went without its keys (no JavaScript, or the
        # fetch failed): the form comes back as typed, now with the keys.
        form.is_valid()
        problem = _("Je bent nog niet aangemeld: we konden niet nagaan dat het formulier "
                    "van deze site kwam. Controleer je gegevens en klik nog een keer op "
                    "“Aanmelden”.")
        return keep_private(render(request, "newsletter/subscribe.html",
                                   {"form": form, "problem": problem}))
    if form.renew_expired_timestamp():
        form.is_valid()
        problem = _("Je bent nog niet aangemeld: het formulier stond langer dan een dag "
                    "open. Controleer je gegevens en klik nog een keer op “Aanmelden”.")
        return keep_private(render(request, "newsletter/subscribe.html",
                                   {"form": form, "problem": problem}))
    if not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form})
    if not form.is_bot():
        # The same work for every address: whether it is new, pending or confirmed is
        # decided by the task, so neither the answer nor its timing tells.
        sign_up.enqueue(email=form.cleaned_data["email"], name=form.cleaned_data["name"])
    return redirect("newsletter:thanks")


def thanks(request):
    return render(request, "newsletter/thanks.html")


def _subscriber_or_404(finder, token):
    try:
        return finder(token)
    except Subscriber.DoesNotExist:
        raise Http404(_("Deze link is niet (meer) geldig.")) from None


@private_page  # reached through a personal link
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    if request.method == "POST":
        try:
            newsletter.confirm(token=token)
        except Subscriber.DoesNotExist:
            raise Http404(_("Deze link is niet (meer) geldig.")) from None
        return redirect("newsletter:confirm", token=token)

    subscriber = _subscriber_or_404(newsletter.subscriber_for_confirm_token, token)
    state = newsletter.link_state(subscriber)
    context = {
        "subscriber": subscriber,
        "state": state.value,
        "token": token,
        "valid_days": settings.NEWSLETTER_CONFIRM_DAYS,
    }
    if state in (newsletter.LinkState.EXPIRED, newsletter.LinkState.UNSUBSCRIBED):
        # The link reached its owner: offer a new one, with the address filled in.
        context["form"] = SubscribeForm(
            initial={"email": subscriber.email, "name": subscriber.name}
        )
    return render(request, "newsletter/confirm.html", context)


@private_page  # reached through a personal link
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        # The button on the page and a mail program's one-click POST
        # (body "List-Unsubscribe=One-Click") do the same; both get a 200.
        try:
            subscriber = newsletter.unsubscribe(token=token)
        except Subscriber.DoesNotExist:
            raise Http404(_("Deze link is niet (meer) geldig.")) from None
    else:
        subscriber = _subscriber_or_404(newsletter.subscriber_for_unsubscribe_token, token)
    context = {
        "subscriber": subscriber,
        "unsubscribed": subscriber.unsubscribed_at is not None,
        "token": token,
    }
    if context["unsubscribed"]:
        context["form"] = SubscribeForm(
            initial={"email": subscriber.email, "name": subscriber.name}
        )
    return render(request, "newsletter/unsubscribe.html", context)

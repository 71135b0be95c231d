"""`{% newsletter_signup %}`: the sign-up form with a fresh signed timestamp, on any page."""

from django import template

from newsletter.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("newsletter/form.html", takes_context=True)
def newsletter_signup(context):
    # Its own context: the page may have a `form` of its own (the comment form).
    return {"form": SubscribeForm(), "csrf_token": context.get("csrf_token")}

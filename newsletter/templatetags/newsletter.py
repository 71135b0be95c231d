"""`{% newsletter_signup %}`: the sign-up form, on any page (its keys: core/formkeys.py)."""

from django import template

from core.formkeys import render_blank_once
from newsletter.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("newsletter/form.html", takes_context=True)
def newsletter_signup(context):
    # Its own context: the page may have a `form` of its own (the comment form).
    form = SubscribeForm()
    return {
        "form": form,
        "fields_html": render_blank_once("newsletter/form_fields.html", form),
        "request": context.get("request"),
    }

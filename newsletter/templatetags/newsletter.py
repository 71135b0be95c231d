"""`{% newsletter_signup %}`: the sign-up form, on any page (its keys: core/formkeys.py)."""

from django import template
from django.template.loader import render_to_string

from core import pagecache
from core.formkeys import render_blank_once, render_shared_once
from newsletter.forms import SubscribeForm

register = template.Library()

FORM = "newsletter/form.html"
FIELDS = "newsletter/form_fields.html"


@register.simple_tag(takes_context=True)
def newsletter_signup(context):
    request = context.get("request")
    if request is None or pagecache.is_shared(request):  # the same on every shared page
        return render_shared_once(FORM, FIELDS, SubscribeForm)
    # A personal page: the keys are filled in. Its own context: the page may have a `form`
    # of its own (the comment form).
    form = SubscribeForm()
    return render_to_string(FORM, {
        "form": form, "fields_html": render_blank_once(FIELDS, form), "request": request,
    })

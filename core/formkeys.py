"""Forms on pages that every reader shares (issue 11): the comment and newsletter forms.

A page kept in the shared cache is the same for every anonymous reader, so it cannot carry
what belongs to one of them: the CSRF token (and the cookie it sets) and the signed form
timestamp of the spam defences (`core.antispam.make_form_timestamp`). Those are the form's
*keys*:

- On a shared page `{% form_keys_inputs form %}` leaves them empty, and
  `static/js/formkeys.js` fetches them from `form_keys_view` (a tiny JSON answer, never
  cached): the timestamp when the form comes into view or is first used (so the time a
  person takes counts from then), the CSRF token when it is sent (a submit waits for it).
  A reader gets the CSRF cookie only then: no cookie until they post.
- On a personal page (a logged-in reader, a form sent back) the tag fills them in at once.
- Without JavaScript, or when the fetch failed, the POST arrives without a valid token. The
  views check it themselves (`csrf_passes`) and send the form back, filled in as it was
  typed, with fresh keys: nothing typed is lost, and nothing is stored from such a POST.

Blank forms are the same on every page, so their fields are rendered once per process
(`render_blank_once`), not once per request; so is the whole form where nothing in it
depends on the reader (`render_shared_once`: the sign-up and comment forms on a shared
page).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core import pagecache
from core.antispam import make_form_timestamp
from core.http import keep_private

register = template.Library()

TIMESTAMP_FIELD = "form_started"


@require_safe
def form_keys_view(request):
    """GET /formulier/sleutels/: a fresh form timestamp as JSON, and with `?csrf=1` this
    reader's CSRF token too (which sets the CSRF cookie). For formkeys.js; never cached."""
    keys = {TIMESTAMP_FIELD: make_form_timestamp()}
    if request.GET.get("csrf") == "1":
        keys["csrfmiddlewaretoken"] = get_token(request)
    return keep_private(JsonResponse(keys))


def csrf_passes(request) -> bool:
    """Django's own CSRF check, run by a view marked `csrf_exempt` that wants to answer a
    failed check with the form filled in instead of a bare 403."""
    check = CsrfViewMiddleware(lambda request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {}) is None


@register.simple_tag(takes_context=True)
def form_keys_inputs(context, form):
    """`{% form_keys_inputs form %}`: the hidden inputs for the keys, empty on a shared page.

    A form sent back keeps the timestamp it was posted with (the time the reader took counts
    from the first time the form was used), or gets a fresh one if it came without.
    """
    request = context.get("request")
    token = started = ""
    if request is not None and not pagecache.is_shared(request):
        token = get_token(request)
        started = (form.data.get(form.add_prefix(TIMESTAMP_FIELD), "") if form.is_bound
                   else "") or make_form_timestamp()
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="{}" value="{}">',
        token, form.add_prefix(TIMESTAMP_FIELD), started,
    )


_rendered_once: dict[tuple[str, str | None], str] = {}


def is_blank(form) -> bool:
    """Unbound, nothing filled in beforehand: the same form for everyone."""
    return not form.is_bound and not any(
        value for name, value in form.initial.items() if name != TIMESTAMP_FIELD
    )


def _render_shared(template_name: str, fields_template: str, form_class, language: str,
                   context: tuple) -> str:
    form = form_class()
    return render_to_string(template_name, {
        **dict(context), "form": form,
        "fields_html": render_blank_once(fields_template, form),
    })


# Keyed by the form, the language and the page's own values (a post's comment form names
# the post): a few kilobytes each, for the 1,024 posts read most recently.
_render_shared_kept = lru_cache(maxsize=1024)(_render_shared)


def render_shared_once(template_name: str, fields_template: str, form_class,
                       **context) -> str:
    """A blank `form_class` form as every shared page shows it: `template_name` with the
    form, its fields from `fields_template` (`render_blank_once`), the page's own values in
    `context` (plain strings, such as the form's address) and no request, so its keys are
    left empty for formkeys.js. Rendered once per process, language and `context`."""
    render = _render_shared if settings.DEBUG else _render_shared_kept  # DEBUG: edits show
    return render(template_name, fields_template, form_class, get_language(),
                  tuple(sorted(context.items())))


def render_blank_once(template_name: str, form) -> str | None:
    """The rendered `template_name` for a blank `form`, rendered once per process and language.

    The template may use only the form (no request, no keys): it holds the fields. A form
    that is not blank gets None (the caller renders it as usual).
    """
    if not is_blank(form) or settings.DEBUG:  # DEBUG: template edits show at once
        return None
    key = (template_name, get_language())
    html = _rendered_once.get(key)
    if html is None:
        html = _rendered_once[key] = render_to_string(template_name, {"form": form})
    return html

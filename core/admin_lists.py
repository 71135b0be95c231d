"""Admin change lists whose rows cost little: fifty rows, each with a checkbox, a change link
and a few links of its own, should not cost fifty times the template engine and hundreds of
URL reversals and resolutions.

Django's changelist renders each row's action checkbox through the form renderer (a template
per row), reverses each row's change URL, and then resolves that URL again to decide how to
keep the list's filters on it. Here the checkbox is the same HTML from `format_html`, the
change URL is reversed once per page, and the filters are added to it directly (the same
`?_changelist_filters=…` Django adds). `url_maker` does the same for a model admin's own
per-row links: one `reverse()` per page, then string substitution.
"""

from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

# A stand-in for an argument: reversed once, then replaced by each row's value.
_SLOT = "9876543210{}"
# Django's own label for the checkbox, translated in Django's catalog (not extracted again).
CHECKBOX_LABEL = "Select this object for an action - {}"


def url_maker(viewname: str, slots: int = 1, *, current_app: str | None = None,
              quoted: bool = True):
    """`make(*args)` gives `reverse(viewname, args=args)`, having reversed only once.

    The arguments must pass the URL's converters as digits (`int`, `str`, `path` do); with
    `quoted` each is passed through the admin's `quote()`, as the admin does for a pk.
    """
    stand_ins = [_SLOT.format(i) for i in range(slots)]
    template = reverse(viewname, args=stand_ins, current_app=current_app)
    parts = [template]
    for stand_in in stand_ins:  # split on each stand-in in turn: [text, arg, text, ...]
        head, _found, tail = parts.pop().partition(stand_in)
        parts += [head, tail]

    def make(*args) -> str:
        values = [str(quote(arg) if quoted else arg) for arg in args]
        out = [parts[0]]
        for value, text in zip(values, parts[1:], strict=True):
            out += [value, text]
        return "".join(out)

    return make


def clip(text: str, length: int) -> str:
    """`text` cut to at most `length` characters, ending in "…" when cut (what the
    `truncatechars` filter gives, without its per-character scan)."""
    return text if len(text) <= length else text[:length - 1] + "…"


class RowsChangeList(ChangeList):
    """The change link of each row, reversed once and with the list's filters kept on it."""

    def get_results(self, request):
        super().get_results(request)
        # What Django's add_preserved_filters would add to each change link (a change URL is
        # not the changelist, so it adds the filters as they are); empty, the template tag
        # no longer resolves every row's URL to find that out.
        self.row_filters, self.preserved_filters = self.preserved_filters, ""
        self.change_url = url_maker(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            current_app=self.model_admin.admin_site.name,
        )
        prepare = getattr(self.model_admin, "prepare_rows", None)
        if prepare is not None:
            prepare(request, self.result_list)

    def url_for_result(self, result):
        url = self.change_url(getattr(result, self.pk_attname))
        return f"{url}?{self.row_filters}" if self.row_filters else url


class RowsAdminMixin:
    """For a ModelAdmin: `RowsChangeList`, the checkbox without the template engine, and
    `prepare_rows(request, rows)`, called once per page to give the rows what the columns
    need (per-page URL makers, say)."""

    def get_changelist(self, request, **kwargs):
        return RowsChangeList

    def action_checkbox(self, obj):
        # The HTML of Django's CheckboxInput for the same attributes.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME, str(obj.pk),
            format_html(_(CHECKBOX_LABEL), str(obj)),
        )

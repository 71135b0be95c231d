"""The Markdown editor: one form widget for the writing desk and the admin's post form.

A textarea with a toolbar (bold, italic, heading, link, list, quote) and a live preview that
the server renders with the published page's own code (`core.content.render_markdown`, at
`preview:markdown`), so what the writer sees is what readers will see. Its Media bring the
script and the styles; without JavaScript it is a plain textarea beside the stored preview.
"""

from django import forms
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

PREVIEW_LABEL = gettext_lazy("Zo ziet de tekst eruit")


class MarkdownEditor(forms.Textarea):
    template_name = "widgets/markdown_editor.html"

    class Media:
        css = {"all": ["css/markdown-editor.css"]}
        js = ["js/markdown-editor.js"]

    def __init__(self, attrs=None, *, preview_label=PREVIEW_LABEL):
        super().__init__({"rows": 20, "class": "markdown-input", **(attrs or {})})
        self.preview_label = preview_label
        # The stored, sanitised HTML (e.g. Post.body_html) shown before anything is typed.
        self.stored_html = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update({
            "render_url": reverse("preview:markdown"),
            "preview_label": self.preview_label,
            # Sanitised when it was saved (core.content), like every body_html on the site.
            "stored_html": mark_safe(self.stored_html),
        })
        return context

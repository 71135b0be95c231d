"""Shared by the comment tests: a form as a person sends it, and a piece of a page."""

import time
from html.parser import HTMLParser

from django.urls import reverse

from core.antispam import make_form_timestamp

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def comment_url(post) -> str:
    return reverse("comments:post", kwargs={"post_id": post.pk})


def human_form(**fields) -> dict:
    """What a person's browser posts: the form loaded a minute ago, the honeypot empty."""
    data = {
        "name": "Jan Jansen",
        "email": "jan@example.org",
        "url": "",
        "body": "Herkenbaar verhaal, dank je wel.",
        "website_confirm": "",
        "form_started": make_form_timestamp(time.time() - 60),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


class _Finder(HTMLParser):
    def __init__(self, element_id):
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.tag = None
        self.depth = 0
        self.start = self.end = None

    def handle_starttag(self, tag, attrs):
        if self.end is not None:
            return
        if self.tag is None:
            if dict(attrs).get("id") == self.element_id:
                self.tag, self.depth, self.start = tag, 1, self.getpos()
        elif tag == self.tag and tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.tag == tag and self.end is None:
            self.depth -= 1
            if self.depth == 0:
                self.end = self.getpos()


def element_html(html: str, element_id: str) -> str:
    """The markup of the element with this id, from its start tag to its end tag."""
    finder = _Finder(element_id)
    finder.feed(html)
    finder.close()
    assert finder.start and finder.end, f"no element with id={element_id!r} in the page"
    line_starts = [0]
    for line in html.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))

    def offset(pos):
        return line_starts[pos[0] - 1] + pos[1]

    return html[offset(finder.start):offset(finder.end)]

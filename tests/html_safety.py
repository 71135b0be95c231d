"""Checks on parsed HTML: no element or attribute that can run script or load elsewhere."""

from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "form", "input",
                  "button", "style", "link", "meta", "base", "frame", "frameset", "textarea"}
URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "background"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
            if name in URL_ATTRS and value.split(":", 1)[0] in {"javascript", "vbscript", "data"}:
                self.problems.append(f"{tag}[{name}={value[:30]}]")


def script_problems(html: str) -> list[str]:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser.problems


def assert_inert(html: str):
    problems = script_problems(html)
    assert not problems, f"unsafe markup {problems} in: {html[:300]}"

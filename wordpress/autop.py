"""WordPress's "autop": how a classic-editor post is turned into paragraphs on display.

WordPress stores classic posts without <p> tags and adds them when it shows the post: a
blank line separates paragraphs, a single newline becomes <br>, nothing changes inside
<pre>, and block elements (lists, headings, tables, blockquotes, figures …) are not wrapped
in a paragraph. This module follows the same steps (WordPress's `wpautop`, described in its
developer reference) so an imported post reads exactly as it did on the old site.
"""

import re

BLOCK_TAGS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
# A newline inside a tag (`<a\nhref=…>`) must not become a <br>: it waits here meanwhile.
_NEWLINE_IN_TAG = "\ue000"
_KEPT_NEWLINE = "\ue001"

# PHP's \s (without the u flag) is ASCII whitespace: a no-break space is text, not space.
_A = re.ASCII


def _sub(pattern: str, replacement, text: str, flags: int = 0) -> str:
    return re.sub(pattern, replacement, text, flags=flags | _A)


def autop(text: str, *, br: bool = True) -> str:
    """Blank lines → <p>, single newlines → <br>; <pre> untouched; blocks not wrapped."""
    if not text or not text.strip():
        return ""
    text = text + "\n"

    # 1. Set <pre> blocks aside: nothing inside them changes.
    kept_pre: dict[str, str] = {}
    if "<pre" in text:
        parts = text.split("</pre>")
        rest = parts.pop()
        rebuilt = []
        for part in parts:
            start = part.find("<pre")
            if start == -1:  # a stray </pre>
                rebuilt.append(part)
                continue
            marker = f"<pre wp-pre-tag-{len(kept_pre)}></pre>"
            kept_pre[marker] = part[start:] + "</pre>"
            rebuilt.append(part[:start] + marker)
        text = "".join(rebuilt) + rest

    # 2. Two <br>s in a row mean a new paragraph; block tags stand on lines of their own.
    text = _sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = _sub(rf"(<{BLOCK_TAGS}[\s/>])", r"\n\n\1", text)
    text = _sub(rf"(</{BLOCK_TAGS}>)", r"\1\n\n", text)
    text = _sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"<[^>]*>", lambda m: m.group(0).replace("\n", _NEWLINE_IN_TAG), text)
    if "<figcaption" in text:
        text = _sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = _sub(r"</figcaption>\s*", "</figcaption>", text)

    # 3. Every stretch between blank lines becomes a paragraph.
    text = _sub(r"\n\n+", "\n\n", text)
    paragraphs = [part for part in re.split(r"\n\s*\n", text, flags=_A) if part]
    text = "".join("<p>" + part.strip("\n") + "</p>\n" for part in paragraphs)

    # 4. Undo the wrapping where it makes no sense: around block tags, list items, quotes.
    text = _sub(r"<p>\s*</p>", "", text)
    text = _sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = _sub(rf"<p>\s*(</?{BLOCK_TAGS}[^>]*>)\s*</p>", r"\1", text)
    text = _sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = _sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _sub(rf"<p>\s*(</?{BLOCK_TAGS}[^>]*>)", r"\1", text)
    text = _sub(rf"(</?{BLOCK_TAGS}[^>]*>)\s*</p>", r"\1", text)

    # 5. The remaining single newlines are line breaks (not inside script-like elements).
    if br:
        text = re.sub(
            r"<(script|style|svg|math).*?</\1>",
            lambda m: m.group(0).replace("\n", _KEPT_NEWLINE),
            text,
            flags=re.DOTALL,
        )
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _sub(r"(?<!<br />)\s*\n", "<br />\n", text)
        text = text.replace(_KEPT_NEWLINE, "\n")
    text = _sub(rf"(</?{BLOCK_TAGS}[^>]*>)\s*<br />", r"\1", text)
    text = _sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = _sub(r"\n</p>$", "</p>", text)

    # 6. Put back what was set aside.
    for marker, original in kept_pre.items():
        text = text.replace(marker, original)
    return text.replace(_NEWLINE_IN_TAG, "\n")

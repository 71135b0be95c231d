"""Moving in from WordPress, and back: WXR (WordPress eXtended RSS) import and export.

- `reader`: streams a WXR 1.0/1.1/1.2 file into small records, one item at a time.
- `autop`: WordPress's paragraph rule (blank line → paragraph, newline → <br>).
- `shortcodes`: [caption], [gallery], [embed], … into plain HTML or a visible placeholder.
- `convert`: a WordPress body or comment into what this site stores.
- `importer`: records → users, posts, pages, images, comments, tags, redirects.
- `exporter`: this site → a WXR 1.2 file WordPress's importer accepts.
"""

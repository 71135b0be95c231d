"""Moving in from WordPress, and back: WXR (WordPress eXtended RSS) import and export.

- `reader`: streams a WXR 1.0/1.1/1.2 file into small records, one item at a time (and a
  damaged one tolerantly, saying what it repaired).
- `autop`: WordPress's paragraph rule (blank line → paragraph, newline → <br>).
- `shortcodes`: [caption], [gallery], [embed], … into plain HTML or a visible placeholder.
- `convert`: a WordPress body or comment into what this site stores.
- `importer`: records → users, posts, pages, images, comments, tags, redirects, in batches.
- `media`: where attachments' files are: a folder, or an uploaded zip (checked, read in place).
- `imports` + `tasks`: the admin's import (upload → dry run → import) as background tasks.
- `exporter`: this site → a WXR 1.2 file WordPress's importer accepts.
- `models`: what came from where (`WordPressItem`), old links (`LegacyRedirect`), and the
  admin's imports (`WxrImport`).
- `middleware`: answers an old link with a 301 when nothing else lives at that path.
"""

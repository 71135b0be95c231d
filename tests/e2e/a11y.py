"""Accessibility checks run in the browser on a loaded page.

`axe_violations(page)` injects axe-core (from the npm registry, pinned in package.json and
installed by `make axe`, never served to readers) and runs it over the page as it stands:
the WCAG 2.0/2.1/2.2 A and AA rules and axe's best practices. `assert_axe_clean` fails on
any critical or serious violation, naming the rule, the elements and axe's help text.
`assert_accessible` adds a smoke check of our own for the public site and the desk (Dutch,
one <h1>, no skipped heading levels), which axe reports only as "moderate".

Without axe-core installed these checks skip, unless REQUIRE_BROWSER=1 (CI), where they fail
(like a missing Chromium).
"""

import json
import os
from functools import cache
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")

SMOKE_SCRIPT = r"""
() => {
  const problems = [];
  if (document.documentElement.lang !== 'nl') problems.push('html lang is not "nl"');
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) problems.push(`expected one <h1>, found ${h1s.length}`);
  let last = 0;
  for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) problems.push(`heading jumps from h${last} to h${level}: "${h.textContent.trim()}"`);
    last = level;
  }
  return problems;
}
"""

RUN_AXE = """
async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
                                    'best-practice']},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}
"""


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def _require_axe():
    if AXE.exists():
        return
    reason = f"axe-core is not installed at {AXE} (run `make axe`)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def axe_violations(page) -> list[dict]:
    """Every violation axe-core finds on the page now, with its impact."""
    _require_axe()
    # Evaluated through the DevTools protocol: the page's own CSP (script-src 'self') does
    # not apply, and nothing is added to the document.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(RUN_AXE)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    {node['target']}: {node['summary'].splitlines()[-1].strip()}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def assert_axe_clean(page, label: str = ""):
    """No critical and no serious axe-core violation on the page."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    where = label or page.url
    assert not blocking, f"axe-core on {where}:\n{describe(blocking)}"


def assert_accessible(page, label: str = ""):
    """axe-core (0 critical, 0 serious) plus our smoke check for the site and the desk."""
    problems = page.evaluate(SMOKE_SCRIPT)
    assert not problems, "accessibility smoke check: " + "; ".join(problems)
    assert_axe_clean(page, label)


def dump(violations: list[dict]) -> str:  # handy when fixing a page: print(dump(...))
    return json.dumps(violations, indent=2, ensure_ascii=False)

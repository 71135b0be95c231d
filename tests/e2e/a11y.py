"""An accessibility smoke check run in the browser on a loaded page.

It is a smoke test, not an audit: the page says it is Dutch, has one <h1>, headings do not
skip levels, every image has an alt attribute, every form control has a label, and every
link and button has a name.
"""

A11Y_SCRIPT = r"""
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
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`img without alt: ${img.src}`);
  }
  const named = (el) => (el.getAttribute('aria-label') || '').trim() ||
    (el.getAttribute('aria-labelledby') && document.getElementById(el.getAttribute('aria-labelledby'))?.textContent.trim()) ||
    (el.labels && Array.from(el.labels).map(l => l.textContent.trim()).join(' ').trim()) ||
    (el.getAttribute('title') || '').trim();
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset'].includes(type)) continue;
    if (!named(el)) problems.push(`form control without label: ${el.name || el.id}`);
  }
  for (const el of document.querySelectorAll('a[href], button')) {
    const text = (el.textContent || '').trim() || (el.getAttribute('aria-label') || '').trim() ||
      Array.from(el.querySelectorAll('img')).map(i => i.alt).join('').trim();
    if (!text) problems.push(`${el.tagName.toLowerCase()} without a name: ${el.outerHTML.slice(0, 80)}`);
  }
  return problems;
}
"""


def assert_accessible(page):
    problems = page.evaluate(A11Y_SCRIPT)
    assert not problems, "accessibility smoke check: " + "; ".join(problems)

"""Every page in every view (390/1280 px, light/dark), in Chromium: what a reader meets.

One test per page and view, so that a failure names both; each lists every problem it found.
"""

from __future__ import annotations

import pytest

from .conftest import LOADED
from .views import open_view

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: (n.failureSummary || '').split('\\n').slice(0, 3).join(' ')}))}));
}"""

SIDEWAYS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .filter(el => !Array.from(el.children).some(c => c.getBoundingClientRect().right > width + 0.5))
    .slice(0, 5).map(el => el.outerHTML.slice(0, 120));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, widest: wide};
}"""

TEXT_ALTERNATIVES = """() => {
  const labelled = el => (el.getAttribute('aria-label') || '').trim() ||
    (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
  const imgOk = img => !!((img.getAttribute('alt') || '').trim() || labelled(img));
  const bad = [];
  for (const img of document.querySelectorAll('img'))
    if (!imgOk(img)) bad.push('img without alt: ' + img.outerHTML.slice(0, 120));
  for (const svg of document.querySelectorAll('svg')) {
    const title = svg.querySelector(':scope > title');
    if (!((title && title.textContent.trim()) || labelled(svg))) bad.push('svg without <title> or aria-label: ' + svg.outerHTML.slice(0, 120));
  }
  for (const pic of document.querySelectorAll('picture')) {
    const img = pic.querySelector('img');
    if (!img || !imgOk(img)) bad.push('picture without an img with alt: ' + pic.outerHTML.slice(0, 120));
  }
  return bad;
}"""

# The links a keyboard user can reach, in DOM order, and how each looks unfocused.
FOCUS_SETUP = """() => {
  const style = el => { const s = getComputedStyle(el);
    return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, outlineStyle: s.outlineStyle,
            outlineWidth: parseFloat(s.outlineWidth) || 0, outlineColor: s.outlineColor, boxShadow: s.boxShadow}; };
  window.__focusStyle = style;
  window.__links = Array.from(document.querySelectorAll('a[href]')).filter(a =>
    a.tabIndex >= 0 && !a.closest('[inert]') && a.getClientRects().length > 0 &&
    getComputedStyle(a).visibility !== 'hidden');
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  window.__unfocused = window.__links.map(style);
  return window.__links.map(a => a.outerHTML.slice(0, 100));
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const i = window.__links.indexOf(el);
  const r = el.getBoundingClientRect();
  return {index: i, html: el.outerHTML.slice(0, 100), now: window.__focusStyle(el),
          before: i >= 0 ? window.__unfocused[i] : null,
          onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth};
}"""


def transparent(color: str) -> bool:
    return color == "transparent" or color.replace(" ", "").endswith(",0)")


def visible_indicator(now: dict, before: dict | None) -> bool:
    """A focus ring: an outline or a box-shadow that is drawn, and that the unfocused state lacks."""
    outline = now["outlineStyle"] != "none" and now["outlineWidth"] >= 1 and not transparent(now["outlineColor"])
    shadow = now["boxShadow"] not in ("none", "")
    if before is None:
        return outline or shadow
    return (outline and now["outline"] != before["outline"]) or (shadow and now["boxShadow"] != before["boxShadow"])


def keyboard_problems(page) -> list[str]:
    links = page.evaluate(FOCUS_SETUP)
    reached, problems = [], []
    for _ in range(len(links) + 50):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break  # focus left the page: every stop has been visited
        if focused["index"] >= 0:
            if reached and focused["index"] == reached[0]:
                break
            reached.append(focused["index"])
        if not visible_indicator(focused["now"], focused["before"]):
            problems.append(f"no visible focus indicator (outline {focused['now']['outline']!r}, "
                            f"box-shadow {focused['now']['boxShadow']!r}): {focused['html']}")
        if not focused["onScreen"]:
            problems.append(f"focused element is off screen: {focused['html']}")
    if reached != list(range(len(links))):
        missing = [links[i] for i in range(len(links)) if i not in reached]
        problems.append(f"Tab did not reach every link in DOM order: reached {len(reached)} of {len(links)} "
                        f"(order {reached[:20]}{'…' if len(reached) > 20 else ''}); not reached: {missing[:5]}")
    return problems


def test_reader_view(tabs, server, site, axe_js, page_path, view):
    problems: list[str] = []
    with open_view(tabs, page_path, view) as (page, visit):
        LOADED[page_path, view[0]] = visit.bytes_loaded(site)  # as loaded, before any key is pressed
        sideways = page.evaluate(SIDEWAYS)
        if sideways:
            problems.append(f"sideways scroll: scrollWidth {sideways['scrollWidth']} > innerWidth "
                            f"{sideways['innerWidth']}; too wide: {sideways['widest']}")
        problems += [f"text alternative: {p}" for p in page.evaluate(TEXT_ALTERNATIVES)]
        problems += [f"keyboard: {p}" for p in keyboard_problems(page)]
        # The site's CSP (script-src 'none') refuses a <script> tag, rightly: run axe
        # through the DevTools protocol instead, which page CSP does not govern.
        page.evaluate(axe_js.read_text(encoding="utf-8") + "\n;undefined")
        for v in page.evaluate(RUN_AXE, AXE_TAGS):
            nodes = "; ".join(f"{n['target']} ({n['summary']})" for n in v["nodes"][:5])
            problems.append(f"axe {v['id']} [{v['impact']}]: {v['help']} — {len(v['nodes'])} element(s): {nodes} — {v['url']}")
        problems += [f"console {c}" for c in visit.console]
        problems += [f"failed request: {f}" for f in visit.failed]
        problems += [f"request to another origin (only {server} is allowed): {f}" for f in visit.foreign]
    if problems:
        pytest.fail(f"{page_path} at {view[0]}: {len(problems)} problem(s)\n  " + "\n  ".join(problems), pytrace=False)

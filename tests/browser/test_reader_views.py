"""Every page in every view (390/1280 px, light/dark), in Chromium: what a reader meets, and that the
page is inert (no navigation, frame, script or request to another origin; test_hostile_content.py
proves the watcher on a hostile page).

One test per page and view, so that a failure names both; each lists every problem it found.
"""

from __future__ import annotations

import asyncio
import warnings

import pytest

from .conftest import LOADED, VIEWS
from .views import SETTLE_S, open_view

WATCH_VIEW = VIEWS[2]  # 1280 px, light: the view each page is watched in for SETTLE_S after its load
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

# The links a keyboard user can reach, in DOM order, and how each looks unfocused; then every focus
# change is logged as it happens (the focused element's style and place on screen, or null when focus
# leaves the page), so the Tab presses need no round trip each to read them.
FOCUS_SETUP = """() => {
  const style = el => { const s = getComputedStyle(el);
    return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, outlineStyle: s.outlineStyle,
            outlineWidth: parseFloat(s.outlineWidth) || 0, outlineColor: s.outlineColor, boxShadow: s.boxShadow}; };
  const links = Array.from(document.querySelectorAll('a[href]')).filter(a =>
    a.tabIndex >= 0 && !a.closest('[inert]') && a.getClientRects().length > 0 &&
    getComputedStyle(a).visibility !== 'hidden');
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const unfocused = links.map(style);
  window.__focusLog = [];
  document.addEventListener('focusin', event => {
    const el = event.target, i = links.indexOf(el), r = el.getBoundingClientRect();
    window.__focusLog.push({index: i, html: el.outerHTML.slice(0, 100), now: style(el), before: i >= 0 ? unfocused[i] : null,
      onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth});
  }, true);
  document.addEventListener('focusout', event => { if (!event.relatedTarget) window.__focusLog.push(null); }, true);
  return links.map(a => a.outerHTML.slice(0, 100));
}"""

FOCUS_LOG = "() => window.__focusLog"

# A Tab key press as DevTools sends it: the key down moves focus (page.keyboard.press waits for a key
# down and a key up, ~14 ms a press; this, ~6 ms; a page has up to ~90 links, in 232 views).
TAB = {"type": "rawKeyDown", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}


def press_tab(cdp, times: int) -> None:
    """Press Tab `times` times, the presses sent together: DevTools queues them in order and the page
    handles each as a reader's, but draws a frame per handful instead of one per press. A press sent
    and awaited alone cost ~10–15 ms of CPU (the page repainting its charts), sent together ~3–5 ms.

    Playwright's sync API awaits every message, so this sends through its async object (`_impl_obj`,
    `_sync`; playwright is pinned in requirements-test.txt). Without them, each press is sent and
    awaited in turn, with a warning: slower, the same walk."""
    try:
        session, run = cdp._impl_obj, cdp._sync
    except AttributeError:
        warnings.warn("Playwright's CDPSession has no _impl_obj/_sync: Tab presses sent one at a time", stacklevel=2)
        for _ in range(times):
            cdp.send("Input.dispatchKeyEvent", TAB)
        return

    async def together():
        await asyncio.gather(*(session.send("Input.dispatchKeyEvent", TAB, None) for _ in range(times)))

    run(together())


def transparent(color: str) -> bool:
    return color == "transparent" or color.replace(" ", "").endswith(",0)")


def visible_indicator(now: dict, before: dict | None) -> bool:
    """A focus ring: an outline or a box-shadow that is drawn, and that the unfocused state lacks."""
    outline = now["outlineStyle"] != "none" and now["outlineWidth"] >= 1 and not transparent(now["outlineColor"])
    shadow = now["boxShadow"] not in ("none", "")
    if before is None:
        return outline or shadow
    return (outline and now["outline"] != before["outline"]) or (shadow and now["boxShadow"] != before["boxShadow"])


def focus_walk(page, cdp, links: int) -> list[dict | None]:
    """Press Tab until focus leaves the page (at most links + 50 times); the focus log of FOCUS_SETUP."""
    pressed, log = 0, []
    while pressed < links + 50 and None not in log:
        batch = min(links + 2 if pressed == 0 else 10, links + 50 - pressed)
        press_tab(cdp, batch)
        pressed += batch
        log = page.evaluate(FOCUS_LOG)
    return log


def keyboard_problems(page, cdp) -> list[str]:
    links = page.evaluate(FOCUS_SETUP)
    reached, problems = [], []
    for focused in focus_walk(page, cdp, len(links)):
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


def view_problems(tabs, site, axe_js, page_path, view) -> list[str]:
    """Everything wrong with one page in one view, each as a line. In WATCH_VIEW the page stays open,
    watched, for watch_problems."""
    problems: list[str] = []
    with open_view(tabs, page_path, view, keep=view == WATCH_VIEW) as (page, visit):
        LOADED[page_path, view[0]] = visit.bytes_loaded(site)  # as loaded, before any key is pressed
        sideways = page.evaluate(SIDEWAYS)
        if sideways:
            problems.append(f"sideways scroll: scrollWidth {sideways['scrollWidth']} > innerWidth "
                            f"{sideways['innerWidth']}; too wide: {sideways['widest']}")
        problems += [f"text alternative: {p}" for p in page.evaluate(TEXT_ALTERNATIVES)]
        problems += [f"keyboard: {p}" for p in keyboard_problems(page, visit.cdp)]
        # The site's CSP (script-src 'none') refuses a <script> tag, rightly: run axe
        # through the DevTools protocol instead, which page CSP does not govern.
        page.evaluate(axe_js.read_text(encoding="utf-8") + "\n;undefined")
        for v in page.evaluate(RUN_AXE, AXE_TAGS):
            nodes = "; ".join(f"{n['target']} ({n['summary']})" for n in v["nodes"][:5])
            problems.append(f"axe {v['id']} [{v['impact']}]: {v['help']} — {len(v['nodes'])} element(s): {nodes} — {v['url']}")
        problems += [f"console {c}" for c in visit.console]
        problems += [f"failed request: {f}" for f in visit.failed]
        # Inert: no navigation, frame or script, nothing from another origin. A meta refresh or a late
        # request: watch_problems, once SETTLE_S has passed since the load in WATCH_VIEW.
        problems += [f"not inert: {p}" for p in visit.inert_problems(page, settle=False)]
    return problems


def watch_problems(tabs, page_path) -> list[str]:
    """What the page did in WATCH_VIEW by SETTLE_S after its load, as a reader sitting on it would see:
    a meta refresh, a late request, a frame or script. Its reader-view test left it open, and the page's
    other views ran meanwhile (conftest.py orders them), so there is little or nothing left to wait;
    without that test (run alone), the page is opened here."""
    _, visit = tabs.kept.pop(page_path, (None, None))
    if visit is None or tabs.tab(WATCH_VIEW)[2].get("visit") is not visit:
        with open_view(tabs, page_path, WATCH_VIEW, keep=True) as (_, visit):
            pass
        tabs.kept.pop(page_path)
    try:
        return [f"not inert: {p}" for p in visit.inert_problems(tabs.tab(WATCH_VIEW)[1], settle=True)]
    finally:
        tabs.leave(WATCH_VIEW[0])


def test_reader_view(tabs, site, axe_js, page_path, view):
    problems = view_problems(tabs, site, axe_js, page_path, view)
    if problems:
        pytest.fail(f"{page_path} at {view[0]}: {len(problems)} problem(s)\n  " + "\n  ".join(problems), pytrace=False)


def test_page_stays_put_after_loading(tabs, page_path):
    problems = watch_problems(tabs, page_path)
    if problems:
        pytest.fail(f"{page_path} at {WATCH_VIEW[0]}, {SETTLE_S} s after loading: " + "; ".join(problems), pytrace=False)


# A page made to fail every check above once (no policy, not built): so that a pass means something.
MADE_TO_FAIL = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>made to fail</title>
<meta name="viewport" content="width=device-width">
<style>a.ringless:focus { outline: none; box-shadow: none; } .pale { color: #ccc; background: #fff; }</style></head>
<body><main><h1>Made to fail</h1>
<p><a href="/a">first</a> <a href="/b" tabindex="3">jumps the queue</a> <a class="ringless" href="/c">no ring</a></p>
<p class="pale">Pale text on white.</p>
<div style="width: 3000px">too wide</div>
<img src="/missing.png" width="10" height="10">
<img src="http://localhost:9/pixel.png" alt="from elsewhere">
<iframe src="/framed.html" title="a frame"></iframe>
<script>console.error("made to fail")</script>
</main></body></html>"""


def test_the_checks_find_each_problem_on_a_page_made_to_fail(browser, axe_js, tmp_path):
    from .conftest import serving
    from .views import Tabs

    (tmp_path / "bad.html").write_text(MADE_TO_FAIL, encoding="utf-8")
    (tmp_path / "framed.html").write_text("<!doctype html><title>framed</title>", encoding="utf-8")
    (tmp_path / "elsewhere.html").write_text("<!doctype html><title>elsewhere</title>", encoding="utf-8")
    # A refresh a second after the load: the view that waits (1280-light) sees it.
    (tmp_path / "refresh.html").write_text(
        "<!doctype html><html lang='en'><title>refresh</title><meta http-equiv='refresh' content='1;url=/elsewhere.html'>"
        "<main><h1>Refresh</h1></main></html>", encoding="utf-8")
    with serving(tmp_path) as base:
        tabs = Tabs(browser, base)
        try:
            # Another page in the tab first: the watchers must carry over from page to page.
            (tmp_path / "fine.html").write_text("<!doctype html><html lang='en'><title>fine</title><main><h1>Fine</h1></main></html>")
            assert view_problems(tabs, tmp_path, axe_js, "/fine.html", WATCH_VIEW) == []
            assert watch_problems(tabs, "/fine.html") == []
            found = "\n".join(view_problems(tabs, tmp_path, axe_js, "/bad.html", WATCH_VIEW))
            # Opened and kept without the other checks (the refresh would pull the page from under
            # them), then watched as every page is.
            with open_view(tabs, "/refresh.html", WATCH_VIEW, keep=True):
                pass
            found += "\n" + "\n".join(watch_problems(tabs, "/refresh.html"))
        finally:
            tabs.close()
    expected = [
        "sideways scroll", "text alternative: img without alt", "keyboard: no visible focus indicator",
        "keyboard: Tab did not reach every link in DOM order", "axe color-contrast", "console error: made to fail",
        "failed request: http://127.0.0.1", "/missing.png", "not inert: navigated to", "not inert: requested from another origin",
        "http://localhost:9/pixel.png", "not inert: ran scripts", "not inert: 1 frame(s) inside the page",
    ]
    assert [e for e in expected if e not in found] == [], found

"""Open one page in one view, the way a reader does, and record everything the page asked for."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

SHOWN_IMAGES = "Array.from(document.images).filter(i => i.getClientRects().length > 0)"

# Bring every picture the page shows into view, as a reader scrolling through would, so that lazily
# loaded charts load; then back to the top. Only the pictures a reader can reach are visited (a lazy
# picture that is not rendered, in a closed <details> or hidden, is never fetched), one frame each:
# scrolling the whole page a screen at a time cost ~0.8 s on the longest page at 390 px.
SCROLL_THROUGH = f"""async () => {{
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (const img of {SHOWN_IMAGES}) {{
    if (img.complete) continue;
    img.scrollIntoView({{block: 'center'}});
    await frame();
  }}
  window.scrollTo(0, 0);
  await frame();
}}"""

SETTLE_S = 1.5  # a meta refresh of 0–1 s, or a late request, has happened by then


@dataclass
class Visit:
    """What a page did while it was open in one view."""
    base: str
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    local_paths: list[str] = field(default_factory=list)
    # Inertness: scripts parsed in the page's own world while it loaded (Playwright's helpers run in
    # isolated worlds; our own evaluate() calls come after `loaded`), and every navigation of the tab.
    scripts: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    url: str = ""
    loaded_at: float | None = None  # time.monotonic() at the load event
    cdp: object = None  # the tab's DevTools session (keyboard_problems sends keys through it)

    def inert_problems(self, page, settle: bool = True) -> list[str]:
        """What a page did that it must not: navigate (a meta refresh), hold a frame, run a script,
        ask another origin for anything. `settle`: first let SETTLE_S pass since the load."""
        if settle and self.loaded_at is not None:
            left = self.loaded_at + SETTLE_S - time.monotonic()
            if left > 0:
                page.wait_for_timeout(left * 1000)
        problems = []
        navigations = [u for u in self.navigations if u != self.url]
        if page.url != self.url or navigations:
            problems.append(f"navigated to {navigations or page.url}")
        if self.foreign:
            problems.append(f"requested from another origin: {self.foreign}")
        if self.scripts:
            problems.append(f"ran scripts: {self.scripts}")
        if len(page.frames) != 1:
            problems.append(f"{len(page.frames) - 1} frame(s) inside the page")
        return problems

    def bytes_loaded(self, site: Path) -> dict[str, int]:
        """Each file the page loaded from the local server, with its size in the output."""
        sizes = {}
        for path in dict.fromkeys(self.local_paths):
            rel = unquote(path).lstrip("/")
            file = site / rel
            if path.endswith("/"):
                file = file / "index.html"
            if file.is_file():
                sizes[path] = file.stat().st_size
        return sizes


class Tabs:
    """One tab per view (width and colour scheme), each in a context of its own, reused from page to page.

    A new context costs a new renderer process, ~0.4 s of CPU, and there are 28 pages × 4 views. Nothing a
    reader would notice carries over from one page to the next: Playwright's routing turns the cache off,
    so each page loads all it needs again (test_budgets checks this against a fresh context), scripts never
    see :visited styles, and each page starts from a new document with nothing focused.
    """

    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base
        self.tabs: dict[str, tuple] = {}  # view name -> (context, page, holder of the current Visit, DevTools session)
        # Pages left open to be watched a while longer (open_view(keep=True)): page path -> (view name, Visit).
        self.kept: dict[str, tuple[str, Visit]] = {}

    def tab(self, view: tuple[str, int, str]):
        name, width, scheme = view
        if name in self.tabs and not self.tabs[name][1].is_closed():
            return self.tabs[name]
        origin = urlsplit(self.base)[:2]
        current: dict[str, Visit] = {}
        context = self.browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)

        def route(r):
            url, visit = r.request.url, current.get("visit")
            if urlsplit(url)[:2] == origin:
                if visit:
                    visit.local_paths.append(urlsplit(url).path)
                r.continue_()
            else:
                if visit:
                    visit.foreign.append(f"{r.request.resource_type} {url}")
                r.abort()

        def record(what: str, text: str) -> None:
            if "visit" in current:
                getattr(current["visit"], what).append(text)

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: m.type in ("error", "warning") and record(
            "console", f"{m.type}: {m.text} (at {m.location.get('url', '?')}:{m.location.get('lineNumber', '?')})"))
        page.on("pageerror", lambda e: record("console", f"uncaught: {e}"))
        page.on("requestfailed", lambda r: record("failed", f"{r.url}: {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and record("failed", f"{r.url}: HTTP {r.status}"))
        page.on("framenavigated", lambda f: f == page.main_frame and record("navigations", f.url))

        def script_parsed(event):
            visit = current.get("visit")
            if visit and visit.loaded_at is None and (event.get("executionContextAuxData") or {}).get("isDefault"):
                visit.scripts.append(event.get("url") or "(inline)")

        cdp = context.new_cdp_session(page)
        cdp.send("Debugger.enable")
        cdp.on("Debugger.scriptParsed", script_parsed)
        self.tabs[name] = (context, page, current, cdp)
        return self.tabs[name]

    def leave(self, name: str) -> None:
        """Leave the view's page for a blank one: nothing it still does is counted against the next."""
        _, page, current, _ = self.tabs[name]
        current.pop("visit", None)
        self._forget_kept(name)
        page.goto("about:blank")

    def drop(self, name: str) -> None:
        self._forget_kept(name)
        context = self.tabs.pop(name)[0]
        context.close()

    def _forget_kept(self, name: str) -> None:
        """The view's page is left: nothing of it is kept any more."""
        self.kept = {path: kept for path, kept in self.kept.items() if kept[0] != name}

    def close(self) -> None:
        for name in list(self.tabs):
            self.drop(name)


@contextmanager
def open_view(tabs: Tabs, page_path: str, view: tuple[str, int, str], keep: bool = False):
    """The page loaded in the view's tab and scrolled through: yields (page, visit).

    Requests to any origin but the local server are recorded and aborted (the network is closed,
    and a reader's privacy is the point). `keep`: the page stays open afterwards, still watched,
    in `tabs.kept` (the tab's next page leaves it first).
    """
    _, page, current, cdp = tabs.tab(view)
    if "visit" in current:
        tabs.leave(view[0])
    visit = Visit(tabs.base, url=tabs.base + page_path, cdp=cdp)
    current["visit"] = visit
    left = False
    try:
        response = page.goto(visit.url, wait_until="load")
        visit.loaded_at = time.monotonic()
        assert response is not None and response.ok, f"{page_path}: HTTP {response and response.status}"
        page.evaluate(SCROLL_THROUGH)
        # Every picture the page shows finished (loaded or broken) before anything is measured;
        # a lazy picture that is not rendered (hidden, closed <details>) is never fetched.
        try:
            # A function, not an expression: Playwright evaluates an expression string with
            # eval(), which the site's CSP (no 'unsafe-eval') rightly refuses.
            page.wait_for_function(f"() => {SHOWN_IMAGES}.every(i => i.complete)", timeout=30_000)
        except PlaywrightTimeout:
            pending = page.evaluate(f"{SHOWN_IMAGES}.filter(i => !i.complete).map(i => i.currentSrc || i.src)")
            visit.failed.append(f"pictures still loading after 30 s: {pending}")
        page.wait_for_load_state("load")
        yield page, visit
        if keep:
            tabs.kept[page_path] = (view[0], visit)
        else:
            tabs.leave(view[0])
        left = True
    finally:
        if not left:  # a failure on the page: the next page gets a new tab
            current.pop("visit", None)
            tabs.drop(view[0])

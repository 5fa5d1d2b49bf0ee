"""Open one page in one view, the way a reader does, and record everything the page asked for."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# Scroll through the page so that lazily loaded charts load, then back to the top.
SCROLL_THROUGH = """async () => {
  const step = Math.max(200, window.innerHeight - 100);
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 20)));
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  await new Promise(r => setTimeout(r, 20));
  window.scrollTo(0, 0);
}"""

SHOWN_IMAGES = "Array.from(document.images).filter(i => i.getClientRects().length > 0)"


@dataclass
class Visit:
    """What a page did while it was open in one view."""
    base: str
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    local_paths: list[str] = field(default_factory=list)

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
        self.tabs: dict[str, tuple] = {}  # view name -> (context, page, holder of the current Visit)

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
        self.tabs[name] = (context, page, current)
        return self.tabs[name]

    def drop(self, name: str) -> None:
        context, _, _ = self.tabs.pop(name)
        context.close()

    def close(self) -> None:
        for name in list(self.tabs):
            self.drop(name)


@contextmanager
def open_view(tabs: Tabs, page_path: str, view: tuple[str, int, str]):
    """The page loaded in the view's tab and scrolled through: yields (page, visit).

    Requests to any origin but the local server are recorded and aborted (the network is closed,
    and a reader's privacy is the point).
    """
    _, page, current = tabs.tab(view)
    visit = Visit(tabs.base)
    current["visit"] = visit
    left = False
    try:
        response = page.goto(tabs.base + page_path, wait_until="load")
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
        # Leave the page before the next one: nothing it still does is counted against that one.
        current.pop("visit", None)
        page.goto("about:blank")
        left = True
    finally:
        current.pop("visit", None)
        if not left:  # a failure on the page: the next page gets a new tab
            tabs.drop(view[0])

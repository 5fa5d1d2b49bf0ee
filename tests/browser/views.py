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


@contextmanager
def open_view(browser, base: str, page_path: str, view: tuple[str, int, str]):
    """A fresh context at the view's width and colour scheme, the page loaded and scrolled through.

    Requests to any origin but the local server are recorded and aborted (the network is closed,
    and a reader's privacy is the point): yields (page, visit).
    """
    _, width, scheme = view
    origin = urlsplit(base)[:2]
    visit = Visit(base)
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)

    def route(r):
        url = r.request.url
        if urlsplit(url)[:2] == origin:
            visit.local_paths.append(urlsplit(url).path)
            r.continue_()
        else:
            visit.foreign.append(f"{r.request.resource_type} {url}")
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type in ("error", "warning") and visit.console.append(
        f"{m.type}: {m.text} (at {m.location.get('url', '?')}:{m.location.get('lineNumber', '?')})"))
    page.on("pageerror", lambda e: visit.console.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: visit.failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and visit.failed.append(f"{r.url}: HTTP {r.status}"))
    try:
        response = page.goto(base + page_path, wait_until="load")
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
            visit.failed.append(f"pictures still loading after 10 s: {pending}")
        page.wait_for_load_state("load")
        yield page, visit
    finally:
        context.close()

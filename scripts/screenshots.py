"""Screenshot every page at 390 px and 1280 px, light and dark, for review.

    make screenshots            -> screenshots/<page>-<width>-<scheme>.png (git ignores the folder)

Uses Debian's Chromium through Playwright and serves output/ on loopback.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWS = [(390, "light"), (390, "dark"), (1280, "light"), (1280, "dark")]


def pages(output: Path) -> list[str]:
    """Every page in the output, as the URL path a reader opens: /, /about-the-data/, /404.html."""
    paths = []
    for file in output.rglob("*.html"):
        rel = file.relative_to(output).as_posix()
        paths.append("/" + (rel.removesuffix("index.html") if file.name == "index.html" else rel))
    return sorted(paths)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(output: Path):
    handler = functools.partial(QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str]) -> int:
    output = ROOT / "output"
    target = ROOT / "screenshots"
    target.mkdir(exist_ok=True)
    only = argv[1:] or None
    server = serve(output)
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, scheme in VIEWS:
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            page = context.new_page()
            for path in pages(output):
                if only and path not in only:
                    continue
                page.goto(base + path)
                # Charts load lazily: scroll through so every picture is in the shot.
                for y in range(0, page.evaluate("document.body.scrollHeight"), 600):
                    page.evaluate(f"window.scrollTo(0, {y})")
                    page.wait_for_timeout(30)
                page.wait_for_load_state("networkidle")
                page.evaluate("window.scrollTo(0, 0)")
                name = (path.strip("/").replace("/", "_").removesuffix(".html") or "home") + f"-{width}-{scheme}.png"
                page.screenshot(path=str(target / name), full_page=True)
                print(target / name)
            context.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

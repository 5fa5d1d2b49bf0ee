"""`make serve` and `make devserver`: serve the site; in the devserver, the open pages follow every save.

The devserver builds in a fresh process per save (a crash cannot take the server down; a
failed build leaves the last good site in place) and tells the open pages what happened over
Server-Sent Events (`/_preview/events`):

- a good build: each page keeps its scroll position and reloads itself;
- a failed one: each page shows a panel over the last good version with the very lines the
  terminal printed (`path:LINE: what — how`); a page opened while the site is broken has the
  panel from the start. The next good save clears it (the page reloads).

The script and the policy that lets it run exist only in what the devserver sends: it adds
them to each HTML response as it serves it, never to a file. `output/` keeps
`script-src 'none'`. The script is one constant, allowed by its hash, not by `'unsafe-inline'`.

`/_preview/` is the preview desk (devserver only): every chart in its four variants at real
widths, every page's social card as a link preview shows it, every figure with its value and
where it is used, every claim as the claims page computes it, and the current findings of the typed-figure and house-style rules.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

WATCHED = ("content", "data", "theme", "plugins", "pelicanconf.py")
CODE_ROOT = Path(__file__).resolve().parents[2]

# The only script the preview runs. It reads the build it was served at from its own
# data-generation attribute, so its text never changes and one hash allows it.
LIVE_SCRIPT = """
(() => {
  "use strict";
  const me = document.currentScript;
  const served = Number(me.dataset.generation);
  const key = "figures-preview-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    restore();
    window.addEventListener("load", restore, { once: true });
  }
  let seen = served;
  const dismiss = () => {
    const panel = document.getElementById("preview-problems");
    if (!panel) return;
    const focused = panel.contains(document.activeElement);
    panel.remove();
    if (focused) document.getElementById("main")?.focus();
  };
  const wire = (panel) => panel?.querySelector("button")?.addEventListener("click", dismiss);
  const show = (problems, built) => {
    dismiss();
    const blueprint = built ? "preview-problems-built-template" : "preview-problems-template";
    const panel = document.getElementById(blueprint).content.firstElementChild.cloneNode(true);
    panel.querySelector("[data-count]").textContent = problems.length === 1 ? "1 problem" : problems.length + " problems";
    const list = panel.querySelector("ul");
    for (const line of problems) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    wire(panel);
    document.body.append(panel);
  };
  wire(document.getElementById("preview-problems"));
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") dismiss(); });
  let events = null;
  const listen = () => {
    events = new EventSource("/_preview/events?since=" + seen);
    events.addEventListener("reload", (event) => {
      const data = JSON.parse(event.data);
      if (data.generation <= seen) return;
      // Only the downloads and social cards changed since this page was served: the desk shows them.
      if (!data.pages && !location.pathname.startsWith("/_preview/")) {
        seen = data.generation;
        return;
      }
      sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY]));
      events.close();
      location.reload();
    });
    events.addEventListener("problems", (event) => {
      const data = JSON.parse(event.data);
      if (data.generation <= seen) return;
      seen = data.generation;
      show(data.problems, data.built);
    });
  };
  // A hidden tab lets its stream go (a browser opens only six connections to one server) and
  // catches up when shown again: the server answers at once if a build came in between.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      events?.close();
      events = null;
    } else if (!events) {
      listen();
    }
  });
  if (!document.hidden) listen();
})();
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(LIVE_SCRIPT.encode()).digest()).decode()

META_CSP_RE = re.compile(r"""<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=["']([^"']*)["']\s*/?>\s*""", re.I)
# The site's policy when a page carries none (the tests' small site, a hand-made page).
DEFAULT_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"


def preview_policy(site_policy: str) -> str:
    """The page's own policy with `script-src` allowing the live script alone (by its hash)."""
    kept = [d.strip() for d in site_policy.split(";") if d.strip() and d.split()[0].lower() not in ("script-src", "script-src-elem", "script-src-attr")]
    return "; ".join([*kept, f"script-src '{SCRIPT_HASH}'"])


class Live:
    """What the open pages are told: the number of the latest build and, if it failed, its problems
    (`built`: it failed after its new pages were in place, drawing the downloads and cards)."""

    def __init__(self):
        self.changed = threading.Condition()
        self.generation = 0
        self.problems: list[str] = []
        self.pages_changed = 0  # the last generation that changed what pages show
        self.later = False  # the latest build is still drawing the charts' downloads and cards
        self.built = False

    def publish(self, problems: list[str], shown: bool = True, later: bool = False, built: bool = False) -> None:
        """A new generation; `shown=False`: only files no page shows changed (downloads, social cards);
        `later`: those are still being drawn (another generation follows)."""
        with self.changed:
            self.generation += 1
            self.problems = list(problems)
            self.later = later
            self.built = built
            if shown:
                self.pages_changed = self.generation
            self.changed.notify_all()

    def snapshot(self) -> tuple[int, list[str], bool]:
        with self.changed:
            return self.generation, list(self.problems), self.built

    def wait(self, since: int, timeout: float) -> dict:
        """What a page served at `since` is told: the generation, its problems, whether the page
        shows something older (`pages`), whether more drawings follow (`later`)."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != since, timeout)
            return {"generation": self.generation, "problems": list(self.problems), "pages": since < self.pages_changed, "later": self.later, "built": self.built}


def _templates(root: Path):
    """The preview's own templates, theme/templates/_preview/ (the project's, for a site without a theme)."""
    theme = root / "theme" if (root / "theme" / "templates" / "_preview").is_dir() else CODE_ROOT / "theme"
    folder = theme / "templates" / "_preview"
    return folder, _environment(folder)


@functools.lru_cache(maxsize=4)
def _environment(folder: Path):
    """One Jinja environment per folder: it reads a template again when the file changes (auto_reload)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]), keep_trailing_newline=True)


def inject(page: str, live: Live, env) -> tuple[str, str]:
    """A page as the preview sends it: the live script and the problems panel added; and its policy."""
    found = META_CSP_RE.search(page)
    policy = preview_policy(html.unescape(found.group(1)) if found else DEFAULT_POLICY)
    if found:  # a <meta> policy would still say script-src 'none': the header carries the preview's
        page = page[: found.start()] + page[found.end():]
    generation, problems, built = live.snapshot()
    head = '<link rel="stylesheet" href="/_preview/preview.css">\n'
    tail = env.get_template("live.html").render(problems=problems, built=built) + f'<script data-generation="{generation}">{LIVE_SCRIPT}</script>\n'
    at = page.lower().find("</head>")
    page = page[:at] + head + page[at:] if at >= 0 else head + page
    at = page.lower().rfind("</body>")
    page = page[:at] + tail + page[at:] if at >= 0 else page + tail
    return page, policy


def make_handler(output: Path, live: Live | None = None, root: Path | None = None):
    """A request handler serving `output` (whatever it is now, even after a rebuild swapped it).

    With `live`, the devserver's: HTML gets the live script, and /_preview/ is answered.
    """

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(output), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 — quieter console
            if os.environ.get("FIGURES_VERBOSE"):
                super().log_message(format, *args)

        def send_error(self, code, message=None, explain=None):
            page = Path(self.directory) / "404.html"
            if code == 404 and page.exists():
                self._send_html(page.read_text(encoding="utf-8", errors="replace"), 404)
                return
            if code == 404 and live is not None:  # no good build yet: the panel must still reach the editor
                self._send_html(_templates(root)[1].get_template("empty.html").render(), 404)
                return
            super().send_error(code, message, explain)

        def _send(self, body: bytes, content_type: str, status: int = 200, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _send_html(self, page: str, status: int = 200) -> None:
            headers = {}
            if live is not None:
                # Never cached: after a rebuild the browser must ask again.
                headers = {"Cache-Control": "no-store"}
                try:
                    page, headers["Content-Security-Policy"] = inject(page, live, _templates(root)[1])
                except Exception as exc:  # noqa: BLE001 — a broken _preview/ template: the page as built
                    if os.environ.get("FIGURES_DEBUG"):
                        raise
                    print(f"{self.path}: sent without the live reload ({type(exc).__name__}: {exc}) — fix theme/templates/_preview/", file=sys.stderr, flush=True)
            self._send(page.encode("utf-8"), "text/html; charset=utf-8", status, headers)

        def do_GET(self):  # noqa: N802 — http.server's name
            self._safely()

        def do_HEAD(self):  # noqa: N802
            self._safely()

        def _safely(self):
            try:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the browser left
                    self._answer()
            except Exception as exc:  # noqa: BLE001 — one page failing must not stop the preview
                if os.environ.get("FIGURES_DEBUG"):
                    raise
                line = f"{self.path}: the preview could not show this ({type(exc).__name__}: {exc}) — save again, or run with FIGURES_DEBUG=1 for details"
                print(line, file=sys.stderr, flush=True)
                self._send(line.encode(), "text/plain; charset=utf-8", 500)

        def _answer(self):
            path = urllib.parse.urlsplit(self.path).path
            if live is not None and (path == "/_preview" or path.startswith("/_preview/")):
                return self._preview(path)
            if live is not None:
                target = Path(self.translate_path(self.path))
                if target.is_dir() and path.endswith("/"):
                    target = target / "index.html"
                if target.suffix == ".html" and target.is_file():
                    return self._send_html(target.read_text(encoding="utf-8", errors="replace"))
            return super().do_GET() if self.command == "GET" else super().do_HEAD()

        def _preview(self, path: str):
            folder, env = _templates(root)
            if path == "/_preview/events":
                return self._events()
            if path == "/_preview/preview.css":
                return self._send((folder / "preview.css").read_bytes(), "text/css; charset=utf-8", headers={"Cache-Control": "no-store"})
            if path in ("/_preview", "/_preview/"):
                if path == "/_preview":
                    self.send_response(301)
                    self.send_header("Location", "/_preview/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                from .desk import desk_context

                return self._send_html(env.get_template("desk.html").render(**desk_context(root, output)))
            return self.send_error(404)

        def _events(self):
            """Server-Sent Events: `reload` after a good build, `problems` after a failed one.

            A `reload` says whether a page served at `since` shows something older (`pages`): after
            a figure edit, a second one comes when the downloads and cards are drawn (only the desk shows them).
            """
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            try:
                since = int(query.get("since", ["0"])[0])
            except ValueError:
                since = 0
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                # A lost connection is retried after half a second (the browser does it).
                self.wfile.write(b"retry: 500\n\n")
                self.wfile.flush()
                while True:
                    news = live.wait(since, timeout=15)
                    if news["generation"] == since:
                        self.wfile.write(b": still here\n\n")  # a comment: finds a closed tab
                    else:
                        since = news["generation"]
                        self.wfile.write(f"event: {'problems' if news['problems'] else 'reload'}\ndata: {json.dumps(news)}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def serve(output: Path, port: int, live: Live | None = None, root: Path | None = None):
    """Serve `output` on localhost with the site's own 404 page; with `live`, as the devserver does
    (then the server is returned, to be run in a thread)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(output, live, root))
    server.daemon_threads = True  # an open page's event stream never keeps the process alive
    print(f"Serving {output} at http://localhost:{port}/ (Ctrl-C to stop)", flush=True)
    if live is not None:
        return server
    # Ctrl-C is how one stops serving: no traceback, nothing more to say.
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return None


class Worker:
    """The warm build worker (worker.py): started once, started again when what it imported changed.

    `build()` answers None when the worker cannot build (it would not start, e.g. a syntax
    error in the plugin, or it died): the devserver then builds in a fresh process, which
    says what is wrong as `make html` would.
    """

    def __init__(self, root: Path):
        self.root = root
        self.process: subprocess.Popen | None = None
        self.watched: list[Path] = []  # the project's modules it imported, and the settings files
        self.stamp = ""

    def _stamp(self) -> str:
        from .cli import _stamps

        return _stamps(self.watched)

    def _start(self) -> bool:
        from . import worker

        env = {**os.environ, "PYTHONPATH": str(CODE_ROOT), worker.PARENT: str(os.getpid())}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plugins.figures.worker"], cwd=self.root, env=env,
            stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace", bufsize=1,
        )
        for line in self.process.stderr:
            if line.startswith(worker.READY):
                modules = json.loads(line.removeprefix(worker.READY))
                self.watched = [*map(Path, modules), self.root / "pelicanconf.py", self.root / "publishconf.py"]
                self.stamp = self._stamp()
                return True
        self.stop()  # it could not even start: the fresh process will say why
        return False

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.kill()
            self.process.wait()
            for stream in (self.process.stdin, self.process.stderr):
                with contextlib.suppress(OSError):
                    stream.close()
            self.process = None

    def build(self, drafts: bool, swapped=None) -> tuple[int, list[str]] | None:
        """(exit status, stderr lines) of one build forked from the worker, each line echoed as it comes.

        `swapped()` is called when the build says its new site is in place (cli.build's `swapped`).
        """
        from . import worker

        if self.process is not None and (self.process.poll() is not None or self._stamp() != self.stamp):
            self.stop()  # it died, or its code or settings changed: what it imported is stale
        if self.process is None and not self._start():
            return None
        lines: list[str] = []
        with contextlib.suppress(OSError):  # a broken pipe: the worker is gone
            self.process.stdin.write(json.dumps({"drafts": drafts}) + "\n")
            self.process.stdin.flush()
            for line in self.process.stderr:
                if line.startswith(worker.DONE):
                    return int(line.removeprefix(worker.DONE)), lines
                if line.rstrip("\n") == worker.SWAPPED:
                    if swapped is not None:
                        swapped()
                    continue
                sys.stderr.write(line)
                sys.stderr.flush()
                lines.append(line.rstrip("\n"))
        self.stop()  # the worker itself died during the build (the build runs in a fork of it)
        return None


def rebuild(root: Path, drafts: bool, live: Live, worker: Worker | None = None) -> bool:
    """One build, forked from the warm worker (or in a fresh process); its problem lines go to the
    terminal and to the open pages."""
    started = time.perf_counter()
    in_place = []

    def swapped() -> None:  # the pages reload now; the charts' downloads and cards being drawn follow
        in_place.append(time.perf_counter() - started)
        live.publish([], later=True)
        print(f"Rebuilt in {in_place[0]:.2f} s. The open pages reload; the charts' downloads and social cards follow.", flush=True)

    done = worker.build(drafts, swapped) if worker is not None else None
    if done is None:
        in_place.clear()
        done = _fresh_build(root, drafts)
    returncode, lines = done
    took = time.perf_counter() - started
    if returncode == 0:
        if in_place:  # only files no page shows changed since: the desk reloads, the pages need not
            live.publish([], shown=False)
            print(f"Downloads and social cards drawn in {took:.2f} s.", flush=True)
        else:
            live.publish([])
            print(f"Rebuilt in {took:.2f} s. The open pages reload.", flush=True)
        return True
    # The same lines as the terminal, less the closing "Build stopped: …" summary (the panel says it).
    problems = [line for line in lines if line.strip() and not line.startswith("Build stopped:")]
    if not problems:  # died without a word (killed, out of memory)
        problems = [f"build: the build stopped without saying why (exit status {returncode}) — save again; if it happens again, run make html to see more"]
        print(problems[0], file=sys.stderr, flush=True)  # the terminal says what the pages say
    live.publish(problems, built=bool(in_place))
    if in_place:  # stopped after its swap: the new pages are served, some drawings are missing
        print("Serving the new pages, without every chart download and social card. Fix the problem above and save again.", flush=True)
    else:
        print("Still serving the last good site. Fix the problem above and save again.", flush=True)
    return False


def _fresh_build(root: Path, drafts: bool) -> tuple[int, list[str]]:
    """One build in a fresh process: slower, but it needs nothing of the worker."""
    env = {**os.environ, "PYTHONPATH": str(CODE_ROOT)}
    command = [sys.executable, "-m", "plugins.figures.cli", "build", *(["--drafts"] if drafts else [])]
    lines: list[str] = []
    with subprocess.Popen(command, cwd=root, env=env, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace") as process:
        for line in process.stderr:  # echoed as it comes, and kept for the pages
            sys.stderr.write(line)
            sys.stderr.flush()
            lines.append(line.rstrip("\n"))
    return process.returncode, lines


def devserver(port: int, root: Path, drafts: bool = False, preview_folder: Path = Path(".cache") / "preview") -> None:
    """Build, serve, and rebuild on every change; a bad save keeps the last good site.

    With `drafts`, the preview: drafts included, served from .cache/preview/.
    """
    from watchfiles import watch

    from .files import is_editor_file

    def worth_a_build(change, path: str) -> bool:
        # An editor's lock, backup or swap file changes nothing the build reads.
        return "__pycache__" not in path and not is_editor_file(os.path.basename(path))

    live = Live()
    worker = Worker(root)
    rebuild(root, drafts, live, worker)
    output = root / (preview_folder if drafts else "output")
    server = serve(output, port, live, root)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    paths = [root / p for p in WATCHED if (root / p).exists()]
    announced = False
    # The desk's address is printed once the watcher is armed (its first idle wake-up), so a save
    # made after that line shows is always seen.
    # step: how long the watcher waits for more changes after one (watchfiles' default, 50 ms, is a
    # tenth of a page edit's whole loop); a save's own writes and renames come within a millisecond.
    for changes in watch(*paths, watch_filter=worth_a_build, step=10, rust_timeout=200, yield_on_timeout=True):  # Ctrl-C ends it (cli.py says so)
        if not announced:
            print(f"Preview desk (every chart, card, figure and claim): http://localhost:{port}/_preview/", flush=True)
            announced = True
        if not changes:
            continue
        print(f"Changed: {', '.join(sorted(os.path.relpath(p, root) for _, p in changes))}", flush=True)
        rebuild(root, drafts, live, worker)

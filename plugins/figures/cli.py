"""The commands behind `make check`, `make html`, `make serve` and `make devserver`.

    python -m plugins.figures.cli check               validate data/, references, typed figures, template syntax (no Pelican, no matplotlib)
    python -m plugins.figures.cli build [--settings publishconf.py] [--output output]
    python -m plugins.figures.cli publish [--output output]   a full build with publishconf.py
    python -m plugins.figures.cli serve [--port 8000]  serve output/ (with the 404 page)
    python -m plugins.figures.cli devserver           rebuild on every change, keep serving the last good site

A build writes into a fresh folder beside the output, checks every internal
link and address in it, and swaps it in only when everything succeeded: a bad
edit never leaves a half-built site.
Errors print as `path:LINE: what — how to fix`, one per line, exit status 1.
Set FIGURES_DEBUG=1 to see a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

# The project is the folder the command runs in (make runs it at the top level);
# the code may live elsewhere, e.g. when tests build their small test site.
ROOT = Path.cwd()
CODE_ROOT = Path(__file__).resolve().parents[2]


def _print_errors(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)
    print(f"Build stopped: {len(lines)} problem{'s' if len(lines) != 1 else ''} to fix. The site was not changed.", file=sys.stderr)


def check(root: Path = ROOT) -> int:
    """Validate data/, and the figure references and typed numbers in content/ and theme/."""
    from . import lint, references
    from .data import load
    from .errors import EditorError, EditorErrors
    from .pages import check_pages

    try:
        data = load(root / "data", display_prefix="data")
    except EditorErrors as exc:
        _print_errors([e.one_line() for e in exc.errors])
        return 1
    errors = lint.check_data_texts(data)
    pages = sorted((root / "content").rglob("*.md"))
    # A site without its own theme/ (the tests' small site) uses the project's, as its settings say.
    theme = root / "theme" if (root / "theme").is_dir() else CODE_ROOT / "theme"
    display = lambda p: os.path.relpath(p, root)  # noqa: E731
    for page in pages:
        for number, line in enumerate(page.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            for _, what, how in references.problems_in_text(line, data, allow_charts=True):
                errors.append(EditorError(display(page), number, what, how))
            errors += _unresolvable_links(page, number, line, root / "content", display)
    errors += check_pages(pages, theme / "templates", display)  # as the build does (pages.py)
    # Typed figures and house style in every text readers see (as the build does).
    languages = ("en", "es") if (root / "data" / "es.yaml").exists() else ("en",)
    errors += lint.check_site_texts(root / "content", root / "data", theme, data, display, languages, settings=root / "pelicanconf.py")
    errors += lint.check_corrections(data, lint.page_slugs(root / "content"))
    problems = [e.one_line() for e in EditorErrors(errors).errors] + check_templates(root / "theme" / "templates", root)
    if problems:
        _print_errors(problems)
        return 1
    print(f"data/ and {len(pages)} pages check out.")
    return 0


FILENAME_LINK_RE = re.compile(r"\]\((\{filename\}([^)#\s]*)[^)\s]*)")


def _unresolvable_links(page: Path, number: int, line: str, content: Path, display) -> list:
    """[text]({filename}x.md) naming no file: the same line the build's link check gives."""
    from .errors import EditorError
    from .links import UNRESOLVED, _hint

    found = []
    for match in FILENAME_LINK_RE.finditer(line):
        name = match.group(2)
        target = content / name.lstrip("/") if name.startswith("/") else page.parent / name
        if not name or not target.is_file():
            found.append(EditorError(display(page), number, f"the link `{match.group(1)}` {UNRESOLVED}", _hint(UNRESOLVED, in_markdown=True)))
    return found


class _Collect(logging.Handler):
    """Pelican logs some failures (e.g. a page it could not read) and carries on: catch them, as one line each."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []
        self.content = "content"  # the content folder as editors see it, once the settings are read

    def emit(self, record):
        message = record.getMessage().splitlines()[0]
        # Pelican logs from inside its `except` block: the exception is still at hand.
        exc = sys.exc_info()[1]
        detail = " ".join(f"{type(exc).__name__}: {exc}".split()) if exc else ""
        page = re.fullmatch(r"Could not process (.+)", message)
        if page:
            self.messages.append(
                f"{self.content}/{page.group(1)}: this page could not be read{f' ({detail})' if detail else ''}"
                " — fix the problems listed with it, or run with FIGURES_DEBUG=1 for details"
            )
        else:
            self.messages.append(f"build: {message}{f' ({detail})' if detail else ''} — run with FIGURES_DEBUG=1 for details")


def _display(name: str, root: Path = ROOT) -> str:
    """A file name as editors see it: relative to the project (or to the code, for its theme)."""
    for base in (root, CODE_ROOT):
        if os.path.abspath(name).startswith(str(base) + os.sep):
            return os.path.relpath(name, base)
    return name


def _syntax_error_line(exc, root: Path = ROOT) -> str:
    name = _display(exc.filename or exc.name or "template", root)
    if exc.message and exc.message.startswith("Unexpected end of template"):
        how = "a {% block %}, {% if %} or {% for %} above is never closed: add its {% end… %} tag"
    else:
        how = "fix the template syntax on this line"
    return f"{name}:{exc.lineno}: template error: {exc.message} — {how}"


def _template_error(exc) -> str | None:
    """One line for an error raised while Jinja read or ran a template, naming its file and line."""
    import traceback

    from jinja2 import TemplateError, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return _syntax_error_line(exc)
    # Jinja rewrites tracebacks so that template frames carry the template's file and line.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml"))]
    if frames:
        frame = frames[-1]
        what = str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
        return f"{_display(frame.filename)}:{frame.lineno}: template error: {what} — check the names used on this line of the template"
    if isinstance(exc, TemplateError):
        return f"theme/templates: template error: {exc} — check the template named in the message"
    return None


def check_templates(folder: Path, root: Path = ROOT) -> list[str]:
    """The syntax of every template, without building (Jinja parses in milliseconds)."""
    from jinja2 import Environment, TemplateSyntaxError

    env = Environment()
    problems = []
    for path in sorted(folder.rglob("*.html")):
        try:
            env.parse(path.read_text(encoding="utf-8", errors="replace"), name=path.name, filename=str(path))
        except TemplateSyntaxError as exc:
            problems.append(_syntax_error_line(exc, root))
    return problems


def build(settings_file: str = "pelicanconf.py", output: str | None = None, root: Path = ROOT, force: bool = False) -> int:
    """Build the site into a fresh folder, check its links, then swap it in; 0 on success."""
    debug = bool(os.environ.get("FIGURES_DEBUG"))
    # Decide "nothing changed" before importing Pelican: a no-op build does no work.
    target = Path(output or "output")
    if not target.is_absolute():
        target = root / target
    # One stamp per output folder (the fingerprint covers the settings file): after
    # `make publish`, `make html` must rebuild output/ with local links.
    stamp = root / ".cache" / f"last-build-{target.name}"
    fingerprint = _fingerprint(root, settings_file)
    if not force and target.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        print(f"Nothing changed since the last build; {os.path.relpath(target, root)}/ is up to date.")
        return 0
    # Imported as Pelican imports the plugin (`figures`, from plugins/): one set of
    # modules, so the data checked and cached below is the very object the plugin reuses.
    sys.path.insert(0, str(CODE_ROOT / "plugins"))
    # Charts will probably be redrawn if their inputs changed: start the drawing
    # process (and its matplotlib import) first, so it overlaps everything else.
    chart_stamp = root / ".cache" / "last-build-chart-inputs"
    chart_inputs = _chart_fingerprint(root)
    if not (chart_stamp.exists() and chart_stamp.read_text() == chart_inputs):
        import figures.pool

        figures.pool.warm_up()
    # A bad data edit is refused before Pelican is even imported: a fraction of a second.
    # (The plugin checks the data again inside the build, wherever the settings put it.)
    if (root / "data").is_dir():
        from figures.data import load_cached
        from figures.errors import EditorErrors

        cache = Path(os.environ.get("FIGURES_CACHE_PATH") or root / ".cache" / "charts").parent
        try:
            load_cached(root / "data", cache, display_prefix="data")
        except EditorErrors as exc:
            _print_errors([e.one_line() for e in exc.errors])
            return 1

    from pelican import Pelican
    from pelican.settings import read_settings

    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    collector = _Collect()
    logging.getLogger().addHandler(collector)
    problems: list[str] = []
    try:
        settings = read_settings(str(root / settings_file), override={"OUTPUT_PATH": str(scratch)})
        collector.content = _display(settings["PATH"], root)
        Pelican(settings).run()
        if not collector.messages:
            # Last check before the swap: every link inside the new site leads somewhere.
            # (The plugin's copy of the module: it parsed the pages while charts were drawn.)
            from figures.links import check as check_links

            pages = sorted(Path(settings["PATH"]).rglob("*.md"))
            cache_file = root / ".cache" / f"links-{target.name}.pickle"
            problems = [e.one_line() for e in check_links(scratch, settings.get("SITEURL", ""), pages, lambda p: _display(str(p), root), cache_file)]
    except Exception as exc:  # noqa: BLE001 — editors get one line; FIGURES_DEBUG=1 shows the rest
        # Pelican imports the plugin as `figures`, this file as `plugins.figures`:
        # two EditorErrors classes, so recognise ours by its shape.
        if type(exc).__name__ == "EditorErrors" and hasattr(exc, "errors"):
            problems = [e.one_line() for e in exc.errors]
        elif debug:
            raise
        else:
            problems = [_template_error(exc) or f"build error: {type(exc).__name__}: {exc} — run with FIGURES_DEBUG=1 for details"]
    finally:
        logging.getLogger().removeHandler(collector)
        _stop_drawing()
    problems += collector.messages
    if problems:
        shutil.rmtree(scratch, ignore_errors=True)
        _print_errors(problems)
        return 1
    _swap_in(scratch, target)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint)
    chart_stamp.write_text(chart_inputs)
    return 0


def _stop_drawing() -> None:
    """Stop the drawing processes, dropping drawings nobody will wait for (a failed build)."""
    pool = sys.modules.get("figures.pool")
    if pool is not None:
        pool.shut_down()


def _stamps(files, *extra: bytes) -> str:
    """A digest of each file's name, size and mtime (plus `extra`): cheap, and changes with any save."""
    import hashlib

    digest = hashlib.sha256()
    for value in extra:
        digest.update(value)
    for path in files:
        if path.exists():
            st = path.stat()
            digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _chart_fingerprint(root: Path) -> str:
    """What chart drawings depend on: the data, the chart style and the drawing code."""
    code = Path(__file__).parent
    files = [*sorted((root / "data").glob("*.yaml")), *sorted((root / "theme" / "charts").glob("*")), code / "drawing.py", code / "charts.py", code / "formatting.py"]
    return _stamps(files, os.environ.get("FIGURES_CACHE_PATH", "").encode())


def _fingerprint(root: Path, settings_file: str) -> str:
    """Names, sizes and mtimes of every input: if none changed, the output cannot have."""
    files = [root / settings_file, root / "pelicanconf.py", *Path(__file__).parent.glob("*.py")]
    for folder in ("content", "data", "theme", "plugins"):
        files += sorted(p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    settings = root / settings_file
    environment = repr([os.environ.get(k, "") for k in ("SITEURL", "FIGURES_CACHE_PATH", "FIGURES_CODE_ROOT")]).encode()
    return _stamps(files, settings_file.encode() + b"\0", settings.read_bytes() if settings.exists() else b"", environment)


def _swap_in(new: Path, target: Path) -> None:
    """Replace target with new in two renames, so it is never half-written."""
    old = None
    if target.exists():
        old = target.parent / f".{target.name}-old-{os.getpid()}"
        os.rename(target, old)
    os.rename(new, target)
    os.chmod(target, 0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def serve(output: Path, port: int) -> None:
    """Serve the built site on localhost, with the site's own 404 page."""
    import functools
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        def send_error(self, code, message=None, explain=None):
            page = Path(self.directory) / "404.html"
            if code == 404 and page.exists():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
            super().send_error(code, message, explain)

        def log_message(self, format, *args):  # noqa: A002 — quieter console
            if os.environ.get("FIGURES_VERBOSE"):
                super().log_message(format, *args)

    # Serve whatever `output/` is now, even after a rebuild swapped it.
    class Handler2(Handler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(output), **kw)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler2)
    print(f"Serving {output} at http://localhost:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


WATCHED = ("content", "data", "theme", "plugins", "pelicanconf.py")


def devserver(port: int, root: Path = ROOT) -> None:
    """Build, serve, and rebuild on every change; a bad save keeps the last good site."""
    import subprocess
    import threading

    from watchfiles import watch

    def rebuild():
        started = time.perf_counter()
        # A fresh process per build: plugin code edits take effect, and a crash can't kill the server.
        env = {**os.environ, "PYTHONPATH": str(CODE_ROOT)}
        result = subprocess.run([sys.executable, "-m", "plugins.figures.cli", "build"], cwd=root, env=env)
        took = time.perf_counter() - started
        if result.returncode == 0:
            print(f"Rebuilt in {took:.2f} s. Refresh the browser.", flush=True)
        else:
            print("Still serving the last good site. Fix the problem above and save again.", flush=True)

    rebuild()
    output = root / "output"
    threading.Thread(target=serve, args=(output, port), daemon=True).start()
    paths = [root / p for p in WATCHED if (root / p).exists()]
    for changes in watch(*paths, watch_filter=lambda change, path: "__pycache__" not in path and not path.endswith("~")):
        print(f"Changed: {', '.join(sorted(os.path.relpath(p, root) for _, p in changes))}", flush=True)
        rebuild()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="figures", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check")
    b = sub.add_parser("build")
    b.add_argument("--settings", default="pelicanconf.py")
    b.add_argument("--output")
    p = sub.add_parser("publish")
    p.add_argument("--settings", default="publishconf.py")
    p.add_argument("--output")
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=8000)
    d = sub.add_parser("devserver")
    d.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))
    if args.command == "check":
        return check()
    if args.command == "build":
        return build(args.settings, args.output)
    if args.command == "publish":
        # Always a full build, so every check runs on what is about to go public.
        status = build(args.settings, args.output, force=True)
        if status == 0:
            print(f"Ready to publish: {args.output or 'output'}/ (make deploy-github or make deploy-rsync).")
        return status
    if args.command == "serve":
        serve(ROOT / "output", args.port)
        return 0
    devserver(args.port)
    return 0


if __name__ == "__main__":
    status = main()
    # Skip the interpreter's teardown (~70 ms spent freeing Pelican, Jinja and
    # Babel): every file is written and closed, and the drawing processes stopped.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)

"""The commands behind `make check`, `make html`, `make serve` and `make devserver`.

    python -m plugins.figures.cli check               validate data/, references, typed figures, template syntax (no Pelican, no matplotlib)
    python -m plugins.figures.cli build [--settings publishconf.py] [--output output]
    python -m plugins.figures.cli publish [--output output]   a full build with publishconf.py
    python -m plugins.figures.cli serve [--port 8000]  serve output/ (with the 404 page)
    python -m plugins.figures.cli devserver           rebuild on every change, keep serving the last good site

A build writes a new site (in memory where it can: landing.py), checks every
internal link and address in it, and swaps it in beside the output only when
everything succeeded: a bad edit never leaves a half-built site.
Errors print as `path:LINE: what — how to fix`, one per line, exit status 1.
Set FIGURES_DEBUG=1 to see a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import logging
import os
import re
import sys
from pathlib import Path

# The project is the folder the command runs in (make runs it at the top level);
# the code may live elsewhere, e.g. when tests build their small test site.
ROOT = Path.cwd()
CODE_ROOT = Path(__file__).resolve().parents[2]


# How a stopped build ends its message: what became of the site.
SITE_UNCHANGED = "The site was not changed."
# A devserver build that stops after its swap (it draws the downloads and cards then): the site changed.
NOT_ALL_DRAWN = "The new pages are in place, but not every chart download and social card was drawn: the next build draws them."


def _print_errors(lines: list[str], outcome: str = SITE_UNCHANGED) -> None:
    for line in lines:
        print(line, file=sys.stderr)
    print(f"Build stopped: {len(lines)} problem{'s' if len(lines) != 1 else ''} to fix. {outcome}", file=sys.stderr)


def _print_interrupted(outcome: str = SITE_UNCHANGED) -> None:
    print(f"Build stopped: interrupted (Ctrl-C). {outcome}", file=sys.stderr)


def check(root: Path = ROOT) -> int:
    """Every check the build runs before Pelican (checks.run_all), and, without building, what Pelican
    would find in the pages: links to page files, template syntax."""
    from . import checks, config, files, i18n
    from .errors import EditorErrors

    unsafe = files.scan(root)[1]
    if unsafe:
        _print_errors([f"{path}: {what} — {how}" for path, what, how in unsafe])
        return 1
    settings, problems = _read_settings(root)
    conf = None
    try:
        conf = config.check(settings, root / "pelicanconf.py") if not problems else None
    except EditorErrors as exc:
        problems = exc.errors
    if conf is None:
        _print_errors([e.one_line() for e in EditorErrors(problems).errors])
        return 1
    display = lambda p: os.path.relpath(p, root)  # noqa: E731
    found = checks.run_all(settings, conf, i18n.Translator(Path(settings["THEME"]), settings["DEFAULT_LANG"]), display)
    errors = found.errors
    for notice in found.notices:
        print(notice)
    if found.data is not None:
        # What Pelican finds in {filename} links, page by page.
        content = Path(settings["PATH"])
        for page in found.pages or files.pages(content):
            for number, line in enumerate(page.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
                errors += _unresolvable_links(page, number, line, content, display)
    problems = [e.one_line() for e in EditorErrors(errors).errors] + check_templates(Path(settings["THEME"]) / "templates", root)
    if problems:
        _print_errors(problems)
        return 1
    print(f"data/ and {len(found.pages)} pages check out.")
    return 0


def _read_settings(root: Path) -> tuple[dict, list]:
    """pelicanconf.py's settings, as far as the checks need them (Pelican itself is not imported),
    and the problem if the file does not run."""
    import runpy

    from .errors import EditorError

    conf = root / "pelicanconf.py"
    values: dict = {}
    if conf.is_file():
        try:
            values = runpy.run_path(str(conf))
        except Exception as exc:  # noqa: BLE001 — a settings file that does not run: the build says the same
            if os.environ.get("FIGURES_DEBUG"):
                raise
            line = getattr(exc, "lineno", None)
            return values, [EditorError("pelicanconf.py", line, f"the settings file does not run ({type(exc).__name__}: {exc})", "fix this line of pelicanconf.py")]
    # Relative paths are the settings file's folder's, as Pelican reads them; a site without
    # its own theme/ (the tests' small site) uses the project's.
    theme = values.get("THEME") or (root / "theme" if (root / "theme").is_dir() else CODE_ROOT / "theme")
    settings = {
        **{k: v for k, v in values.items() if k.isupper()},
        "PATH": str(root / values.get("PATH", "content")),
        "THEME": str(root / theme),
        "DEFAULT_LANG": values.get("DEFAULT_LANG", "en"),
        "SITENAME": values.get("SITENAME", "A Pelican Blog"),
    }
    return settings, []


FILENAME_LINK_RE = re.compile(r"\]\((\{filename\}([^)#\s]*)[^)\s]*)")


def _unresolvable_links(page: Path, number: int, line: str, content: Path, display, drafts: set | None = None) -> list:
    """[text]({filename}x.md) naming no file, or a draft: the same line the build gives."""
    from .errors import EditorError
    from .links import UNRESOLVED, _hint

    found = []
    for match in FILENAME_LINK_RE.finditer(line):
        name = match.group(2)
        target = content / name.lstrip("/") if name.startswith("/") else page.parent / name
        if not name or not target.is_file():
            found.append(EditorError(display(page), number, f"the link `{match.group(1)}` {UNRESOLVED}", _hint(UNRESOLVED, in_markdown=True)))
        elif (target.resolve() in drafts) if drafts is not None else _is_draft(target):
            found.append(EditorError(
                display(page), number,
                f"the link `{match.group(1)}` leads to a draft (`Status: draft`), which is never published",
                "remove the link, or publish that page first (delete its `Status: draft` line)",
            ))
    return found


def _is_draft(page: Path) -> bool:
    """`Status: draft` among a page's metadata (the lines before the first blank one)."""
    if page.suffix != ".md":
        return False
    for line in page.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            return False
        if re.fullmatch(r"(?i)status:\s*draft\s*", line.strip()):
            return True
    return False


def _links_to_drafts(pages: list[Path], drafts: set[Path], content: Path, display) -> list[str]:
    """Published pages that link to a draft: the link would lead nowhere on the published site."""
    found = []
    for page in pages:
        if page.resolve() in drafts:
            continue
        for number, line in enumerate(page.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if "{filename}" in line:
                found += [e.one_line() for e in _unresolvable_links(page, number, line, content, display, drafts) if "draft" in e.message]
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
    """The syntax of every template, without building."""
    from .files import is_editor_file

    problems = []
    for path in sorted(p for p in folder.rglob("*.html") if not is_editor_file(p.name)):
        exc = _template_syntax_error(path.read_text(encoding="utf-8", errors="replace"), path.name, str(path))
        if exc is not None:
            problems.append(_syntax_error_line(exc, root))
    return problems


@functools.lru_cache(maxsize=64)
def _template_syntax_error(text: str, name: str, filename: str):
    """Jinja's syntax error in a template's text, or None. Kept by the text: parsing every template
    takes ~0.15 s, and one process may check many times (the fuzzing calls check() hundreds)."""
    from jinja2 import Environment, TemplateSyntaxError

    try:
        Environment().parse(text, name=name, filename=filename)
    except TemplateSyntaxError as exc:
        return exc
    return None


def build(settings_file: str = "pelicanconf.py", output: str | None = None, root: Path = ROOT, force: bool = False, drafts: bool = False, swapped=None) -> int:
    """Build the site (in memory where it can, landing.py), check its links, then swap it in; 0 on success.

    With `drafts`, a preview for editors: pages and updates marked `Status: draft`
    are built too, into .cache/preview/, a folder nothing publishes.
    With `swapped` (the devserver), it is called as soon as the new site is in place; the
    charts' downloads and social cards, which no page shows, are drawn after it and put in
    place then (a build of a figure edit spends most of its drawing on them).
    """
    target = root / PREVIEW if drafts else Path(output or "output")
    if not target.is_absolute():
        target = root / target
    try:
        # One build of a project at a time: two at once would share caches and the output.
        with _lock(root), _polite_kill_as_ctrl_c():
            return _build(settings_file, target, root, force, drafts, swapped)
    except KeyboardInterrupt:
        _print_interrupted()
        return 130
    except OSError as exc:
        if os.environ.get("FIGURES_DEBUG"):
            raise
        _print_errors([_os_error_line(exc, root)])
        return 1


PREVIEW = Path(".cache") / "preview"


def _os_error_line(exc: OSError, root: Path) -> str:
    """A file or folder the build could not read or write (a read-only .cache/, a full disk…), as one line."""
    name = _display(str(exc.filename), root) if exc.filename else "."
    name = "./" if name in (".", str(root)) else name
    if exc.errno == errno.ENOSPC:
        return f"{name}: the disk is full — free some space, then build again"
    return (
        f"{name}: the build could not use this file or folder ({exc.strerror or exc})"
        f" — check that it exists and that you may read and write it (e.g. chmod -R u+rw {name}), then build again"
    )


@contextlib.contextmanager
def _lock(root: Path):
    import fcntl

    folder = root / ".cache"
    folder.mkdir(parents=True, exist_ok=True)
    # The kernel drops the lock when its holder dies, even by kill -9: no stale lock file to clear.
    with open(folder / "build.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Waiting for another build of this project to finish…", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@contextlib.contextmanager
def _polite_kill_as_ctrl_c():
    """A polite kill (SIGTERM: the devserver stopping, a terminal closed) stops the build as Ctrl-C
    does, through its clean-up: the new site's scratch folder lives in memory and would outlive it."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(number, frame):
        raise KeyboardInterrupt

    saved = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, saved)


@contextlib.contextmanager
def _no_interruption():
    """Ctrl-C (or a polite kill) waits until the new site is swapped in and stamped, then is
    ignored: the build is done, and output/ is never half-replaced."""
    import signal

    received = []
    saved = {sig: signal.signal(sig, lambda number, frame: received.append(number)) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _build(settings_file: str, target: Path, root: Path, force: bool, drafts: bool, swapped=None) -> int:
    from . import files, landing
    from .errors import EditorErrors

    debug = bool(os.environ.get("FIGURES_DEBUG"))
    cache = root / ".cache"
    if not os.access(cache, os.W_OK):  # checked first: the new site could not be stamped after the swap
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(cache))
    landing.clear_leftovers(target)
    # Decide "nothing changed" before importing Pelican: a no-op build does no work.
    # One stamp per output folder (the fingerprint covers the settings file): after
    # `make publish`, `make html` must rebuild output/ with local links. The stamp also
    # records the output's own files, so a damaged output/ is rebuilt.
    stamp = root / ".cache" / f"last-build-{target.name}"
    entries, unsafe = files.scan(root, ("content", "theme", "data", "plugins"))
    fingerprint = _fingerprint(root, settings_file, entries, drafts)
    if unsafe:
        _print_errors([f"{path}: {what} — {how}" for path, what, how in unsafe])
        return 1
    if not force and target.is_dir() and stamp.exists() and stamp.read_text() == _stamp_text(fingerprint, target):
        print(f"Nothing changed since the last build; {os.path.relpath(target, root)}/ is up to date.")
        return 0
    # Charts will probably be redrawn if their inputs changed: start the drawing
    # process (and its matplotlib import) first, so it overlaps everything else.
    chart_stamp = root / ".cache" / "last-build-chart-inputs"
    chart_inputs = _chart_fingerprint(root)
    if not (chart_stamp.exists() and chart_stamp.read_text() == chart_inputs):
        from . import pool

        pool.warm_up()
    # A bad data edit is refused before Pelican is even imported: a fraction of a second.
    # (The plugin checks the data again inside the build, wherever the settings put it.)
    if (root / "data").is_dir():
        from .data import load_cached

        cache = Path(os.environ.get("FIGURES_CACHE_PATH") or root / ".cache" / "charts").parent
        try:
            load_cached(root / "data", cache, display_prefix="data")
        except EditorErrors as exc:
            _print_errors([e.one_line() for e in exc.errors])
            return 1

    from pelican import Pelican
    from pelican.settings import read_settings

    from .pelican_plugin import RunOptions

    # The new site is written in memory where it can be, then landed beside the site (landing.py).
    memory, landing_folder = landing.folders(target)
    scratch = memory or landing_folder
    collector = _Collect()
    logging.getLogger().addHandler(collector)
    problems: list[str] = []
    to_come: set[str] = set()  # the site's files drawn after the swap (the devserver's builds)
    in_place = False
    try:
        try:
            settings = read_settings(str(root / settings_file), override={"OUTPUT_PATH": str(scratch)})
            collector.content = _display(settings["PATH"], root)
            _settle_drafts(settings, drafts)
            settings["IGNORE_FILES"] = [*settings.get("IGNORE_FILES", []), *files.EDITOR_FILES]
            pelican = Pelican(settings)
            # What this build is asked for travels on the Pelican object, not in the settings;
            # the plugin leaves the run it made there (pelican_plugin.get_generators).
            links_cache = root / ".cache" / f"links-{target.name}.pickle"
            pelican.figures_options = RunOptions(drafts=drafts, settings_file=root / settings_file, draw_later=swapped is not None, links_cache=links_cache)
            pelican.run()
            run = pelican.figures_run
            pages = files.pages(Path(settings["PATH"]))
            if not drafts and run.dropped:
                problems = _links_to_drafts(pages, {Path(p).resolve() for p in run.dropped}, Path(settings["PATH"]), lambda p: _display(str(p), root))
            if not collector.messages and not problems:
                # Last check before the swap: every link inside the new site leads somewhere.
                # (It parsed the pages while charts were drawn.)
                from .links import check as check_links

                if swapped is not None and run.drawing is not None:
                    to_come = run.drawing.to_come(run.prefixes())
                found = check_links(scratch, settings.get("SITEURL", ""), pages, lambda p: _display(str(p), root), links_cache, run.origins, to_come)
                problems = [e.one_line() for e in found]
        except Exception as exc:  # noqa: BLE001 — editors get one line; FIGURES_DEBUG=1 shows the rest
            if isinstance(exc, EditorErrors):
                problems = [e.one_line() for e in exc.errors]
            elif debug:
                raise
            elif isinstance(exc, OSError) and exc.filename:
                problems = [_os_error_line(exc, root)]
            else:
                problems = [_template_error(exc) or f"build error: {type(exc).__name__}: {exc} — run with FIGURES_DEBUG=1 for details"]
        finally:
            logging.getLogger().removeHandler(collector)
        problems += collector.messages
        if problems:
            _print_errors(problems)
            return 1
        if memory is not None:
            landing.land(memory, landing_folder, target)
        def stamp_the_site() -> None:
            stamp.write_text(_stamp_text(fingerprint, target))
            chart_stamp.write_text(chart_inputs)

        with _no_interruption():
            landing.swap_in(landing_folder, target, keep_spare=memory is not None)
            in_place = True
            if not to_come:
                stamp_the_site()
        if to_come:  # the devserver's build: the page reloads now, the drawings no page shows follow
            swapped()
            try:
                run.drawing.finish(target, run.prefixes())
            except KeyboardInterrupt:
                _print_interrupted(NOT_ALL_DRAWN)
                return 130
            except Exception as exc:  # noqa: BLE001 — the site is in place; the editor hears what failed
                if debug:
                    raise
                _print_errors([f"build error: drawing the charts' downloads and social cards: {type(exc).__name__}: {exc} — run with FIGURES_DEBUG=1 for details"], NOT_ALL_DRAWN)
                return 1
            stamp_the_site()  # only now: a no-op build must not take a site still missing drawings as done
    finally:
        _stop_drawing()
        landing.discard(memory)
        if not in_place:
            landing.abandon(landing_folder, target)
    _prune_chart_cache(run, root)
    if drafts:
        shown = [f"  {url}  ({source})" for source, url in sorted(run.previewed)]
        print(f"Drafts previewed in {os.path.relpath(target, root)}/ (never published):" if shown else "No page or update is marked `Status: draft`.")
        for line in shown:
            print(line)
    return 0


def _prune_chart_cache(state, root: Path) -> None:
    """After a successful build, delete the cached drawings (.cache/charts/) it did not use.

    Only the project's own cache: one that FIGURES_CACHE_PATH puts elsewhere may be shared
    with other projects (the tests share one across every build of a run), whose charts differ.
    """
    from .charts import prune

    if state.drawing is not None and state.cache_dir.resolve() == (root / ".cache" / "charts").resolve():
        prune(state.cache_dir, state.drawing.folders.values())


def _settle_drafts(settings: dict, preview: bool) -> None:
    """Drafts never reach the built site; in a preview they are built at their future address.

    Pelican would write drafts to drafts/ (and crash on a draft update, which has no
    category here): their DRAFT_*_SAVE_AS are emptied, or, in a preview, set to the
    published ones. The plugin drops them from Pelican's lists, or in a preview makes
    them hidden pages (pelican_plugin.drop_drafts).
    """
    for kind in ("", "PAGE_"):
        for what in ("URL", "SAVE_AS", "LANG_URL", "LANG_SAVE_AS"):
            if preview:  # the address it will have (its links to the site's files are made from it)
                settings[f"DRAFT_{kind}{what}"] = settings[f"{kind or 'ARTICLE_'}{what}"]
            elif what.endswith("SAVE_AS"):
                settings[f"DRAFT_{kind}{what}"] = ""  # never written, whatever happens to the lists


def _stamp_text(fingerprint: str, target: Path) -> str:
    """The inputs' fingerprint and a digest of what the output holds now (names, sizes, mtimes)."""
    import hashlib

    from .files import tree_stamps

    return f"{fingerprint}\n{hashlib.sha256(chr(10).join(tree_stamps(target)).encode()).hexdigest()}\n"


def _stop_drawing() -> None:
    """Stop the drawing processes, dropping drawings nobody will wait for (a failed build)."""
    pool = sys.modules.get(f"{__package__}.pool")  # imported only if something was drawn
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
    from .files import is_editor_file

    code = Path(__file__).parent
    inputs = [*sorted((root / "data").glob("*.yaml")), *sorted((root / "theme" / "charts").glob("*"))]
    files = [*(p for p in inputs if not is_editor_file(p.name)), code / "drawing.py", code / "charts.py", code / "formatting.py"]
    return _stamps(files, os.environ.get("FIGURES_CACHE_PATH", "").encode())


def _fingerprint(root: Path, settings_file: str, entries: list[str], drafts: bool) -> str:
    """Names, sizes and mtimes of every input: if none changed, the output cannot have."""
    import hashlib

    files = [root / settings_file, root / "pelicanconf.py", *Path(__file__).parent.glob("*.py")]
    settings = root / settings_file
    environment = repr([os.environ.get(k, "") for k in ("SITEURL", "FIGURES_CACHE_PATH")] + [drafts]).encode()
    inputs = hashlib.sha256("\n".join(entries).encode()).digest()
    return _stamps(files, settings_file.encode() + b"\0", settings.read_bytes() if settings.exists() else b"", environment, inputs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="figures", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check")
    b = sub.add_parser("build")
    b.add_argument("--settings", default="pelicanconf.py")
    where = b.add_mutually_exclusive_group()
    where.add_argument("--output")
    where.add_argument("--drafts", action="store_true", help=f"preview: build drafts too, into {PREVIEW}/ (never published)")
    p = sub.add_parser("publish")
    p.add_argument("--settings", default="publishconf.py")
    p.add_argument("--output")
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=8000)
    d = sub.add_parser("devserver")
    d.add_argument("--port", type=int, default=8000)
    d.add_argument("--drafts", action="store_true", help=f"preview: build drafts too, into {PREVIEW}/, and serve that")
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))
    if args.command == "check":
        return check()
    if args.command == "build":
        return build(args.settings, args.output, drafts=args.drafts)
    if args.command == "publish":
        # Always a full build, so every check runs on what is about to go public.
        status = build(args.settings, args.output, force=True)
        if status == 0:
            print(f"Ready to publish: {args.output or 'output'}/ (make deploy-github or make deploy-rsync).")
        return status
    from .devserver import devserver, serve

    if args.command == "serve":
        serve(ROOT / "output", args.port)
        return 0
    devserver(args.port, ROOT, drafts=args.drafts, preview_folder=PREVIEW)
    return 0


def _exit(status: int) -> None:
    """Exit normally (atexit handlers, flushed files), without the exit's garbage collections.

    At exit the interpreter's cyclic collector walks every object Pelican, Jinja
    and Babel made: ~120 ms after a page edit (measured from the end of main()
    to the process's end; 15–20 ms with them frozen). gc.freeze() is public,
    documented API; the objects are still freed as the modules are torn down.
    """
    import gc

    gc.disable()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    try:
        code = main()
    except KeyboardInterrupt:  # a build answers Ctrl-C itself; the other commands stop here
        print("Stopped (Ctrl-C).", file=sys.stderr)
        code = 130
    _exit(code)

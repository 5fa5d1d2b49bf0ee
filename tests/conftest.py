"""Shared helpers: copy a site to a temporary folder and build it for real."""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_SITE = Path(__file__).parent / "test_data"
SKIP = shutil.ignore_patterns(".venv", "output", ".output-*", ".cache", ".git", "__pycache__", ".pytest_cache", "node_modules", "screenshots", ".hypothesis", "tests")


def run_folder(config) -> Path:
    """A folder shared by every test process of this run: with pytest-xdist, the workers' own
    temporary folders (popen-gw0, …) are made inside the controller's, so their parent is it.
    (`_tmp_path_factory` is how pytest's own tmp_path fixture reaches the factory.)"""
    base = config._tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


@pytest.fixture(scope="session")
def chart_cache(pytestconfig) -> Path:
    """One chart cache for the whole run, shared by every worker: most builds need not redraw.
    Safe to share: drawings are written atomically, and a cache named by FIGURES_CACHE_PATH is never pruned."""
    folder = run_folder(pytestconfig) / "chart-cache"
    folder.mkdir(exist_ok=True)
    return folder


def all_files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path relative to it: two sites compared byte for byte."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_leftovers(site: Path, output: str = "output") -> list[str]:
    """What builds left that they should not: scratch or replaced sites beside the output, scratch
    folders in memory. (The spare, the site before last, stays by design: landing.py.)"""
    from plugins.figures import landing

    beside = [p.name for p in site.iterdir() if p.name.startswith(f".{output}-") and p.name != f".{output}-spare"]
    return beside + [str(p) for p in landing.in_memory(site / output)]


def terminal_ctrl_c() -> None:
    """For subprocess's preexec_fn: Ctrl-C as a terminal gives a command (its default action), whatever
    this run was started with (a shell ignores it for a job started with `&`, and children inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def build_env(cache: Path | None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLCONFIGDIR": str(REPO / ".cache" / "matplotlib")}
    env.pop("FIGURES_DEBUG", None)
    env.pop("SITEURL", None)
    if cache is not None:
        env["FIGURES_CACHE_PATH"] = str(cache)
    return env


# What a child forked by tests/cli_server.py can take from its environment as a fresh process would.
# Anything else (a locale, a time zone, PYTHONPATH…) is read at the interpreter's start-up, which the
# child does not repeat: such a run gets a fresh interpreter.
FORKABLE_ENV = re.compile(r"FIGURES_\w+|SITEURL")


def run_cli(site: Path, *args: str, cache: Path | None = None, env: dict | None = None, fresh: bool = False) -> subprocess.CompletedProcess:
    """Run the project's command line in `site`, as `make` would, in a process of its own.

    The process is forked from a server that has already imported Pelican and its libraries
    (tests/cli_server.py): the same command, exit status and messages, without the interpreter's
    start-up. `fresh=True`, or an environment the fork cannot honour, starts a new interpreter.
    """
    command = [sys.executable, "-m", "plugins.figures.cli", *args]
    full_env = {**build_env(cache), **(env or {})}
    if fresh or not all(FORKABLE_ENV.fullmatch(name) for name in env or {}):
        return subprocess.run(command, cwd=site, env=full_env, capture_output=True, text=True, timeout=300)
    return CLI_SERVER.run(command, site, full_env, timeout=300)


def check_in_process(site: Path) -> tuple[int, str, str]:
    """`check` run in this test process on `site`: (status, stdout, stderr). For the many tests that
    ask only what `check` says; the command's own process (exit status, no traceback) is
    run_cli's. The site's pelicanconf.py puts its folder on sys.path: taken off again after."""
    import contextlib
    import io

    from plugins.figures import cli

    out, err, path = io.StringIO(), io.StringIO(), list(sys.path)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.check(site)
    finally:
        sys.path[:] = path
    return status, out.getvalue(), err.getvalue()


class CliServer:
    """tests/cli_server.py, started on first use in this test process; one run at a time."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.pending = b""  # what the server said beyond the last line read
        self.runs = 0

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("cli_server.py"))], env=build_env(None),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
            )
            self.pending = b""
        return self.process

    def run(self, command: list[str], site: Path, env: dict, timeout: float) -> subprocess.CompletedProcess:
        server = self._start()
        with tempfile.TemporaryDirectory(prefix="cli-run-") as folder:
            out, err = Path(folder) / "stdout", Path(folder) / "stderr"
            request = {"cwd": str(site), "args": command[3:], "env": env, "stdout": str(out), "stderr": str(err)}
            server.stdin.write(json.dumps(request).encode() + b"\n")
            pid = int(self._line(server, 60, command))
            try:
                status = int(self._line(server, timeout, command))
            except subprocess.TimeoutExpired:
                os.killpg(pid, signal.SIGKILL)
                self._line(server, 60, command)
                raise
            self.runs += 1
            return subprocess.CompletedProcess(command, status, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))

    def _line(self, server: subprocess.Popen, timeout: float, command: list[str]) -> bytes:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            ready, _, _ = select.select([server.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise subprocess.TimeoutExpired(command, timeout)
            chunk = os.read(server.stdout.fileno(), 4096)
            assert chunk, f"tests/cli_server.py died (exit {server.wait()})"
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line

    def stop(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=60)
            self.process = None


CLI_SERVER = CliServer()
atexit.register(CLI_SERVER.stop)


@pytest.fixture
def test_site(tmp_path) -> Path:
    """A copy of tests/test_data/ (small data, two pages) to build and break."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site, ignore=SKIP)
    return site


@pytest.fixture
def real_site(tmp_path) -> Path:
    """A copy of the whole project (data, content, theme, plugin) to build and break."""
    site = tmp_path / "project"
    shutil.copytree(REPO, site, ignore=SKIP)
    return site


def built_copy(folder: Path, cache: Path) -> Path:
    """A copy of the real project in `folder`, built; returns the project folder."""
    site = folder / "project"
    shutil.copytree(REPO, site, ignore=SKIP)
    result = run_cli(site, "build", cache=cache)
    assert result.returncode == 0, result.stderr
    return site


def shared_real_build(config) -> Path:
    """The real project, built once per run however many workers ask (the first builds it, under a
    lock, the others wait for it); returns the project folder. Read-only: copy it to change it."""
    folder = run_folder(config)
    cache = folder / "chart-cache"
    cache.mkdir(exist_ok=True)
    with open(folder / "real-built.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = folder / "real-built"
        if not (built / "done").exists():
            shutil.rmtree(built, ignore_errors=True)  # what a build that failed in another worker left
            built.mkdir()
            site = built / "project"
            shutil.copytree(REPO, site, ignore=SKIP)
            result = run_cli(site, "build", cache=cache)
            if result.returncode != 0:
                pytest.fail(f"the real site did not build:\n{result.stderr}", pytrace=False)
            pages = {p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("index.html")}
            # Every test that reads the built site may then loop over its pages and charts: none is empty.
            assert {"index.html", "es/index.html", "about-the-data/index.html"} <= pages, sorted(pages)
            assert list((site / "output" / "charts").glob("*.svg")), "the real site has no chart"
            (built / "done").write_text("")
    return built / "project"


def break_base_template(site: Path, folder: Path) -> None:
    """Point `site`'s settings at a copy of the theme, in `folder`, whose base.html has a template
    syntax error on its line 2 (an unclosed `{{`)."""
    theme = folder / "theme"
    shutil.copytree(REPO / "theme", theme)
    (theme / "templates" / "base.html").write_text("<!doctype html>\n{% block content %}{{ page.title }\n")
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text() + f"\nTHEME = {str(theme)!r}\n")


@pytest.fixture(scope="session")
def built_real_project(pytestconfig) -> Path:
    """The real project, built (shared by the whole run: read only; copy it with `built_real_copy`)."""
    return shared_real_build(pytestconfig)


@pytest.fixture(scope="session")
def built_real_site(built_real_project) -> Path:
    """The real site, built once for the read-only tests; returns its output folder."""
    return built_real_project / "output"


@pytest.fixture
def built_real_copy(built_real_project, tmp_path) -> Path:
    """A copy of the real project already built with the shared chart cache: to edit and rebuild.

    Its output/ is hard-linked, not copied (a fifth of a second a copy, 150 copies a run): a build
    never writes into output/ (it builds a scratch folder and swaps it in), and the tests that
    rebuild compare output/ with what it was, so a build that did would be caught there."""
    site = tmp_path / "project"
    shutil.copytree(built_real_project, site, symlinks=True, ignore=lambda folder, names: ["output"] if Path(folder) == built_real_project else [])
    shutil.copytree(built_real_project / "output", site / "output", copy_function=os.link)
    return site


@pytest.fixture
def seeded_cache(built_real_site, chart_cache, tmp_path) -> Path:
    """A chart cache of the test's own holding exactly the drawings the real site shows (copied from the
    shared one): a build with it draws only what an edit changed, and nothing else uses it."""
    # The hashed drawings (<id>.<hash>.<variant>.svg), not the stable downloads (<id>.svg, <id>.png).
    shown = {p.name.split(".")[1] for p in [*built_real_site.glob("charts/*"), *built_real_site.glob("es/charts/*")] if p.suffix in (".svg", ".png") and p.name.count(".") > 1}
    cache = tmp_path / "seeded-cache"
    cache.mkdir()
    for folder in chart_cache.iterdir():
        if folder.name[:10] in shown:
            shutil.copytree(folder, cache / folder.name)
    assert {folder.name[:10] for folder in cache.iterdir()} == shown
    return cache


# ---- the order tests run in -------------------------------------------------------------
# pytest-xdist (--dist loadgroup --no-loadscope-reorder, pytest.ini) hands the tests out one unit at a
# time in collection order: the slowest first, so that no worker is left with a long test at the end.


# The tests of one page in the browser, in the order they run: its four reader views (the watched one
# first, test_reader_views.WATCH_VIEW: that tab stays on the page, watched, while the others run), its
# four budgets (each reads its view's bytes from browser/conftest.LOADED), then the watch's end
# (test_page_stays_put_after_loading).
_PAGE_TESTS = ("test_reader_view", "test_page_weight_all_in", "test_page_stays_put_after_loading")


def _page_group(item) -> str | None:
    """The browser tests of one page: one unit, on one worker, in _PAGE_TESTS' order."""
    if item.originalname in _PAGE_TESTS:
        return f"page-{item.callspec.params['page_path']}"
    return None


def _in_page_group(item, watched: str | None) -> tuple:
    view = item.callspec.params.get("view", ("",))[0]
    return (_PAGE_TESTS.index(item.originalname), view != watched, view)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        group = _page_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))

    # The view each page is watched in, named by the reader-view tests' module (already collected).
    watched = next((item.module.WATCH_VIEW[0] for item in items if item.originalname == "test_reader_view"), None)

    def rank(item) -> tuple:
        """Slow tests (@pytest.mark.slow) first, then the browser's (a few seconds each), then the rest."""
        if item.get_closest_marker("slow"):
            return (0,)
        if "/browser/" in item.nodeid:
            group = _page_group(item)
            return (1, group or "", _in_page_group(item, watched) if group else ())
        return (2,)

    items.sort(key=rank)

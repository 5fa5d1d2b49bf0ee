"""The built site as readers and auditors meet it: served on loopback, opened in Debian's Chromium.

The real site is built once per run (at collection, so that tests can be parametrized by the pages
found in the output; conftest.shared_real_build), served by the test process itself on 127.0.0.1 at a port the OS
chooses, and opened in one Chromium per worker, in one tab per view reused from page to page (views.Tabs).

A missing Chromium, Java or checker skips loudly; with CI=true it fails instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO, shared_real_build

from scripts.screenshots import CHROMIUM, CHROMIUM_ARGS, pages

NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# (name, viewport width, colour scheme): the four views of every page.
VIEWS = [("390-light", 390, "light"), ("390-dark", 390, "dark"), ("1280-light", 1280, "light"), ("1280-dark", 1280, "dark")]

# The bytes each (page path, view name) loaded, recorded by the reader-view test that opened it, for
# the budget test of the same page and view: conftest.py runs that one after it, on the same worker.
LOADED: dict[tuple[str, str], dict[str, int]] = {}


def skip_or_fail(reason: str) -> None:
    """Skip loudly on a developer's machine; in CI (CI=true) a skip is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, so this cannot be skipped: {reason}", pytrace=False)
    pytest.skip(f"SKIPPED, NOT CHECKED: {reason}")


def page_paths(output: Path) -> list[str]:
    """Every page in the output, as the URL path a reader opens (shared with `make screenshots`)."""
    return pages(output)


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        paths = page_paths(shared_real_build(metafunc.config) / "output")
        metafunc.parametrize("page_path", paths, ids=[p.strip("/") or "home" for p in paths])
    if "view" in metafunc.fixturenames:
        metafunc.parametrize("view", VIEWS, ids=[v[0] for v in VIEWS])


@pytest.fixture(scope="session")
def site(built_real_site) -> Path:
    """The built output folder (read-only)."""
    return built_real_site


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serving(folder: Path):
    """`folder` served on loopback, at a port the OS chose; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(site):
    """The output served on loopback; yields the base URL."""
    with serving(site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """One Chromium per worker."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing: install Debian's chromium package (`apt-get install chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def tabs(browser, server):
    """One tab per view, reused from page to page (views.Tabs)."""
    from .views import Tabs

    opened = Tabs(browser, server)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.exists():
        skip_or_fail(f"{AXE_JS.relative_to(REPO)} is missing: run `npm ci` (make test does)")
    return AXE_JS


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the Nu Html Checker."""
    java = shutil.which("java")
    if java is None:
        skip_or_fail("java is missing: install a Java runtime (`apt-get install default-jre-headless`)")
    if not VNU_JAR.exists():
        skip_or_fail(f"{VNU_JAR.relative_to(REPO)} is missing: run `npm ci` (make test does)")
    return [java, "-jar", str(VNU_JAR)]

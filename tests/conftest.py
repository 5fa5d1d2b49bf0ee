"""Shared helpers: copy a site to a temporary folder and build it for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_SITE = Path(__file__).parent / "test_data"
SKIP = shutil.ignore_patterns(".venv", "output", ".output-*", ".cache", ".git", "__pycache__", ".pytest_cache", "node_modules", "screenshots", ".hypothesis", "tests")


@pytest.fixture(scope="session")
def chart_cache(tmp_path_factory) -> Path:
    """One chart cache for the whole run: most tests need not redraw."""
    return tmp_path_factory.mktemp("chart-cache")


def build_env(cache: Path | None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "FIGURES_CODE_ROOT": str(REPO), "MPLCONFIGDIR": str(REPO / ".cache" / "matplotlib")}
    env.pop("FIGURES_DEBUG", None)
    env.pop("SITEURL", None)
    if cache is not None:
        env["FIGURES_CACHE_PATH"] = str(cache)
    return env


def run_cli(site: Path, *args: str, cache: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the project's command line in `site`, as `make` would, in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "plugins.figures.cli", *args],
        cwd=site, env={**build_env(cache), **(env or {})}, capture_output=True, text=True, timeout=300,
    )


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


@pytest.fixture(scope="session")
def built_real_site(tmp_path_factory, chart_cache) -> Path:
    """The real site, built once for the read-only tests; returns its output folder."""
    return built_copy(tmp_path_factory.mktemp("built"), chart_cache) / "output"

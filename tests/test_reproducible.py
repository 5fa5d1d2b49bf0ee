"""Two clean builds of the same sources, in different folders, give byte-identical sites.

Each copy has its own empty chart cache (so every chart is drawn twice), and the
second build runs in another time zone and locale: nothing in the output may
depend on where, when or on what the site was built.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SKIP, build_env

pytestmark = pytest.mark.slow  # seconds each: run first (conftest.py)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(site: Path, cache: Path, settings: str, **env) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "plugins.figures.cli", "build", "--settings", settings],
        cwd=site, env={**build_env(cache), **env}, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return site / "output"


def german_locale(folder: Path) -> dict:
    """A real non-English locale, made for this test (glibc's localedef into LOCPATH): without one,
    glibc silently falls back to C and a varied LANG would vary nothing."""
    folder.mkdir()
    subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", str(folder / "de_DE.UTF-8")], check=True, capture_output=True)
    env = {"LOCPATH": str(folder), "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"}
    probe = "import locale; locale.setlocale(locale.LC_ALL, ''); print(locale.localeconv()['decimal_point'])"
    taken = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **env}, capture_output=True, text=True)
    assert taken.stdout.strip() == ",", f"the German locale did not take: {taken.stderr}"
    return env


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_two_clean_builds_are_byte_identical(tmp_path, settings):
    first, second = tmp_path / "a" / "project", tmp_path / "b" / "another-name"
    for site in (first, second):
        shutil.copytree(REPO, site, ignore=SKIP)
    one = tree(clean_build(first, tmp_path / "cache-a", settings))
    two = tree(clean_build(second, tmp_path / "cache-b", settings, TZ="Asia/Tokyo", **german_locale(tmp_path / "locales")))
    assert sorted(one) == sorted(two), "different file names"
    differ = [name for name in one if one[name] != two[name]]
    assert differ == [], f"these files differ between the two builds: {differ}"
    # The folder the site was built in leaves no trace in it.
    for name, data in one.items():
        assert str(first).encode() not in data and str(tmp_path).encode() not in data, name

"""Validity: the Nu Html Checker (the W3C's validator, vnu.jar) finds no error in any page or SVG.

The checker runs once for every page and SVG together (one Java start: `--also-check-svg` checks the
`.svg` files as SVG, the rest as HTML), with a broken page and a broken SVG of our own among them, so
that a clean report is known to come from a checker that looked at both kinds.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

# The checker's one run takes seconds: run first (conftest.py), and on one worker, so that it runs once
# (its report is a session fixture, which each pytest-xdist worker would otherwise make again).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("vnu")]

# Each is wrong in a way the checker reports as an error.
BROKEN = {
    "broken.html": '<!doctype html><html lang="en"><head><title>x</title></head><body><p>x</span></body></html>\n',
    "broken.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect wdth="10"/><nonsense/></svg>\n',
}


def check(vnu: list[str], files: list[Path], *options: str) -> dict[Path, list[str]]:
    """Run the checker once on all `files`; each file's errors, one line each: line:column: message."""
    assert files, "nothing to check"
    result = subprocess.run([*vnu, "--errors-only", "--format", "json", *options, *map(str, files)],
                            capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise AssertionError(f"the checker did not answer in JSON (exit {result.returncode}):\n{result.stderr}{result.stdout}") from exc
    errors: dict[Path, list[str]] = {}
    for m in messages:
        if m.get("type") == "info":
            continue
        where = Path(m.get("url", "?").removeprefix("file:"))
        errors.setdefault(where, []).append(f"{m.get('lastLine', m.get('firstLine', '?'))}:{m.get('firstColumn', m.get('lastColumn', '?'))}: "
                                            f"{m.get('type')}: {m.get('message')} [{' '.join(m.get('extract', '').split())}]")
    assert errors or result.returncode == 0, f"the checker failed (exit {result.returncode}):\n{result.stderr}"
    return errors


@pytest.fixture(scope="session")
def report(vnu, site, tmp_path_factory) -> dict[Path, list[str]]:
    probes = tmp_path_factory.mktemp("vnu-probes")
    for name, text in BROKEN.items():
        (probes / name).write_text(text, encoding="utf-8")
    files = [*sorted(site.rglob("*.html")), *sorted(site.rglob("*.svg")), *(probes / name for name in BROKEN)]
    return check(vnu, files, "--also-check-svg")


def errors_in(report: dict[Path, list[str]], site: Path, suffix: str) -> list[str]:
    return [f"{path.relative_to(site)}:{error}" for path, errors in sorted(report.items()) if path.suffix == suffix and path.is_relative_to(site) for error in errors]


def test_the_checker_reports_a_broken_page_and_a_broken_svg(report):
    broken = {path.name: errors for path, errors in report.items() if path.name in BROKEN}
    assert set(broken) == set(BROKEN), f"the checker missed the errors in {sorted(set(BROKEN) - set(broken))}: {report}"
    # Checked as SVG, not as an HTML page (which would first want a doctype), as `--svg` checks it.
    assert any("“nonsense”" in e for e in broken["broken.svg"]) and not any("doctype" in e.lower() for e in broken["broken.svg"]), broken


def test_every_page_is_valid_html(report, site):
    assert any(p.suffix == ".html" for p in site.rglob("*.html"))
    errors = errors_in(report, site, ".html")
    if errors:
        pytest.fail(f"{len(errors)} HTML error(s):\n" + "\n".join(errors), pytrace=False)


def test_every_svg_is_valid(report, site):
    assert any(p.suffix == ".svg" for p in site.rglob("*.svg"))
    errors = errors_in(report, site, ".svg")
    if errors:
        pytest.fail(f"{len(errors)} SVG error(s):\n" + "\n".join(errors), pytrace=False)

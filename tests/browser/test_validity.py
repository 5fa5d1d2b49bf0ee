"""Validity: the Nu Html Checker (the W3C's validator, vnu.jar) finds no error in any page or SVG."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest


def check(vnu: list[str], site: Path, files: list[Path], *options: str) -> list[str]:
    """Run the checker once on all `files`; one line per error: file:line:column: message."""
    assert files, f"nothing to check in {site}"
    result = subprocess.run([*vnu, "--errors-only", "--format", "json", *options, *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise AssertionError(f"the checker did not answer in JSON (exit {result.returncode}):\n{result.stderr}{result.stdout}") from exc
    errors = []
    for m in messages:
        if m.get("type") == "info":
            continue
        where = m.get("url", "?").removeprefix("file:")
        where = str(Path(where).relative_to(site)) if where.startswith(str(site)) else where
        errors.append(f"{where}:{m.get('lastLine', m.get('firstLine', '?'))}:{m.get('firstColumn', m.get('lastColumn', '?'))}: "
                      f"{m.get('type')}: {m.get('message')} [{' '.join(m.get('extract', '').split())}]")
    assert errors or result.returncode == 0, f"the checker failed (exit {result.returncode}):\n{result.stderr}"
    return errors


def test_every_page_is_valid_html(vnu, site):
    errors = check(vnu, site, sorted(site.rglob("*.html")))
    if errors:
        pytest.fail(f"{len(errors)} HTML error(s):\n" + "\n".join(errors), pytrace=False)


def test_every_svg_is_valid(vnu, site):
    errors = check(vnu, site, sorted(site.rglob("*.svg")), "--svg")
    if errors:
        pytest.fail(f"{len(errors)} SVG error(s):\n" + "\n".join(errors), pytrace=False)

"""Every bad edit in tests/bad_edits.py, made to a built copy of the real project and built for real.

For each: exit status 1, the expected `path:LINE: what — how` first line, every
line in that form, no traceback, the previous output/ byte-identical, no scratch
folder left; `check` (no build) answers with the same first line (run in the test's own process:
`check` as a command of its own is test_build's and test_checks').
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bad_edits import BAD_EDITS, LINE_RE, SUMMARY_RE
from conftest import REPO, build_leftovers, check_in_process, run_cli

CATALOGUE = REPO / "docs" / "bad-edits.md"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("edit", BAD_EDITS, ids=[e.key for e in BAD_EDITS])
def test_bad_edit(edit, built_real_copy, chart_cache):
    """Each test breaks its own copy of the real project, built once for the whole run."""
    site = built_real_copy
    before = snapshot(site / "output")
    assert before, "the first build left no output"
    edit.apply(site)

    result = run_cli(site, "build", cache=chart_cache)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines, result.stdout
    assert edit.problems(lines[0], site) == [], lines[0]
    for line in lines:
        assert LINE_RE.match(line) or SUMMARY_RE.match(line), line
    assert SUMMARY_RE.match(lines[-1])
    assert snapshot(site / "output") == before, "the failed build changed output/"
    leftovers = build_leftovers(site)
    assert leftovers == [], "scratch folder left behind"

    status, _, said = check_in_process(site)
    assert status == 1
    assert said.splitlines()[0] == lines[0]


def test_catalogue_lists_every_bad_edit_with_its_message():
    """docs/bad-edits.md is generated from the same table (scripts/bad_edits_catalogue.py)."""
    text = CATALOGUE.read_text(encoding="utf-8")
    keys = re.findall(r'^### <a id="([^"]+)"></a>', text, re.M)
    assert keys == [e.key for e in BAD_EDITS], "run scripts/bad_edits_catalogue.py"
    for edit in BAD_EDITS:
        section = text.split(f'<a id="{edit.key}"></a>', 1)[1].split("\n### ", 1)[0]
        message = re.search(r"```\n(.+)\n```", section).group(1)
        assert message.startswith(f"{edit.where}:"), message
        assert edit.phrase in message and edit.hint in message, "run scripts/bad_edits_catalogue.py"

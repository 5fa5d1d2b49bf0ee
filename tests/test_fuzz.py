"""Fuzzing: random damage to the real data/*.yaml never crashes the build or half-builds the site.

Each example deletes, swaps or duplicates lines, changes a value's type, shifts
indentation or inserts random bytes. Then either the data loads and everything
the build computes from it works, or every line printed is `path:LINE: what — how`.
Many examples run in-process (loader, `check`, and the build's own formatting);
a few run the whole build in a fresh process and compare output/ before and after.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bad_edits import LINE_RE, SUMMARY_RE
from conftest import REPO, SKIP, run_cli

from plugins.figures import charts, cli, context, data, downloads, links, lint, references
from plugins.figures.errors import EditorErrors

NAMES = ["figures.yaml", "charts.yaml", "sources.yaml"]
ORIGINAL = {name: (REPO / "data" / name).read_bytes() for name in NAMES}
STYLE = REPO / "theme" / "charts"
# More examples for a longer hunt: FUZZ_EXAMPLES=5000 FUZZ_BUILDS=200 make test
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 200))
BUILDS = int(os.environ.get("FUZZ_BUILDS", 15))

# What editors (and accidents) put where a value belongs.
SCALARS = [
    "32k", "32,000", "32.000", "1.5", "0", "-1", "true", "no", "null", "~", "", "[]", "{}", "[1, 2]",
    "{a: 1}", '""', "'x'", '"unclosed', "2024-13-45", "2024-05", "9" * 30, "1e400", ".nan", "0x10",
    "!!python/name:os.system", "!!binary aGk=", "&a x", "*a", "*undefined", "|", ">-", "@x", "`x`",
    "%x", "x: y", "[a, b", "{{ failed_to_appear }}", "{{ chart:x }}", "<script>alert(1)</script>",
    "transferred_to_hhs", "oig_24_46", "bars", "https://example.org", "http://example.org",
]


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    """(file name, its damaged bytes)."""
    name = draw(st.sampled_from(NAMES))
    lines = ORIGINAL[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            lines = [b""]
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "swap", "duplicate", "scalar", "scalar", "indent", "bytes", "truncate"]))
        if kind == "delete":
            del lines[i]
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "scalar":
            key, colon, _ = lines[i].partition(b": ")
            value = draw(st.sampled_from(SCALARS) | st.text(max_size=12))
            if colon:
                lines[i] = key + b": " + value.encode() + b"\n"
            else:
                lines[i] = lines[i].rstrip(b"\n") + b" " + value.encode() + b"\n"
        elif kind == "indent":
            lines[i] = b" " * draw(st.integers(0, 8)) + lines[i].lstrip(b" ")
        elif kind == "bytes":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.binary(min_size=1, max_size=6)) + lines[i][at:]
        else:
            lines = lines[:i]
    return name, b"".join(lines)


def assert_one_line_messages(text: str) -> None:
    assert "Traceback" not in text, text
    for line in text.splitlines():
        assert LINE_RE.match(line) or SUMMARY_RE.match(line), line


def build_computations(site) -> None:
    """What the build computes from loaded data, short of drawing and Pelican: none may raise."""
    if lint.check_data_texts(site):
        return  # the build stops here too
    view = context.TemplateData(site, STYLE)
    for chart_id, chart in site.charts.items():
        spec = charts.resolve(chart, site)  # lays out every variant too
        assert all(w > 0 and h > 0 for w, h in charts.sizes(spec).values())
        view.chart(chart_id, ".")
        view.chart_image(chart_id)
    downloads.figure_rows(site)
    for fid in [*site.figures, *site.derived]:
        attrs = references.FIGURE_ATTRS if fid in site.figures else references.DERIVED_ATTRS
        for attr in attrs:
            references.plain(fid, attr, site)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(REPO, site, ignore=SKIP)
    return site


def restore(site: Path) -> None:
    for name in NAMES:
        (site / "data" / name).write_bytes(ORIGINAL[name])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(change=damaged())
def test_damaged_data_loads_or_gives_one_line_messages(project, change):
    name, raw = change
    (project / "data" / name).write_bytes(raw)
    try:
        try:
            site = data.load(project / "data")
        except EditorErrors as exc:
            assert exc.errors
            for error in exc.errors:
                assert LINE_RE.match(error.one_line()), error.one_line()
        else:
            build_computations(site)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.check(project)
        assert status in (0, 1)
        assert_one_line_messages(err.getvalue())
        assert (status == 1) == bool(err.getvalue())
    finally:
        restore(project)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_project(project, tmp_path_factory, chart_cache) -> Path:
    site = tmp_path_factory.mktemp("fuzz-build") / "project"
    shutil.copytree(project, site)
    assert run_cli(site, "build", cache=chart_cache).returncode == 0
    return site


@settings(max_examples=BUILDS, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(change=damaged())
def test_damaged_data_builds_whole_site_or_leaves_old_one(built_project, chart_cache, change):
    site = built_project
    name, raw = change
    before = snapshot(site / "output")
    (site / "data" / name).write_bytes(raw)
    try:
        result = run_cli(site, "build", cache=chart_cache)
        assert "Traceback" not in result.stdout
        assert_one_line_messages(result.stderr)
        after = snapshot(site / "output")
        event(f"build exit status {result.returncode}")
        if result.returncode == 0:
            # A whole new site: every page and download is there.
            for page in ("index.html", "about-the-data/index.html", "downloads/figures.csv", "downloads/figures.json"):
                assert page in after, page
            assert any(p.startswith("charts/") for p in after)
            assert links.check(site / "output") == []
        else:
            assert result.returncode == 1
            assert result.stderr.splitlines()[-1].startswith("Build stopped")
            assert after == before, "a failed build changed output/"
        assert not [p for p in site.iterdir() if p.name.startswith(".output-")], "scratch folder left behind"
    finally:
        restore(site)

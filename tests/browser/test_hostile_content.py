"""Hostile content in Chromium: nothing navigates, nothing is fetched from another origin, no script runs.

The site's policy (README, Security) is that pages are Markdown only: every raw HTML element is
refused, so no hostile markup is let through to be tried here. What is tested instead:

- every hostile case the review found, written into one page, stops the build at its own line and
  leaves `output/` as it was;
- Markdown the policy does allow, that only looks hostile (HTML shown as code, escaped entities, links
  and autolinks to other sites), builds and stays inert in Chromium;

Every page of the real site is watched the same way (no navigation after load, no request off the
origin, no script parsed in the page's world, no frame) by its reader-view test, whose watcher is
proven on a page made to fail (test_reader_views.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_cli

from .conftest import serving
from .views import Tabs, open_view

# Every raw HTML case from the review, one per line of one page: each must be refused at its line.
HOSTILE_LINES = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    '<img src="https://evil.example/pixel.png" alt="">',
    '<svg><a href="javascript:alert(1)"><text y="20">Click</text></a></svg>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "[Read more](javascript:alert(1))",
    "![cover](https://evil.example/cover.png)",
    "<!-- <script>alert(1)</script> -->",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory, built_real_project) -> Path:
    """A copy of the real project as built once for the run."""
    site = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(built_real_project, site, symlinks=True)
    return site


def test_each_hostile_case_is_refused_at_its_line(project, chart_cache):
    page = project / "content" / "pages" / "family-separation.md"
    before = page.read_text(encoding="utf-8")
    output = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    lines = before.splitlines()
    first = lines.index("", 0) + 1  # the first line of the text, after the metadata
    hostile = lines[:first] + [x for line in HOSTILE_LINES for x in (line, "")] + lines[first:]
    page.write_text("\n".join(hostile) + "\n", encoding="utf-8")
    try:
        result = run_cli(project, "build", cache=chart_cache)
    finally:
        page.write_text(before, encoding="utf-8")
    assert result.returncode == 1
    reported = {line.split(":")[1] for line in result.stderr.splitlines() if line.startswith("content/pages/family-separation.md:")}
    expected = {str(first + 1 + 2 * i) for i in range(len(HOSTILE_LINES))}
    assert expected <= reported, result.stderr
    assert {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()} == output


# Allowed by the policy, and only looks hostile: shown as text, or a plain link out.
LOOKS_HOSTILE = """

Shown as code: `<script>alert(1)</script>` and `<meta http-equiv="refresh" content="0;url=https://evil.example/">`.

```
<iframe src="https://evil.example/"></iframe>
<img src="https://evil.example/pixel.png" onerror="alert(1)">
```

Escaped: &lt;script&gt;alert(1)&lt;/script&gt; and 3 < 4 > 2.

Links out are links, not loads: [the report](https://www.oig.dhs.gov/), <https://evil.example/>, <desk@example.org>.
"""


def test_markdown_that_only_looks_hostile_builds_and_stays_inert(project, chart_cache, browser):
    page = project / "content" / "pages" / "family-separation.md"
    page.write_text(page.read_text(encoding="utf-8") + LOOKS_HOSTILE, encoding="utf-8")
    result = run_cli(project, "build", cache=chart_cache)
    assert result.returncode == 0, result.stderr
    with serving(project / "output") as base:
        tabs = Tabs(browser, base)
        try:
            with open_view(tabs, "/family-separation/", ("1280-light", 1280, "light")) as (opened, visit):
                assert visit.inert_problems(opened) == []
                html = opened.content()
        finally:
            tabs.close()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    assert 'href="https://evil.example/"' in html  # a link, which loads nothing by itself

"""The render cache (plugins/figures/rendercache.py): a page is rendered by Markdown again only
when something its HTML depends on changed, and a build from the cache is the uncached build.

Renders are counted from the line a build prints with FIGURES_DEBUG=1, never timed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import SKIP, run_cli

DEBUG = {"FIGURES_DEBUG": "1"}


def all_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(site: Path, cache: Path | None = None, env: dict | None = None, fresh: bool = False) -> tuple[list[str], int]:
    """Build with FIGURES_DEBUG=1; return the pages Markdown rendered and how many pages were read."""
    result = run_cli(site, "build", cache=cache, env={**DEBUG, **(env or {})}, fresh=fresh)
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(r"^Markdown rendered (\d+) of (\d+) pages: (.*)$", result.stdout, re.M)
    assert found, result.stdout
    rendered = [] if found.group(3) == "-" else found.group(3).split(", ")
    assert len(rendered) == int(found.group(1))
    return rendered, int(found.group(2))


def without_pages(cache: Path, folder: Path) -> Path:
    """A copy of a chart cache's drawings, in a folder of its own: the page cache lives beside the
    drawings (`<folder>/../pages`), so a build with it has none and renders every page."""
    shutil.copytree(cache, folder)
    assert not (folder.parent / "pages").exists()
    return folder


@pytest.mark.slow
def test_a_page_edit_renders_that_page_only_and_builds_what_an_uncached_build_does(built_real_copy, seeded_cache, tmp_path):
    site = built_real_copy
    rendered, total = build(site, cache=seeded_cache)  # a cache of the test's own: no page in it yet
    assert total == 28 and len(rendered) == total, rendered
    page = site / "content" / "pages" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence only this test adds.\n", encoding="utf-8")
    rendered, total = build(site, cache=seeded_cache)
    assert rendered == ["content/pages/glossary.md"] and total == 28
    assert "A sentence only this test adds." in (site / "output" / "glossary" / "index.html").read_text(encoding="utf-8")

    # The same sources built without any page cache, elsewhere: the same files, byte for byte.
    other = tmp_path / "uncached" / "project"
    shutil.copytree(site, other, ignore=SKIP)
    cache = without_pages(seeded_cache, tmp_path / "uncached" / "drawings" / "charts")
    rendered, total = build(other, cache=cache)
    assert len(rendered) == total == 28
    mine, theirs = all_files(site / "output"), all_files(other / "output")
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


def test_a_data_edit_renders_its_pages_again_and_prunes_their_old_entries(test_site, tmp_path):
    own = {"FIGURES_CACHE_PATH": ""}  # the project's own .cache/: pruned after each successful build
    entries = test_site / ".cache" / "pages"
    rendered, total = build(test_site, env=own)
    assert sorted(rendered) == ["content/pages/about.md", "content/pages/home.md"] and total == 2
    first = {p.name for p in entries.glob("*.json")}
    assert len(first) == 2
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    rendered, _ = build(test_site, env=own)
    assert rendered == ["content/pages/about.md"]
    second = {p.name for p in entries.glob("*.json")}
    assert len(second) == 2 and len(first & second) == 1  # home's kept, about's old version gone

    # Both pages show `whole`: a new value must reach them, not the HTML kept from before.
    figures = test_site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 1000", "value: 1234").replace("more than 1,000 apples", "more than 1,234 apples"))
    rendered, _ = build(test_site, env=own)
    assert sorted(rendered) == ["content/pages/about.md", "content/pages/home.md"]
    for html in (test_site / "output" / "index.html", test_site / "output" / "about-the-data" / "index.html"):
        text = html.read_text(encoding="utf-8")
        assert "more than 1,234" in text and "more than 1,000" not in text, html
    assert len({p.name for p in entries.glob("*.json")} - second) == 2 and len(list(entries.glob("*.json"))) == 2

    other = tmp_path / "uncached" / "site"
    shutil.copytree(test_site, other, ignore=SKIP)
    shutil.copytree(test_site / ".cache" / "charts", other / ".cache" / "charts")  # the drawings, no page
    rendered, _ = build(other, env=own)
    assert len(rendered) == 2
    assert all_files(test_site / "output") == all_files(other / "output")


@pytest.mark.slow
def test_a_change_to_the_plugin_code_renders_every_page_again(real_site, seeded_cache):
    """The plugin imported from the copy (PYTHONPATH, so a fresh interpreter), its code edited."""
    env = {"PYTHONPATH": str(real_site)}
    rendered, total = build(real_site, cache=seeded_cache, env=env)
    assert len(rendered) == total == 28
    code = real_site / "plugins" / "figures" / "markdown_ext.py"
    text = code.read_text(encoding="utf-8")
    assert '{"class": "figure-ref", ' in text
    code.write_text(text.replace('{"class": "figure-ref", ', '{"class": "figure-ref edited", '), encoding="utf-8")
    rendered, total = build(real_site, cache=seeded_cache, env=env)
    assert len(rendered) == total == 28
    assert 'class="figure-ref edited"' in (real_site / "output" / "index.html").read_text(encoding="utf-8")

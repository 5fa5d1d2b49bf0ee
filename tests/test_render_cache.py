"""The render cache (plugins/figures/rendercache.py): a page is rendered by Markdown again only
when something its HTML depends on changed, and a build from the cache is the uncached build.

Renders are counted from the line a build prints with FIGURES_DEBUG=1, never timed.
"""

from __future__ import annotations

import json
import re
import runpy
import shutil
from pathlib import Path

import markdown
import pytest

from conftest import REPO, SKIP, all_files, run_cli

from plugins.figures import data as data_module
from plugins.figures import formatting, i18n, translations
from plugins.figures.context import TemplateData
from plugins.figures.markdown_ext import Answers, FiguresExtension

DEBUG = {"FIGURES_DEBUG": "1"}


def build(site: Path, cache: Path | None = None, env: dict | None = None, fresh: bool = False) -> tuple[list[str], int]:
    """Build with FIGURES_DEBUG=1; return the pages Markdown rendered and how many pages were read."""
    result = run_cli(site, "build", cache=cache, env={**DEBUG, **(env or {})}, fresh=fresh)
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(r"^Markdown rendered (\d+) of (\d+) pages: (.*)$", result.stdout, re.M)
    assert found, result.stdout
    rendered = [] if found.group(3) == "-" else found.group(3).split(", ")
    assert len(rendered) == int(found.group(1))
    return rendered, int(found.group(2))


def pages_in(site: Path) -> int:
    """Every Markdown file Pelican reads (drafts too: they are read, then left out)."""
    return len(list((site / "content").rglob("*.md")))


def citing(site: Path, figure_id: str) -> set[str]:
    """The pages whose text names the figure."""
    return {f"content/{p.relative_to(site / 'content')}" for p in (site / "content").rglob("*.md") if figure_id in p.read_text(encoding="utf-8")}


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
    assert total == pages_in(site) and len(rendered) == total, rendered
    page = site / "content" / "pages" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence only this test adds.\n", encoding="utf-8")
    rendered, total = build(site, cache=seeded_cache)
    assert rendered == ["content/pages/glossary.md"] and total == pages_in(site)
    assert "A sentence only this test adds." in (site / "output" / "glossary" / "index.html").read_text(encoding="utf-8")

    # The same sources built without any page cache, elsewhere: the same files, byte for byte.
    other = tmp_path / "uncached" / "project"
    shutil.copytree(site, other, ignore=SKIP)
    cache = without_pages(seeded_cache, tmp_path / "uncached" / "drawings" / "charts")
    rendered, total = build(other, cache=cache)
    assert len(rendered) == total == pages_in(other)
    mine, theirs = all_files(site / "output"), all_files(other / "output")
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


def test_a_data_edit_renders_again_the_pages_that_show_it_and_prunes_old_entries(test_site, tmp_path):
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

    # Only home shows `part` (and `share_eaten`, computed from it): about is not rendered again.
    figures = test_site / "data" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 250", "value: 260").replace("about 250 were eaten", "about 260 were eaten"))
    assert build(test_site, env=own)[0] == ["content/pages/home.md"]
    home = (test_site / "output" / "index.html").read_text(encoding="utf-8")
    assert "about 260" in home and "about 250" not in home and "about one in four" in home
    # Both pages show `whole`: a new value must reach them, not the HTML kept from before.
    figures.write_text(figures.read_text().replace("value: 1000", "value: 1234").replace("more than 1,000 apples", "more than 1,234 apples"))
    rendered, _ = build(test_site, env=own)
    assert sorted(rendered) == ["content/pages/about.md", "content/pages/home.md"]
    for html in (test_site / "output" / "index.html", test_site / "output" / "about-the-data" / "index.html"):
        text = html.read_text(encoding="utf-8")
        assert "more than 1,234" in text and "more than 1,000" not in text, html
    assert {p.name for p in entries.glob("*.json")} == second

    other = tmp_path / "uncached" / "site"
    shutil.copytree(test_site, other, ignore=SKIP)
    shutil.copytree(test_site / ".cache" / "charts", other / ".cache" / "charts")  # the drawings, no page
    rendered, _ = build(other, env=own)
    assert len(rendered) == 2
    assert all_files(test_site / "output") == all_files(other / "output")


def test_a_setting_that_renames_the_drawings_renders_the_pages_showing_charts_again(test_site, chart_cache, tmp_path):
    """The site's address is drawn on every social card, so it is in each chart's hash and in the
    names of the drawings a page shows: with the data unchanged, a page kept from a build with
    another address would show pictures that do not exist (`make publish` after `make html`)."""
    assert len(build(test_site, cache=chart_cache)[0]) in (0, 1, 2)
    settings = test_site / "pelicanconf.py"
    settings.write_text(settings.read_text() + '\nSITE_ADDRESS = "https://elsewhere.example.org/render-cache-test"\n')
    rendered, _ = build(test_site, cache=chart_cache)
    assert rendered == ["content/pages/home.md"]  # about shows no chart: its answers are the same

    other = tmp_path / "uncached" / "site"
    shutil.copytree(test_site, other, ignore=SKIP)
    assert len(build(other, env={"FIGURES_CACHE_PATH": ""})[0]) == 2  # its own empty cache
    assert all_files(test_site / "output") == all_files(other / "output")


@pytest.mark.slow
def test_a_figure_edit_renders_only_the_pages_that_show_it_and_builds_what_an_uncached_build_does(built_real_copy, seeded_cache, tmp_path):
    site = built_real_copy
    assert len(build(site, cache=seeded_cache)[0]) == pages_in(site)
    figures = site / "data" / "figures.yaml"
    # Shown by one page in each edition, and by no chart, claim or derived figure.
    figures.write_text(figures.read_text().replace("    value: 297\n", "    value: 298\n").replace('"297 children who', '"298 children who'))
    rendered, _ = build(site, cache=seeded_cache)
    assert rendered == sorted(citing(site, "us_citizen_children_separated")) == ["content/pages/es/family-separation.md", "content/pages/family-separation.md"]
    assert "298" in (site / "output" / "family-separation" / "index.html").read_text(encoding="utf-8")
    # Shown through charts, a derived figure and claims too: more pages, never all of them.
    figures.write_text(figures.read_text().replace("value: 32000", "value: 33123").replace("more than 32,000 UCs", "more than 33,123 UCs"))
    rendered, total = build(site, cache=seeded_cache)
    assert citing(site, "failed_to_appear") <= set(rendered) and len(rendered) < total, rendered

    other = tmp_path / "uncached" / "project"
    shutil.copytree(site, other, ignore=SKIP)
    cache = without_pages(seeded_cache, tmp_path / "uncached" / "drawings" / "charts")
    assert len(build(other, cache=cache)[0]) == pages_in(other)
    mine, theirs = all_files(site / "output"), all_files(other / "output")
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


class _Poison:
    """Data nobody may read: any attribute raises."""

    def __getattr__(self, name):
        raise AssertionError(f"the Markdown extension read `.{name}` of the data without asking")


class _Replayed(Answers):
    """The answers a render recorded, and nothing else: a question not asked then fails."""

    def __init__(self, asked: dict):
        super().__init__(_Poison())
        self.recorded = asked

    def __call__(self, question, *args):
        return self.recorded[json.dumps([question, *args], ensure_ascii=False)]


def _real_editions():
    site = data_module.load(REPO / "data")
    es_path = REPO / "data" / "es.yaml"
    spanish = translations.localize(site, translations.load(es_path, "data/es.yaml", site), "data/es.yaml")
    t = i18n.Translator(REPO / "theme", "en")
    style, templates = REPO / "theme" / "charts", REPO / "theme" / "templates"
    return {
        "en": TemplateData(site, style, templates, formatting.edition("en", "", t)),
        "es": TemplateData(spanish, style, templates, formatting.edition("es", "es/", t)),
    }


def test_a_page_is_made_of_its_text_and_the_answers_only():
    """What makes reusing a page after a data edit exact: rendered again with the data poisoned and
    only the recorded answers to go by, every real page comes out the same. (If the extension read
    the data any other way, an edit to what it read would not be noticed.)"""
    editions = _real_editions()
    options = runpy.run_path(str(REPO / "pelicanconf.py"))["MARKDOWN"]
    extensions = [*options["extension_configs"], "markdown.extensions.meta"]
    pages = sorted((REPO / "content").rglob("*.md"))
    assert len(pages) == pages_in(REPO) > 20
    asked_in_all = set()
    for page in pages:
        lang = "es" if "es" in page.relative_to(REPO / "content").parts else "en"
        text = page.read_text(encoding="utf-8")
        ext = FiguresExtension(editions, [])
        ext.set_language(lang)
        html = markdown.Markdown(extensions=[*extensions, ext], extension_configs=options["extension_configs"], output_format="html5").convert(text)
        assert not ext.errors, page
        replayed = FiguresExtension(editions, [])
        replayed.set_language(lang)
        replayed.view = replayed.data = replayed.views = _Poison()
        replayed.ask = _Replayed(ext.ask.asked)
        again = markdown.Markdown(extensions=[*extensions, replayed], extension_configs=options["extension_configs"], output_format="html5").convert(text)
        assert again == html, page
        asked_in_all |= {json.loads(key)[0] for key in ext.ask.asked}
    assert asked_in_all == {"problems", "chart", "ref", "notes"}  # every kind of question was met


@pytest.mark.slow
def test_a_change_to_the_plugin_code_renders_every_page_again(real_site, seeded_cache):
    """The plugin imported from the copy (PYTHONPATH, so a fresh interpreter), its code edited."""
    env = {"PYTHONPATH": str(real_site)}
    rendered, total = build(real_site, cache=seeded_cache, env=env)
    assert len(rendered) == total == pages_in(real_site)
    code = real_site / "plugins" / "figures" / "markdown_ext.py"
    text = code.read_text(encoding="utf-8")
    assert '{"class": "figure-ref", ' in text
    code.write_text(text.replace('{"class": "figure-ref", ', '{"class": "figure-ref edited", '), encoding="utf-8")
    rendered, total = build(real_site, cache=seeded_cache, env=env)
    assert len(rendered) == total == pages_in(real_site)
    assert 'class="figure-ref edited"' in (real_site / "output" / "index.html").read_text(encoding="utf-8")

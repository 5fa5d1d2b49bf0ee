"""landing.py: a build writes in memory, lands beside the site by linking unchanged files, swaps in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import SKIP, all_files, build_leftovers, run_cli

from plugins.figures import landing


def inodes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def edit_page(site: Path, words: str) -> None:
    page = site / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + f"\n{words}\n")


@pytest.fixture
def tree(tmp_path):
    def make(name: str, files: dict[str, str]) -> Path:
        root = tmp_path / name
        root.mkdir()
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        return root

    return make


def test_an_unchanged_file_is_the_last_sites_file_and_a_changed_one_is_new(test_site, chart_cache):
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    output = test_site / "output"
    before, before_bytes = inodes(output), all_files(output)
    edit_page(test_site, "One more sentence.")
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    after, after_bytes = inodes(output), all_files(output)
    changed = {name for name in after_bytes if before_bytes.get(name) != after_bytes[name]}
    assert "about-the-data/index.html" in changed and len(changed) < len(after) / 4, changed
    assert {name for name in after if after[name] == before.get(name)} == set(after) - changed
    assert not {name for name in changed if after[name] == before.get(name)}
    # The replaced site is the spare, untouched: nothing was written into a file it shares.
    assert all_files(test_site / ".output-spare") == before_bytes
    assert not build_leftovers(test_site)


def test_a_page_removed_is_gone_from_the_site_even_when_the_spare_still_has_it(test_site, chart_cache, tmp_path):
    glossary = test_site / "content" / "pages" / "glossary.md"
    glossary.write_text("Title: Glossary\nSlug: glossary\n\nWords.\n")
    for words in ("First.", "Second."):  # two builds: the site with the glossary becomes the spare
        edit_page(test_site, words)
        assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    assert (test_site / ".output-spare" / "glossary" / "index.html").exists()
    glossary.unlink()
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0  # lands in the spare
    assert not (test_site / "output" / "glossary").exists()
    reference = tmp_path / "reference"
    shutil.copytree(test_site, reference, ignore=SKIP)  # the same inputs, built from nothing
    assert run_cli(reference, "build", cache=chart_cache).returncode == 0
    assert all_files(test_site / "output") == all_files(reference / "output")


def test_land_makes_the_spare_hold_exactly_the_new_files(tree):
    previous = tree("previous", {"a.html": "same", "b/c.css": "old", "gone.txt": "x"})
    built = tree("built", {"a.html": "same", "b/c.css": "new", "d/e.svg": "added", "f": "file now"})
    spare = tree("spare", {"a.html": "stale", "b/c.css": "older", "d": "a file where a folder goes", "f/g": "a folder where a file goes", "gone.txt": "x"})
    os.symlink(previous / "a.html", spare / "b" / "link")
    landing.land(built, spare, previous)
    assert all_files(spare) == all_files(built)
    assert not any(p.is_symlink() for p in spare.rglob("*"))
    assert (spare / "a.html").stat().st_ino == (previous / "a.html").stat().st_ino  # linked, not copied
    assert (spare / "b" / "c.css").stat().st_ino != (previous / "b" / "c.css").stat().st_ino
    assert (previous / "b" / "c.css").read_text() == "old"  # the live site's file was not written through


def test_a_spare_that_shares_a_file_with_the_site_keeps_it(tree):
    previous = tree("previous", {"a.html": "same"})
    built = tree("built", {"a.html": "same"})
    spare = tree("spare", {})
    os.link(previous / "a.html", spare / "a.html")
    ino = (spare / "a.html").stat().st_ino
    landing.land(built, spare, previous)
    assert (spare / "a.html").stat().st_ino == ino


def test_without_memory_the_build_writes_beside_the_site_and_keeps_no_spare(tmp_path, monkeypatch):
    monkeypatch.setattr(landing, "MEMORY", tmp_path / "no-tmpfs")
    target = tmp_path / "output"
    (target / "old.html").parent.mkdir()
    (target / "old.html").write_text("old")
    memory, folder = landing.folders(target)
    assert memory is None and folder.parent == tmp_path and folder.name.startswith(".output-building-")
    (folder / "new.html").write_text("new")
    landing.swap_in(folder, target, keep_spare=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # the old site is gone: no spare
    assert [p.name for p in target.iterdir()] == ["new.html"]


def test_a_tmpfs_with_too_little_room_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(landing, "MEMORY", tmp_path / "memory")
    (tmp_path / "memory").mkdir()
    target = tmp_path / "output"
    monkeypatch.setattr(landing, "MEMORY_NEEDED", 2**62)  # more than any disk has free
    memory, folder = landing.folders(target)
    assert memory is None and folder.name.startswith(".output-building-")
    monkeypatch.setattr(landing, "MEMORY_NEEDED", 1)
    memory, folder = landing.folders(target)
    assert memory is not None and memory.parent == tmp_path / "memory"


def test_a_build_killed_between_the_renames_with_a_spare_loses_no_site(tmp_path):
    target = tmp_path / "output"
    old = tmp_path / f".output-old-{os.getpid()}"
    old.mkdir()
    (old / "index.html").write_text("the last good site")
    (tmp_path / ".output-spare").mkdir()  # what was about to be swapped in
    landing.clear_leftovers(target)
    assert (target / "index.html").read_text() == "the last good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output-spare", "output"]

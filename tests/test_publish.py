"""Publishing: `publish` checks links before replacing output/; absolute addresses; deploy targets; links.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, build_leftovers, run_cli

from plugins.figures import links

SITEURL = "https://news.example.org/numbers"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_published_site_has_absolute_links_feed_and_canonical(real_site, chart_cache):
    result = run_cli(real_site, "publish", cache=chart_cache, env={"SITEURL": SITEURL})
    assert result.returncode == 0, result.stderr
    out = real_site / "output"
    for page in ("index.html", "about-the-data/index.html"):
        soup = soup_of(out / page)
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        assert canonical == f"{SITEURL}/{page.removesuffix('index.html')}"
        assert soup.select_one('link[type="application/atom+xml"]')["href"] == f"{SITEURL}/updates/feed.atom"
        for link in soup.select("a[href]"):
            href = link["href"]
            assert href.startswith(("https://", "#", "mailto:")), (page, href)
        assert soup.select_one('link[rel="stylesheet"]')["href"].startswith(SITEURL + "/theme/site.")
    feed = (out / "updates" / "feed.atom").read_text()
    assert f'href="{SITEURL}/updates/feed.atom"' in feed
    assert (out / "_headers").exists()


@pytest.mark.slow
def test_publish_refuses_a_broken_link_and_keeps_the_old_site(real_site, chart_cache):
    assert run_cli(real_site, "publish", cache=chart_cache).returncode == 0
    before = snapshot(real_site / "output")
    page = real_site / "content" / "pages" / "404.md"
    page.write_text(page.read_text() + "\nSee [About the data]({filename}about-the-dat.md).\n")
    line = next(i for i, text in enumerate(page.read_text().splitlines(), 1) if "about-the-dat.md" in text)
    result = run_cli(real_site, "publish", cache=chart_cache)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"content/pages/404.md:{line}: the link `{{filename}}about-the-dat.md` was not resolved")
    assert snapshot(real_site / "output") == before
    assert not build_leftovers(real_site)


def test_every_build_refuses_http_links(test_site, chart_cache):
    page = test_site / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nSee [the report](http://example.org/report).\n")
    result = run_cli(test_site, "build", cache=chart_cache)
    assert result.returncode == 1
    assert "content/pages/about.md:8: the link `http://example.org/report` uses an insecure http:// address — use the https://" in result.stderr


@pytest.mark.slow
def test_a_local_build_after_publish_rebuilds_with_local_links(test_site, chart_cache):
    assert run_cli(test_site, "build", cache=chart_cache).returncode == 0
    assert run_cli(test_site, "build", "--settings", "pelicanconf.py", cache=chart_cache).stdout.startswith("Nothing changed")
    conf = test_site / "publishconf.py"
    conf.write_text((REPO / "publishconf.py").read_text())
    assert run_cli(test_site, "publish", cache=chart_cache).returncode == 0
    # Canonical links name the public page in both builds; the links readers follow differ.
    assert soup_of(test_site / "output" / "index.html").select_one('link[rel="stylesheet"]')["href"].startswith("https://")
    again = run_cli(test_site, "build", cache=chart_cache)
    assert again.returncode == 0 and "Nothing changed" not in again.stdout
    assert soup_of(test_site / "output" / "index.html").select_one('link[rel="stylesheet"]')["href"].startswith("./")


# ---- links.py on a hand-made site ---------------------------------------------


@pytest.fixture
def tiny(tmp_path) -> Path:
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "pic.svg").write_text("<svg/>")
    (site / "about" / "index.html").write_text('<h2 id="sources">Sources</h2><a name="old">x</a>')
    return site


@pytest.mark.parametrize(
    "html, problem",
    [
        ('<a href="about/">ok</a><a href="./about/index.html#sources">ok</a><a href="#top" id="top">ok</a>', None),
        ('<a href="https://elsewhere.org/missing">other sites are not fetched</a><a href="mailto:a@b.org">ok</a>', None),
        ('<img src="pic.svg" srcset="pic.svg 1x, pic.svg 2x"><a href="/about/#old">ok</a>', None),
        (f'<a href="{SITEURL}/about/">absolute, inside</a>', None),
        ('<a href="abuot/">typo</a>', "leads to a page or file that does not exist"),
        ('<a href="about/#sourcez">x</a>', "points to `#sourcez`, which is not on about/index.html"),
        ('<a href="#nowhere">x</a>', "points to `#nowhere`, which is not on this page"),
        ('<img srcset="pic.svg 1x, gone.svg 2x">', "the picture `gone.svg` leads to a page or file that does not exist"),
        (f'<a href="{SITEURL}/abuot/">x</a>', "does not exist"),
        ('<a href="../../etc/passwd">x</a>', "leads outside the site"),
        ('<img src="http://example.org/a.png">', "uses an insecure http:// address"),
        ('<a href="javascript:alert(1)">x</a>', "uses a `javascript:` address"),
        ('<a href="{filename}x.md">x</a>', "was not resolved by Pelican"),
    ],
)
def test_link_checker(tiny, html, problem):
    (tiny / "index.html").write_text(f"<!doctype html>\n<body>\n{html}\n</body>")
    errors = [e.one_line() for e in links.check(tiny, SITEURL)]
    if problem is None:
        assert errors == []
    else:
        assert len(errors) == 1 and errors[0].startswith("output/index.html:3: ") and problem in errors[0], errors


# ---- deploy targets -------------------------------------------------------------


def make(site: Path, *args: str, chart_cache: Path, **env) -> subprocess.CompletedProcess:
    import os

    environment = {**os.environ, "FIGURES_CACHE_PATH": str(chart_cache), **env}
    for name in ("SSH_TARGET", "SITEURL", "MAKEFLAGS", "MFLAGS"):
        environment.pop(name, None)
    return subprocess.run(
        ["make", "--no-print-directory", f"VENV={REPO / '.venv'}", f"MPLCONFIGDIR={REPO / '.cache' / 'matplotlib'}", *args],
        cwd=site, env=environment, capture_output=True, text=True, timeout=300,
    )


def test_deploy_rsync_refuses_without_a_target(real_site, chart_cache):
    result = make(real_site, "deploy-rsync", chart_cache=chart_cache)
    assert result.returncode != 0
    assert "set SSH_TARGET" in result.stderr and "nothing was published" in result.stderr
    assert not (real_site / "output").exists()
    dry = make(real_site, "-n", "deploy-rsync", "SSH_TARGET=deploy@host:/var/www/figures/", chart_cache=chart_cache)
    assert 'rsync -rlvz --checksum --delete-after --delay-updates --chmod=D755,F644 -e ssh output/ "deploy@host:/var/www/figures/"' in dry.stdout


@pytest.mark.slow
def test_deploy_github_commits_the_published_site_to_gh_pages(real_site, chart_cache):
    def git(*args):
        return subprocess.run(["git", *args], cwd=real_site, capture_output=True, text=True, check=True).stdout

    git("init", "-q", "-b", "main")
    git("config", "user.email", "desk@example.org")
    git("config", "user.name", "Figures Desk")
    git("add", "-A")
    git("commit", "-qm", "site")
    result = make(real_site, "deploy-github", "GHP_PUSH=", "CNAME=figures.example.org", chart_cache=chart_cache)
    assert result.returncode == 0, result.stdout + result.stderr
    files = git("ls-tree", "-r", "--name-only", "gh-pages").split()
    assert {"index.html", "about-the-data/index.html", "_headers", ".nojekyll", "CNAME", "updates/feed.atom"} <= set(files)
    home = git("show", "gh-pages:index.html")
    assert 'rel="canonical" href="https://figures.example.org/"' in home
    assert git("status", "--porcelain") == ""  # main's working tree untouched


def test_publish_leaves_drafts_out(real_site, chart_cache):
    """A draft page and a draft update (which used to crash the build) are read, checked, and never published."""
    (real_site / "content" / "pages" / "embargoed.md").write_text(
        "Title: Embargoed findings\nSlug: embargoed-findings\nStatus: draft\nDescription: Not yet.\n\nEmbargoed sentence about {{ failed_to_appear }}.\n"
    )
    (real_site / "content" / "updates" / "embargoed.md").write_text(
        "Title: Embargoed update\nSlug: embargoed-update\nDate: 2025-04-01\nStatus: draft\nDescription: Not yet.\n\nEmbargoed update text.\n"
    )
    result = run_cli(real_site, "publish", cache=chart_cache, env={"SITEURL": SITEURL})
    assert result.returncode == 0, result.stderr
    published = snapshot(real_site / "output")
    assert not [name for name in published if "draft" in name or "embargoed" in name]
    for name, data in published.items():  # pages, sitemap, feeds, indexes, menus
        assert b"mbargoed" not in data, name
    assert not (real_site / ".cache" / "preview").exists()


# ---- the Makefile: what each target installs; the linter before the tests (house-lint) ----------


@pytest.mark.parametrize("target", ["html", "serve", "check", "devserver", "publish", "preview"])
def test_site_targets_install_the_runtime_requirements_only(real_site, target):
    """On a fresh machine (no .venv yet), building the site installs requirements.txt, not the test tools."""
    dry = subprocess.run(["make", "-n", "--no-print-directory", f"VENV={real_site / 'fresh-venv'}", target], cwd=real_site, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    installs = [line for line in dry.stdout.splitlines() if " install " in line]
    assert len(installs) == 1 and installs[0].endswith("-r requirements.txt"), dry.stdout


@pytest.mark.slow
def test_make_test_runs_ruff_first_and_a_finding_stops_it(real_site, tmp_path):
    dry = subprocess.run(["make", "-n", "--no-print-directory", f"VENV={tmp_path / 'fresh-venv'}", "test"], cwd=real_site, capture_output=True, text=True, timeout=60)
    steps = dry.stdout.splitlines()
    assert any(s.endswith("-r requirements-test.txt") for s in steps), dry.stdout
    ruff = next(i for i, s in enumerate(steps) if s.endswith("/ruff check ."))
    pytest_step = next(i for i, s in enumerate(steps) if s.endswith("/python -m pytest"))
    assert ruff < pytest_step, dry.stdout
    # For real, with the shared .venv: the project as it is passes; an `except …: pass` fails.
    lint = ["make", "--no-print-directory", f"VENV={REPO / '.venv'}", "lint"]
    clean = subprocess.run(lint, cwd=real_site, capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (real_site / "plugins" / "figures" / "swallow.py").write_text("try:\n    open('x')\nexcept OSError:\n    pass\n")
    found = subprocess.run(lint, cwd=real_site, capture_output=True, text=True, timeout=300)
    assert found.returncode != 0 and "S110" in found.stdout and "swallow.py" in found.stdout, found.stdout + found.stderr

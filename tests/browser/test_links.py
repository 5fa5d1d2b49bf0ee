"""Links: every href/src/srcset in the output resolves, and every page is reachable from home.

Internal addresses must name a file in the output, and a #fragment an element with that id on the
target page. External addresses are not fetched (the network is closed) but must be https.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

BASE = "http://site.invalid/"
# The page a server shows for any missing address: nothing links to it, by design.
NOT_LINKED = {"404.html"}


@functools.cache
def parse(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def references(soup: BeautifulSoup):
    """(tag, line, attribute, address) for every href, src and srcset candidate in a document."""
    for tag in soup.find_all(True):
        for attr in ("href", "xlink:href", "src"):
            if tag.has_attr(attr):
                yield tag.name, tag.sourceline, attr, tag[attr].strip()
        if tag.has_attr("srcset"):
            for candidate in tag["srcset"].split(","):
                if candidate.strip():
                    yield tag.name, tag.sourceline, "srcset", candidate.split()[0]


def url_of(site: Path, file: Path) -> str:
    rel = file.relative_to(site).as_posix()
    return BASE + (rel.removesuffix("index.html") if file.name == "index.html" else rel)


def target_file(site: Path, url: str) -> Path:
    path = unquote(urlsplit(url).path).removeprefix(urlsplit(BASE).path)
    file = site / path
    return file / "index.html" if (path == "" or path.endswith("/") or file.is_dir()) else file


def ids(file: Path) -> set[str]:
    return {tag["id"] for tag in parse(file).find_all(id=True)}


def check_links(site: Path) -> tuple[list[str], dict[Path, set[Path]]]:
    """Problems (file:line: what) and, for each HTML page, the pages it links to."""
    problems, graph = [], {}
    for file in sorted(site.rglob("*.html")) + sorted(site.rglob("*.svg")):
        rel = file.relative_to(site)
        base = url_of(site, file)
        graph[file] = set()
        for tag, line, attr, address in references(parse(file)):
            where = f"{rel}:{line}: {attr}={address!r}"
            parts = urlsplit(address)
            if parts.scheme or address.startswith("//"):
                if parts.scheme not in ("https", "mailto"):
                    problems.append(f"{where}: an external address must be https")
                continue
            url = urljoin(base, address)
            target = target_file(site, url)
            if urlsplit(url).netloc != urlsplit(BASE).netloc or not target.resolve().is_relative_to(site.resolve()):
                problems.append(f"{where}: points outside the site")
                continue
            if not target.is_file():
                problems.append(f"{where}: no such file in the output ({target.relative_to(site)})")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if fragment and target.suffix in (".html", ".svg") and fragment not in ids(target):
                problems.append(f"{where}: no element with id {fragment!r} in {target.relative_to(site)}")
            if target.suffix == ".html" and tag in ("a", "area"):
                graph[file].add(target)
    return problems, graph


def test_every_address_resolves(site):
    problems, _ = check_links(site)
    if problems:
        pytest.fail(f"{len(problems)} broken address(es):\n" + "\n".join(problems), pytrace=False)


def test_every_page_is_reachable_from_home(site):
    _, graph = check_links(site)
    home = site / "index.html"
    seen, todo = {home}, [home]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    pages = {f for f in site.rglob("*.html") if f.name not in NOT_LINKED}
    unreachable = sorted(str(p.relative_to(site)) for p in pages - seen)
    if unreachable:
        pytest.fail("no chain of links from the home page reaches: " + ", ".join(unreachable), pytrace=False)

"""Check every link and picture in a built site before it replaces the old one.

- A link inside the site must lead to a file that was built, and a `#part` of
  it to an element with that id.
- Nothing may load or link over plain `http://` (mixed content, and readers'
  privacy); `javascript:` and other odd schemes are refused too.
- Links to other sites are not fetched: the build must not depend on the network.

Problems come back as editor lines, pointing at the Markdown line that holds the
link when there is one, else at the built page and its line.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import EditorError

LINK_ATTRIBUTES = {
    "a": ("href",), "link": ("href",), "area": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "script": ("src",), "iframe": ("src",), "embed": ("src",), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "form": ("action",), "object": ("data",),
}
SAFE_SCHEMES = {"mailto", "tel"}
UNRESOLVED = "was not resolved by Pelican"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str]] = []  # (line, tag, url)

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            if name in LINK_ATTRIBUTES.get(tag, ()):
                urls = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value.strip()]
                self.links.extend((line, tag, url) for url in urls)


def _resolve(site: Path, page: str, url: str, siteurl: str) -> tuple[str | None, str, str | None]:
    """(file in the site or None if the link leaves it, fragment, problem)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    base = urlsplit(siteurl) if siteurl else None
    if scheme == "http":
        return None, "", "uses an insecure http:// address"
    if scheme == "https" or (not scheme and parts.netloc):
        if not (base and parts.netloc == base.netloc and parts.path.startswith(base.path)):
            return None, "", None  # another site: not fetched
        path = "/" + parts.path[len(base.path):].lstrip("/")
    elif scheme == "data" and not url.lower().startswith("data:text/html"):
        return None, "", None
    elif scheme in SAFE_SCHEMES:
        return None, "", None
    elif scheme:
        return None, "", f"uses a `{scheme}:` address"
    elif url.startswith("{"):
        return None, "", UNRESOLVED
    else:
        path = parts.path
        if base and base.path and path.startswith(base.path.rstrip("/") + "/"):
            path = path[len(base.path.rstrip("/")):]
    path = unquote(path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = posixpath.normpath(path.lstrip("/") or ".")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if target == ".." or target.startswith("../"):
        return None, "", "leads outside the site"
    if target == "." or path.endswith("/") or (site / target).is_dir():
        target = posixpath.normpath(posixpath.join(target, "index.html"))
    if not (site / target).is_file():
        return target, "", "leads to a page or file that does not exist"
    return target, unquote(parts.fragment), None


class _Parsed:
    """What a page's parse yields, small enough to keep between builds."""

    def __init__(self, ids, links):
        self.ids, self.links = ids, links


# Parses made in this build, by the SHA-1 of the page's bytes: `prime()` fills it
# while the charts are still drawing, `check()` then finds every page parsed.
_PARSED: dict = {}


def _parse(raw: bytes) -> tuple[str, tuple]:
    import hashlib

    key = hashlib.sha1(raw).hexdigest()
    if key not in _PARSED:
        page = _Page()
        page.feed(raw.decode("utf-8", errors="replace"))
        page.close()
        _PARSED[key] = (page.ids, page.links)
    return key, _PARSED[key]


def prime(site: Path) -> None:
    """Parse the pages written so far, while the build would otherwise wait for its charts."""
    for path in site.rglob("*.html"):
        _parse(path.read_bytes())


def _parse_all(pages: dict, cache_file: Path | None) -> dict:
    """Parse every page, reusing the result for any page whose bytes have not changed.

    A rebuild after one edit rewrites every page but changes few: parsing only
    those keeps the check to a few milliseconds.
    """
    import pickle

    if cache_file is not None and cache_file.exists():
        try:
            _PARSED.update({k: v for k, v in pickle.loads(cache_file.read_bytes()).items() if k not in _PARSED})
        except Exception:  # noqa: BLE001 — a broken cache is rebuilt
            pass
    parsed, fresh = {}, {}
    for name, path in pages.items():
        key, result = _parse(path.read_bytes())
        fresh[key] = result
        parsed[name] = _Parsed(*result)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        scratch = cache_file.with_suffix(".tmp")
        scratch.write_bytes(pickle.dumps(fresh))
        scratch.replace(cache_file)
    return parsed


def check(site: Path, siteurl: str = "", sources: list[Path] = (), display=str, cache_file: Path | None = None) -> list[EditorError]:
    """Every broken internal link or insecure address in the HTML pages under `site`."""
    pages = {str(p.relative_to(site).as_posix()): p for p in sorted(site.rglob("*.html"))}
    parsed = _parse_all(pages, cache_file)
    texts = {path: path.read_text(encoding="utf-8", errors="replace").splitlines() for path in sources}
    found: dict = {}  # one message per mistake, however many pages repeat it
    for name, page in parsed.items():
        for line, tag, url in page.links:
            target, fragment, problem = _resolve(site, name, url, siteurl)
            if problem is None and target is not None and fragment and target.endswith(".html"):
                ids = parsed[target].ids if target in parsed else set()
                if fragment not in ids:
                    problem = f"points to `#{fragment}`, which is not on {'this page' if target == name else target}"
            if problem is None:
                continue
            what = f"the {'picture' if tag in ('img', 'source') else 'link'} `{url}` {problem}"
            # The page's own Markdown, if the link is typed there; else the built page.
            typed = _typed_in(texts, url, fragment)
            if typed:
                key = (typed, what)
                found.setdefault(key, [display(typed[0]), typed[1], what, _hint(problem, in_markdown=True), 0])
            else:
                # The same template line on every page: report it once.
                key = (line, problem, target)
                found.setdefault(key, [f"output/{name}", line, what, _hint(problem, in_markdown=False), 0])
            found[key][4] += 1
    errors = []
    for where, number, what, how, count in found.values():
        if count > 1:
            what += f" (and on {count - 1} more page{'s' if count > 2 else ''})"
        errors.append(EditorError(where, number, what, how))
    return errors


def _typed_in(texts: dict, url: str, fragment: str = ""):
    """(Markdown file, line) where this address is typed: [text](url), <url> or "url".

    Pelican rewrites {filename}page.md#part, so a bad #part is looked for on its own.
    """
    needles = [f"({url}", f'"{url}"', f"<{url}>"]
    if fragment:
        needles += [f"#{fragment})", f'#{fragment}"']
    for path, lines in texts.items():
        for number, line in enumerate(lines, start=1):
            if any(needle in line for needle in needles):
                return path, number
    return None


def _hint(problem: str, in_markdown: bool) -> str:
    if "http://" in problem:
        return "use the https:// address (every public site has one)"
    if problem == UNRESOLVED:
        return "check the file name after {filename}: it must name a file under content/, e.g. {filename}about-the-data.md"
    if problem.startswith("points to"):
        return "check the part after # against the headings or ids of the target page"
    if in_markdown:
        return "check the address; for a page of this site write [text]({filename}its-file.md)"
    return "check the template that makes this page (theme/templates/)"

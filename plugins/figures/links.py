"""Check every link and picture in a built site before it replaces the old one.

- A link inside the site must lead to a file that was built, and a `#part` of
  it to an element with that id.
- Nothing may load or link over plain `http://` (mixed content, and readers'
  privacy); `javascript:` and other odd schemes are refused too.
- Links to other sites are not fetched: the build must not depend on the network.

- Nothing that runs or loads from elsewhere reaches the site, whatever wrote it
  (a page, the data, a template, a static file): no `<script>` but JSON-LD data, no
  `on…=` handler, no `javascript:`/`data:` address, no meta refresh, no `<iframe>`,
  `<object>`, `<embed>` or `<base>`, no picture, stylesheet or icon from another
  origin (in HTML, SVG and CSS); and no `{{`/`}}` left as text (a reference lost).

Problems come back as editor lines, pointing at the file the editor wrote (the
Markdown line that holds the link, the template or data line) when it can be found,
else at the built page and its line.
"""

from __future__ import annotations

import os
import posixpath
import re
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
# A link found in a template or the settings' menus (checks.site_addresses says the same of the menus).
RENAMED_HOW = "correct or remove it here (a page it names may have been renamed or deleted)"

# Attributes holding an address; those that make the browser fetch it as the page loads.
URL_ATTRIBUTES = {
    "href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background", "ping", "cite", "codebase", "manifest", "longdesc", "lowsrc", "dynsrc",
    "imagesrcset",
}
FETCHED = {"src", "srcset", "poster", "data", "background", "ping", "codebase", "manifest", "lowsrc", "dynsrc", "imagesrcset"}
# <link rel=…> that fetch (or run) what they point to; canonical, alternate, license… only name it.
FETCHING_RELS = {"stylesheet", "icon", "apple-touch-icon", "mask-icon", "preload", "prefetch", "modulepreload", "prerender", "preconnect", "dns-prefetch", "manifest", "import"}
# Elements that run code or show another document.
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base", "fencedframe"}
BAD_SCHEMES = {"javascript", "vbscript", "data", "file", "blob"}
CSS_URL_RE = re.compile(r"""url\(\s*['"]?\s*([^'")\s]+)|@import\s+['"]([^'"]+)""", re.I)
LEFT_BRACES_RE = re.compile(r"\{\{|\}\}|[\uff5b\uff5d\ufe5b\ufe5c]")


def scheme_of(url: str) -> str:
    """The scheme a browser sees: spaces, tabs and control characters anywhere are ignored."""
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", re.sub(r"[\x00-\x20\x7f]", "", url))
    return match.group(1).lower() if match else ""


def _foreign(url: str, siteurl: str) -> bool:
    """Whether fetching `url` would ask another origin (a relative address never does)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    if not (scheme_of(cleaned) or cleaned.startswith(("//", "\\\\", "/\\", "\\/"))):
        return False
    base = urlsplit(siteurl) if siteurl else None
    parts = urlsplit(cleaned.replace("\\", "/"))
    return not (base and parts.scheme in ("", base.scheme) and parts.netloc == base.netloc)


class _Page(HTMLParser):
    def __init__(self, siteurl: str = ""):
        super().__init__(convert_charrefs=True)
        self.siteurl = siteurl
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str]] = []  # (line, tag, url)
        # (line, what is wrong, needles to find where it was written: most specific first)
        self.hazards: list[tuple[int, str, tuple[str, ...]]] = []
        self.raw_text = 0  # inside <script> or <style>: not reader-visible text

    def _hazard(self, what: str, *needles: str) -> None:
        self.hazards.append((self.getpos()[0], what, tuple(n for n in needles if n)))

    def _check_element(self, tag: str, attrs: list) -> None:
        raw = self.get_starttag_text() or f"<{tag}"
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and (values.get("type", "").strip().lower() != "application/ld+json" or "src" in values):
            self._hazard("a `<script>`: the site runs no script", raw, "<script")
        if tag in FORBIDDEN_TAGS:
            self._hazard(f"a `<{tag}>`, which {'changes where every link leads' if tag == 'base' else 'shows another document or runs code'}", raw, f"<{tag}")
        if tag == "meta" and values.get("http-equiv", "").strip().lower() in ("refresh", "set-cookie"):
            self._hazard(f"a `<meta http-equiv=\"{values['http-equiv']}\">`, which sends readers elsewhere or sets a cookie", raw, "http-equiv")
        if tag == "style":
            self.raw_text += 1
        rels = set(values.get("rel", "").lower().split())
        for name in ("alt", "title", "aria-label", "content", "placeholder"):
            found = LEFT_BRACES_RE.search(values.get(name, ""))
            if found and not (tag == "meta" and "http-equiv" in values):
                self._hazard(f"the {name} text `{values[name][:60]}` shows braces: a figure reference that was not replaced", values[name][:60], found.group(0))
        for name, value in values.items():
            if name.startswith("on"):
                self._hazard(f"an event handler `{name}=`: the site runs no script", f'{name}="{value}"', f"{name}=", raw)
            if name == "style" and CSS_URL_RE.search(value):
                self._hazard("a `style` that loads a file", value, raw)
            if name not in URL_ATTRIBUTES:
                continue
            urls = [part.split()[0] for part in value.split(",") if part.strip()] if "srcset" in name else [value]
            for url in urls:
                scheme = scheme_of(url)
                # What the link check below reports itself (http://, odd schemes, data:text/html), once.
                reported = scheme == "http" or (scheme in BAD_SCHEMES and (scheme != "data" or url.strip().lower().startswith("data:text/html")))
                if reported and name in LINK_ATTRIBUTES.get(tag, ()) and urlsplit(url.strip()).scheme.lower() == scheme:
                    continue
                if scheme in BAD_SCHEMES:
                    self._hazard(f"a `{scheme}:` address in `{name}=`", url, raw)
                elif _foreign(url, self.siteurl) and (
                    name in FETCHED
                    or (name in ("href", "xlink:href") and (tag in ("image", "use", "feimage", "script") or (tag == "link" and rels & FETCHING_RELS)))
                    or name in ("action", "formaction")
                ):
                    self._hazard(f"`{url}`, {'a picture or file' if name != 'action' else 'a form'} from another site: every reader's browser would contact it", url, raw)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.raw_text = max(0, self.raw_text - 1)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.raw_text = max(0, self.raw_text - 1)

    def handle_data(self, data):
        if self.raw_text:
            addresses = [m.group(1) or m.group(2) for m in CSS_URL_RE.finditer(data)]
            if any(_foreign(url, self.siteurl) or scheme_of(url) in BAD_SCHEMES for url in addresses):
                self._hazard("a `<style>` that loads a file from another site", data.strip()[:60])
            return
        found = LEFT_BRACES_RE.search(data)
        if found:
            line = next(text for text in data.splitlines() if LEFT_BRACES_RE.search(text)).strip()
            self._hazard(f"the text `{line[:60]}` shows braces: a figure reference that was not replaced", line[:60], found.group(0))

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        self._check_element(tag, attrs)
        if tag == "script":
            self.raw_text += 1
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            if name in LINK_ATTRIBUTES.get(tag, ()):
                urls = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value.strip()]
                self.links.extend((line, tag, url) for url in urls)


class _Site:
    """The built site's files and folders, listed once: a link's target is a set lookup, not two stat calls."""

    def __init__(self, root: Path):
        self.files: set[str] = set()
        self.folders: set[str] = {"."}
        stack = [""]
        while stack:
            folder = stack.pop()
            with os.scandir(root / folder if folder else root) as entries:
                for entry in entries:
                    name = f"{folder}/{entry.name}" if folder else entry.name
                    # is_dir()/is_file() follow links, as Path.is_dir()/is_file() do.
                    if entry.is_dir():
                        self.folders.add(name)
                        stack.append(name)
                    elif entry.is_file():
                        self.files.add(name)

    def is_dir(self, target: str) -> bool:
        return target in self.folders

    def is_file(self, target: str) -> bool:
        return target in self.files


def _resolve(site, page: str, url: str, siteurl: str) -> tuple[str | None, str, str | None]:
    """(file in the site or None if the link leaves it, fragment, problem); `site` is a `_Site`."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    base = urlsplit(siteurl) if siteurl else None
    if scheme == "http":
        return None, "", "uses an insecure http:// address"
    if scheme == "https" or (not scheme and parts.netloc):
        if not (base and parts.netloc == base.netloc and parts.path.startswith(base.path)):
            return None, "", None  # another site: not fetched
        path = "/" + parts.path[len(base.path):].lstrip("/")
    elif (scheme == "data" and not url.lower().startswith("data:text/html")) or scheme in SAFE_SCHEMES:
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
    if target == "." or path.endswith("/") or site.is_dir(target):
        target = posixpath.normpath(posixpath.join(target, "index.html"))
    if not site.is_file(target):
        return target, "", "leads to a page or file that does not exist"
    return target, unquote(parts.fragment), None


class _Parsed:
    """What a page's parse yields, small enough to keep between builds."""

    def __init__(self, ids, links, hazards=()):
        self.ids, self.links, self.hazards = ids, links, hazards


# Parses made in this build, by the SHA-1 of the page's bytes: `prime()` fills it
# while the charts are still drawing, `check()` then finds every page parsed. Parses of
# the last build's pages are added from its cache file on first use (`_load`).
_PARSED: dict = {}
_LOADED: set = set()


# Bumped whenever what a parse records changes, so no older cached parse is trusted.
PARSE_VERSION = "2"


def _key(raw: bytes, siteurl: str) -> str:
    import hashlib

    return f"{PARSE_VERSION}:{siteurl}:{hashlib.sha1(raw).hexdigest()}"


def parse_page(raw: bytes, siteurl: str = "") -> tuple:
    """(ids, links, hazards) of one page: what the check needs of it (also run in a drawing process)."""
    page = _Page(siteurl)
    page.feed(raw.decode("utf-8", errors="replace"))
    page.close()
    return page.ids, page.links, page.hazards


def _parse(raw: bytes, siteurl: str = "") -> tuple[str, tuple]:
    key = _key(raw, siteurl)
    if key not in _PARSED:
        _PARSED[key] = parse_page(raw, siteurl)
    return key, _PARSED[key]


def _load(cache_file: Path | None) -> None:
    """The last build's parses (by bytes), once per build: a page that did not change is not parsed again."""
    import pickle

    if cache_file is None or cache_file in _LOADED or not cache_file.exists():
        return
    _LOADED.add(cache_file)
    try:
        cached = pickle.loads(cache_file.read_bytes())
    except Exception:  # noqa: BLE001 — unpickling damaged bytes can raise almost anything
        cached = None
    if isinstance(cached, dict):  # else nothing is reused: every page is parsed, the cache written anew
        _PARSED.update({k: v for k, v in cached.items() if k not in _PARSED})


def prime(site: Path, siteurl: str = "", cache_file: Path | None = None, helper=None) -> None:
    """Parse the pages written so far, while the build would otherwise wait for its charts.

    `helper(fn, *args)` (the drawing processes' `pool.submit`, when they have nothing left
    to draw) parses every other new page in another process meanwhile.
    """
    _load(cache_file)
    todo = {}  # key -> bytes of each page not parsed yet
    for path in site.rglob("*.html"):
        raw = path.read_bytes()
        key = _key(raw, siteurl)
        if key not in _PARSED:
            todo[key] = raw
    pages = list(todo.items())
    handed = [(key, helper(parse_page, raw, siteurl)) for key, raw in pages[1::2]] if helper is not None and len(pages) >= 8 else []
    for key, raw in pages[::2] if handed else pages:
        _PARSED[key] = parse_page(raw, siteurl)
    for key, future in handed:
        try:
            _PARSED[key] = future.result().result()
        except Exception:  # noqa: BLE001 — a helper that failed (its process died): parsed here instead
            _PARSED[key] = parse_page(todo[key], siteurl)


def _parse_all(pages: dict, cache_file: Path | None, siteurl: str = "") -> dict:
    """Parse every page, reusing the result for any page whose bytes have not changed.

    A rebuild after one edit rewrites every page but changes few: parsing only
    those keeps the check to a few milliseconds.
    """
    import pickle

    _load(cache_file)
    parsed, fresh = {}, {}
    for name, path in pages.items():
        key, result = _parse(path.read_bytes(), siteurl)
        fresh[key] = result
        parsed[name] = _Parsed(*result)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        scratch = cache_file.with_suffix(".tmp")
        scratch.write_bytes(pickle.dumps(fresh))
        scratch.replace(cache_file)
    return parsed


def check(site: Path, siteurl: str = "", sources: list[Path] = (), display=str, cache_file: Path | None = None, origins: Origins | None = None, to_come=()) -> list[EditorError]:
    """Every broken internal link, insecure address or hazard (see above) in the pages and SVGs under `site`.

    `origins` (the build's) tells which file an editor wrote made each built file; `to_come`
    names files (relative to `site`) the build puts in place after the swap (charts.Drawing.finish).
    """
    origins = origins or Origins()
    pages = {str(p.relative_to(site).as_posix()): p for p in sorted([*site.rglob("*.html"), *site.rglob("*.svg")])}
    parsed = _parse_all(pages, cache_file, siteurl)
    texts = _Texts(sources)  # read only if a problem must be traced to the line that wrote it
    listing = _Site(site)
    listing.files |= set(to_come)
    resolved: dict = {}  # the same link from the same folder resolves the same way: every page's menu
    found: dict = {}  # one message per mistake, however many pages repeat it
    for name, page in parsed.items():
        for line, what, needles in page.hazards:
            where = _written_in(name, needles, texts, display, origins)
            key = (where or (name, line), what)
            how = "delete it: the site runs no script and loads nothing from another site (README, Security)"
            if "braces" in what:
                how = "write the reference as {{ figure_id }} in the file named here"
            if where is None:
                where = (f"output/{name}", line)
                how += "; it comes from the template, data or static file that makes this page"
            found.setdefault(key, [where[0], where[1], f"{what}", how, 0])
            found[key][4] += 1
    for name, page in parsed.items():
        for line, tag, url in page.links:
            # A link to the page itself ("#part", "") depends on the page, not only on its folder.
            key = (posixpath.dirname(name), url) if urlsplit(url).path else (name, url)
            if key not in resolved:
                resolved[key] = _resolve(listing, name, url, siteurl)
            target, fragment, problem = resolved[key]
            if problem is None and target is not None and fragment and target.endswith(".html"):
                ids = parsed[target].ids if target in parsed else set()
                if fragment not in ids:
                    problem = f"points to `#{fragment}`, which is not on {'this page' if target == name else target}"
            if problem is None:
                continue
            what = f"the {'picture' if tag in ('img', 'source') else 'link'} `{url}` {problem}"
            # The page's own Markdown, if the link is typed there; else the built page.
            typed = _typed_in(texts, url, fragment, origins.sources.get(name))
            if typed:
                key = (typed, what)
                found.setdefault(key, [display(typed[0]), typed[1], what, _hint(problem, in_markdown=True), 0])
            else:
                # The same template line on every page: report it once, at that line if found.
                bare = re.sub(r"^(?:\.\./|\./|/)+", "", url.removeprefix(siteurl))
                where = _written_in(name, (f'"{url}"', f'"{bare}"') if bare else (f'"{url}"',), {}, display, origins)
                how = _hint(problem, in_markdown=False) if where is None else RENAMED_HOW
                where = where or (f"output/{name}", line)
                key = (where if where[0] != f"output/{name}" else line, problem, target)
                found.setdefault(key, [where[0], where[1], what, how, 0])
            found[key][4] += 1
    errors = check_css(site, siteurl, display, origins)
    for where, number, what, how, count in found.values():
        if count > 1:
            what += f" (and on {count - 1} more page{'s' if count > 2 else ''})"
        errors.append(EditorError(where, number, what, how))
    return errors


class _Texts(dict):
    """{source file: its lines}, each file read the first time it is asked for."""

    def __init__(self, paths):
        super().__init__((path, None) for path in paths)

    def __getitem__(self, path):
        lines = super().__getitem__(path)
        if lines is None:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            self[path] = lines
        return lines

    def items(self):
        return ((path, self[path]) for path in list(self.keys()))


class Origins:
    """The files an editor writes, as one build sets them: {built file: its source}, and every
    other file to search (templates, data, static files) for what a page shows; their lines
    read once, for this build only."""

    def __init__(self, sources: dict[str, Path] | None = None, search_paths: list[Path] | None = None):
        self.sources = dict(sources or {})
        self.search_paths = list(search_paths or [])
        self.texts: dict[Path, list[str]] = {}


def _written_in(name: str, needles: tuple, texts: dict, display, origins: Origins):
    """(file as the editor sees it, line) holding the first needle found, the page's own source first."""
    own = origins.sources.get(name)
    candidates = ([own] if own else []) + [p for p in origins.search_paths if p != own] + [p for p in texts if p != own]
    for needle in needles:
        for path in candidates:
            if path not in origins.texts:
                try:
                    origins.texts[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    origins.texts[path] = []
            for number, text in enumerate(origins.texts[path], start=1):
                if needle in text:
                    return display(path), number
    return None


def check_css(site: Path, siteurl: str = "", display=str, origins: Origins | None = None) -> list[EditorError]:
    """Stylesheets load nothing from another site and no `javascript:`/`data:` address."""
    origins = origins or Origins()
    errors = []
    for path in sorted(site.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in CSS_URL_RE.finditer(text):
            url = match.group(1) or match.group(2)
            if _foreign(url, siteurl) or scheme_of(url) in BAD_SCHEMES:
                line = text.count("\n", 0, match.start()) + 1
                name = path.relative_to(site).as_posix()
                where = _written_in(name, (url,), {}, display, origins) or (f"output/{name}", line)
                errors.append(EditorError(
                    where[0], where[1],
                    f"the stylesheet loads `{url}`, from another site or an odd address",
                    "keep every file the stylesheet uses in theme/ and link it with a relative address",
                ))
    return errors


def _typed_in(texts: dict, url: str, fragment: str = "", own: Path | None = None):
    """(Markdown file, line) where this address is typed: [text](url), <url> or "url".

    The page's own source first (`own`), when the build said which it is.
    Pelican rewrites {filename}page.md#part, so a bad #part is looked for on its own.
    """
    needles = [f"({url}", f'"{url}"', f"<{url}>"]
    if fragment:
        needles += [f"#{fragment})", f'#{fragment}"']
    ordered = sorted(texts.items(), key=lambda item: item[0] != own)
    for path, lines in ordered:
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

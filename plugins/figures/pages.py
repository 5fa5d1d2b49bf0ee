"""Checks on each page in content/ as the editor wrote it, before Markdown reads it.

Run by every build (FiguresRun.start, at the start of each run) and by `make check`, so both give the
same line. Each problem is `content/pages/x.md:LINE: what — how`:

- the file must be UTF-8 (Pelican would only say it "could not be read");
- every metadata key must be one we know (a misspelt `Standfist:` would silently drop
  the standfirst); `Date:` a real date; `Template:` a template of the theme;
- no raw HTML in the text: pages are Markdown only, so no script, event handler,
  frame, style or meta refresh can reach the site from content/ (README, Security);
- no address with a `javascript:`, `data:` or other odd scheme, and no picture from
  another site (it would tell that site who reads the page).
"""

from __future__ import annotations

import datetime
import difflib
import html
import re
from pathlib import Path

from .errors import EditorError

# Every metadata key a page may carry: Pelican's that the site uses, and the theme's own.
KNOWN_METADATA = {
    "title": "the page's title",
    "slug": "its address: /slug/",
    "lang": "its language (es for a Spanish page)",
    "date": "an update's date, 2025-03-26",
    "modified": "when an update last changed, 2025-03-27",
    "status": "published, hidden or draft",
    "template": "which template of theme/templates/ shows it",
    "save_as": "the file it is written to (home.md only)",
    "url": "its address, when not /slug/ (home.md only)",
    "translation": "true for a translation",
    "summary": "a one-line summary",
    "description": "the search engine and social media description",
    "standfirst": "the introduction under the title",
    "cards": "the figures shown as cards",
}

# Python-Markdown's `meta` extension: `Key: value` lines at the top, indented lines continue.
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")
META_FENCE_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?$")

FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
CODE_SPAN_RE = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)")
# What a browser starts an element, a comment or a processing instruction with.
TAG_RE = re.compile(r"<(?:(?P<close>/)?(?P<name>[A-Za-z][^\s/>]*)|!|\?)")
# Markdown's own uses of <…>: autolinks <https://…> and e-mail addresses <a@b.org>.
AUTOLINK_RE = re.compile(r"<(?:(?:https?|ftp)://[^<>\s]*|(?:mailto:)?[^<>\s!]+@[^@<>\s]+)>", re.I)
# Link and picture addresses: [text](address), ![alt](address), [ref]: address.
INLINE_LINK_RE = re.compile(r"(?P<image>!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?(?P<url>(?:[^()\s>]|\([^()\s]*\))*)")
REF_DEFINITION_RE = re.compile(r"^[ ]{0,3}\[(?P<ref>[^\]]+)\]:\s*<?(?P<url>[^\s>]+)")
# ![alt][ref], ![ref][] and ![ref]: pictures whose address is a reference definition.
# Python-Markdown's attr_list (part of `extra`): `*Title*{: lang="en" }` marks a passage's language,
# the one attribute a page may set; anything else (a class, a style, a handler) is refused.
ATTR_LIST_RE = re.compile(r"\{:?\s*(?P<body>[^{}]*?)\s*\}")
ATTR_ALLOWED_RE = re.compile(r'^:?\s*lang=(?P<q>["\']?)[a-z]{2}(?:-[A-Z]{2})?(?P=q)$')
IMAGE_REF_RE = re.compile(r"!\[(?P<alt>[^\]]*)\](?:\[(?P<ref>[^\]]*)\])?")
SAFE_SCHEMES = {"https", "mailto", "tel"}
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def decode(raw: bytes, display: str) -> tuple[str | None, list[EditorError]]:
    """The page's text, or the line of its first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [EditorError(
            display, line,
            f"a character that is not UTF-8 (the byte 0x{raw[exc.start]:02X}); the page was saved in another encoding",
            "save the file as UTF-8 (in most editors: Save with encoding → UTF-8) and check the accented letters",
        )]


def metadata(lines: list[str]) -> tuple[dict[str, tuple[int, str]], int]:
    """{lowercased key: (line, value)} of the metadata block, and the first line of the text (1-based)."""
    found: dict[str, tuple[int, str]] = {}
    key = None
    start = 0
    if lines and META_FENCE_RE.match(lines[0]) and lines[0].startswith("---"):
        start = 1
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip() or (index > start and META_FENCE_RE.match(line)):
            return found, index + 2 if line.strip() else index + 1
        match = META_RE.match(line)
        if match:
            key = match.group("key").lower()
            found.setdefault(key, (index + 1, match.group("value").strip()))
        elif key is not None and META_MORE_RE.match(line):
            continue
        else:
            return found, index + 1
    return found, len(lines) + 1


def check_page(path: Path, display: str, templates: set[str]) -> list[EditorError]:
    """Every problem in one page file (see the module's docstring)."""
    text, errors = decode(path.read_bytes(), display)
    if text is None:
        return errors
    lines = text.splitlines()
    meta, body_start = metadata(lines)
    for key, (line, value) in meta.items():
        errors += _check_key(display, line, key, value, templates)
    if not meta.get("title", (0, ""))[1]:
        # Pelican would skip the page, saying only that it found no title.
        errors.append(EditorError(
            display, meta["title"][0] if "title" in meta else 1,
            "the page has no title, so it would not be published",
            "start the file with a `Title: …` line, then the other fields, a blank line and the text",
        ))
    # Reference ids that pictures use: their definitions are picture addresses.
    image_refs = {(m.group("ref") or m.group("alt")).strip().lower() for m in IMAGE_REF_RE.finditer(text)}
    for number, line in _body(lines, body_start):
        errors += _check_line(display, number, line, image_refs)
    return errors


def _body(lines: list[str], body_start: int):
    """(line number, line) of the page's text, code blocks left out (shown as typed, escaped)."""
    fenced = None
    for number in range(body_start, len(lines) + 1):
        line = lines[number - 1]
        fence = FENCE_RE.match(line)
        if fence and (fenced is None or fence.group(1)[0] == fenced[0] and len(fence.group(1)) >= len(fenced)):
            fenced = fence.group(1) if fenced is None else None
            continue
        if fenced is None:
            yield number, line


def _visible(line: str) -> str:
    """The line with `code` and autolinks blanked: neither is a tag or a Markdown link."""
    visible = CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)
    return AUTOLINK_RE.sub(lambda m: " " * len(m.group(0)), visible)


def links_in(text: str) -> list[tuple[int, str, bool]]:
    """(line, address, is a picture) of every Markdown link and picture in a page's text."""
    lines = text.splitlines()
    image_refs = {(m.group("ref") or m.group("alt")).strip().lower() for m in IMAGE_REF_RE.finditer(text)}
    found = []
    for number, line in _body(lines, metadata(lines)[1]):
        visible = _visible(line)
        for match in [*INLINE_LINK_RE.finditer(visible), *REF_DEFINITION_RE.finditer(visible)]:
            groups = match.groupdict()
            image = bool(groups.get("image")) or (groups.get("ref") or "").strip().lower() in image_refs
            found.append((number, match.group("url"), image))
    return found


def _check_key(display: str, line: int, key: str, value: str, templates: set[str]) -> list[EditorError]:
    if key not in KNOWN_METADATA:
        near = difflib.get_close_matches(key, KNOWN_METADATA, n=1, cutoff=0.6)
        shown = key.capitalize()
        how = f"did you mean `{near[0].capitalize()}:`? ({KNOWN_METADATA[near[0]]})" if near else "use one of: " + ", ".join(f"{k.capitalize()}:" for k in KNOWN_METADATA)
        return [EditorError(display, line, f"`{shown}:` is not a page field we know, so it would be ignored", how)]
    if key in ("date", "modified") and value:
        for form in DATE_FORMATS:
            try:
                datetime.datetime.strptime(value, form)
                return []
            except ValueError:
                continue
        return [EditorError(display, line, f"`{key.capitalize()}: {value}` is not a date", "write it as year-month-day, e.g. 2025-03-26 (a real day of that month)")]
    if key == "template" and value and value not in templates:
        return [EditorError(display, line, f"there is no template `{value}` in theme/templates/", "use one of: " + ", ".join(sorted(templates)))]
    return []


def _check_line(display: str, number: int, line: str, image_refs: set = frozenset()) -> list[EditorError]:
    errors = []
    # Inside `code` a tag is shown as typed (escaped), and so is an address.
    visible = _visible(line)
    for match in TAG_RE.finditer(visible):
        snippet = visible[match.start():].split(">", 1)[0][:40] + (">" if ">" in visible[match.start():] else "")
        name = (match.group("name") or "").lower()
        if match.group(0) == "<!":
            what = f"raw HTML `{snippet}` (a comment or declaration): pages are Markdown only, and a comment would be published in the page's source"
        else:
            what = f"raw HTML `{snippet}`: pages are Markdown only, so no HTML element or attribute is published"
        how = "write it in Markdown: **bold**, *italic*, [text](https://…) for a link, a blank line for a new paragraph; to show code, put it between backticks"
        if name in ("script", "iframe", "object", "embed", "meta", "style", "link", "base", "form", "svg"):
            how = "delete it: the site runs no script and loads nothing from elsewhere (README, Security)"
        errors.append(EditorError(display, number, what, how))
        break  # one message per line is enough to find it
    for match in ATTR_LIST_RE.finditer(visible):
        body = match.group("body")
        looks_like_attributes = match.group(0).startswith("{:") or "=" in body or body[:1] in (".", "#")
        if looks_like_attributes and not ATTR_ALLOWED_RE.match(match.group(0)[1:-1].strip()):
            errors.append(EditorError(
                display, number, f"the attribute list `{match.group(0)[:40]}` sets more than a language",
                'the only attribute a page may set is a passage\'s language, e.g. *Title*{: lang="en" }',
            ))
    for match in [*INLINE_LINK_RE.finditer(visible), *REF_DEFINITION_RE.finditer(visible)]:
        url = match.group("url")
        groups = match.groupdict()
        image = bool(groups.get("image")) or (groups.get("ref") or "").strip().lower() in image_refs
        problem = address_problem(url, image=image)
        if problem:
            errors.append(EditorError(display, number, f"the {'picture' if image else 'link'} `{url}` {problem[0]}", problem[1]))
    return errors


def scheme_of(url: str) -> str:
    """The scheme a browser would see: entities decoded, spaces, tabs and control characters ignored."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


def address_problem(url: str, image: bool = False) -> tuple[str, str] | None:
    """(what, how) if a page may not use this address; http:// is left to the link check, which says why."""
    scheme = scheme_of(url)
    if scheme in ("javascript", "vbscript", "data", "file", "blob"):
        return (f"uses a `{scheme}:` address, which can run code or hide content", "link to a page with its https:// address, or to a page of this site with {filename}its-file.md")
    if scheme and scheme not in SAFE_SCHEMES and scheme != "http":
        return (f"uses a `{scheme}:` address", "use an https:// address, or {filename}its-file.md for a page of this site")
    if image and (scheme or url.lstrip().startswith("//")):
        return (
            "comes from another site: every reader's browser would fetch it from there",
            "put the picture under content/static/ and write ![description]({static}/static/picture.png)",
        )
    return None


def check_pages(paths: list[Path], templates_dir: Path, display) -> list[EditorError]:
    """check_page for every page; `display` turns a path into what the editor sees."""
    templates = {p.stem for p in templates_dir.glob("*.html")}
    errors = []
    for path in paths:
        # An editor's lock or backup file, or anything but a regular file, is not a page
        # (what to do about those is the build's file handling, not this check).
        if path.name.startswith(".#") or path.name.endswith("~") or not path.is_file():
            continue
        errors += check_page(path, display(path), templates)
    return errors

"""Where the build writes each page and file, computed from the pages and the settings, without Pelican.

`make check` must find what only the build used to see (two pages written to one file, a link to a
page the build will not write) without importing Pelican, whose import alone costs ~0.35 s here
(`python -c "import pelican.utils"`). So this module follows Pelican 4.12's own rules
(pelican/contents.py, readers.py, generators.py, utils.slugify) for what the site uses, and
tests/test_checks.py holds every page's `save_as` and `url` against what Pelican computes in a real
build, and the files said to be written against a real build's output, so the two cannot drift apart.

- pages are the Markdown files under PAGE_PATHS, updates those under ARTICLE_PATHS (each without the
  other's folders), IGNORE_FILES and editors' own files left out;
- metadata: DEFAULT_METADATA, then EXTRA_PATH_METADATA, then FILENAME_/PATH_METADATA, then the file's
  own `Key: value` lines (the first of a repeated key, as Pelican keeps for the keys that matter here);
- `Lang:` or DEFAULT_LANG; `Slug:`, or the title (or file name, per SLUGIFY_SOURCE) slugified;
- `Save_as:` and `URL:` as written; else {PAGE,ARTICLE}_{,LANG_}{SAVE_AS,URL} formatted with the page's
  metadata, slug, lang, path and date. A `Status: draft` page is written only where the command line
  set DRAFT_*_SAVE_AS (a preview); `skip` or an unknown status, an update without a date: not at all.

Also here, for the build and the check alike: the files the build writes itself (`reserved_outputs`),
two things written to one file (`collisions`), and every file a build writes (`Written`), which links
are resolved against.
"""

from __future__ import annotations

import datetime
import fnmatch
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from . import pages as content_pages
from .errors import EditorError
from .files import is_editor_file

# Pelican 4.12's defaults for what this module reads (pelican.settings.DEFAULT_CONFIG; a test compares).
PELICAN_DEFAULTS = {
    "PAGE_PATHS": ["pages"], "ARTICLE_PATHS": [""], "PAGE_EXCLUDES": [], "ARTICLE_EXCLUDES": [],
    "STATIC_PATHS": ["images"], "STATIC_EXCLUDES": [], "STATIC_SAVE_AS": "{path}", "STATIC_URL": "{path}",
    "IGNORE_FILES": ["**/.*"],
    "PAGE_URL": "pages/{slug}.html", "PAGE_SAVE_AS": "pages/{slug}.html",
    "PAGE_LANG_URL": "pages/{slug}-{lang}.html", "PAGE_LANG_SAVE_AS": "pages/{slug}-{lang}.html",
    "ARTICLE_URL": "{slug}.html", "ARTICLE_SAVE_AS": "{slug}.html",
    "ARTICLE_LANG_URL": "{slug}-{lang}.html", "ARTICLE_LANG_SAVE_AS": "{slug}-{lang}.html",
    "DEFAULT_METADATA": {}, "EXTRA_PATH_METADATA": {},
    "FILENAME_METADATA": r"(?P<date>\d{4}-\d{2}-\d{2}).*", "PATH_METADATA": "",
    "SLUGIFY_SOURCE": "title", "SLUGIFY_USE_UNICODE": False, "SLUGIFY_PRESERVE_CASE": False,
    "SLUG_REGEX_SUBSTITUTIONS": [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")],
    "DEFAULT_LANG": "en",
}
# What Pelican's Markdown reader reads (MarkdownReader.file_extensions; a test compares).
MARKDOWN_EXTENSIONS = ("md", "markdown", "mkd", "mdown")
WRITTEN_STATUSES = ("published", "hidden")


def setting(settings: dict, key: str):
    return settings[key] if key in settings else PELICAN_DEFAULTS[key]


@dataclass
class Address:
    """Where one page or update is written: `save_as` None if it is not written at all (a draft, a
    page Pelican would skip) or written where this module cannot tell (a pattern using the author)."""

    source_path: str
    kind: str  # "page" or "article"
    lang: str
    slug: str
    status: str
    save_as: str | None
    url: str | None
    outside: str | None = None  # a save_as above the site's folder, which Pelican refuses to write


def outside(save_as: str) -> bool:
    """Whether a page written here would land outside the site (Pelican skips it: utils.sanitised_join)."""
    joined = posixpath.normpath(posixpath.join("/site", save_as))
    return not (joined == "/site" or joined.startswith("/site/"))


def slugify(value: str, settings: dict, substitutions_key: str = "SLUG_REGEX_SUBSTITUTIONS") -> str:
    """pelican.utils.slugify, with the settings' substitutions."""
    import unicodedata

    from markupsafe import Markup

    value = unicodedata.normalize("NFKC", Markup(value).striptags())
    if not setting(settings, "SLUGIFY_USE_UNICODE"):
        from unidecode import unidecode

        value = unidecode(value)
    for pattern, replacement in settings.get(substitutions_key, PELICAN_DEFAULTS["SLUG_REGEX_SUBSTITUTIONS"]):
        value = re.sub(unicodedata.normalize("NFKC", pattern), unicodedata.normalize("NFKC", replacement), value, flags=re.IGNORECASE)
    if not setting(settings, "SLUGIFY_PRESERVE_CASE"):
        value = value.lower()
    return value.strip()


def _walk(content: Path, folders, excludes, ignores, extensions) -> list[str]:
    """pelican.generators.Generator.get_files: paths relative to content/, as Pelican lists them."""
    excluded: dict[str, set] = {}
    for e in excludes:
        parent, sub = os.path.split(os.path.join(str(content), e))
        excluded.setdefault(parent, set()).add(sub)

    def included(name: str) -> bool:
        if any(fnmatch.fnmatch(name, ignore) for ignore in ignores) or is_editor_file(name):
            return False
        return extensions is None or os.path.splitext(name)[1][1:] in extensions

    found = set()
    for folder in folders:
        top = os.path.join(str(content), folder) if folder else str(content)
        if os.path.isdir(top):
            for dirpath, dirs, names in os.walk(top, topdown=True, followlinks=True):
                skip = excluded.get(dirpath, ())
                dirs[:] = [d for d in dirs if d not in skip and not any(fnmatch.fnmatch(d, i) for i in ignores)]
                rel = os.path.relpath(dirpath, str(content))
                found.update(os.path.normpath(os.path.join(rel, n)) for n in names if included(n))
        elif os.path.exists(top) and included(os.path.basename(top)):
            found.add(os.path.normpath(folder))
    return sorted(found)


def content_files(settings: dict) -> list[tuple[str, str]]:
    """(path relative to content/, "page" or "article") for every file Pelican reads as Markdown."""
    content = Path(settings["PATH"])
    ignores = setting(settings, "IGNORE_FILES")
    pages, articles = setting(settings, "PAGE_PATHS"), setting(settings, "ARTICLE_PATHS")
    # Pelican adds each kind's folders to the other's excludes (settings.configure_settings).
    page_ex = [*setting(settings, "PAGE_EXCLUDES"), *(p for p in articles if p not in setting(settings, "PAGE_EXCLUDES"))]
    article_ex = [*setting(settings, "ARTICLE_EXCLUDES"), *(p for p in pages if p not in setting(settings, "ARTICLE_EXCLUDES"))]
    found = [(p, "article") for p in _walk(content, articles, article_ex, ignores, MARKDOWN_EXTENSIONS)]
    seen = {p for p, _ in found}
    found += [(p, "page") for p in _walk(content, pages, page_ex, ignores, MARKDOWN_EXTENSIONS) if p not in seen]
    return found


def _path_metadata(rel: str, settings: dict) -> dict:
    """EXTRA_PATH_METADATA for the file and its folders, then FILENAME_METADATA and PATH_METADATA."""
    found = {}
    for path, meta in sorted(setting(settings, "EXTRA_PATH_METADATA").items()):
        if rel == path or rel.startswith(os.path.join(path, "").replace(os.sep, "/")):
            found.update(meta)
    base = os.path.splitext(os.path.basename(rel))[0]
    parsed: dict = {}
    for key, text in (("FILENAME_METADATA", base), ("PATH_METADATA", rel)):
        pattern = setting(settings, key)
        match = re.match(pattern, text) if pattern and text else None
        for k, v in (match.groupdict() if match else {}).items():
            if v is not None and k.lower() not in parsed:
                parsed[k.lower()] = v
    found.update(parsed)
    return found


def _date(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    for form in content_pages.DATE_FORMATS:
        try:
            return datetime.datetime.strptime(str(value).strip().replace("_", " "), form)
        except ValueError:
            continue
    return None


def address_of(rel: str, kind: str, settings: dict) -> Address:
    """Where Pelican writes content/<rel> (see the module's docstring)."""
    content = Path(settings["PATH"])
    source = content / rel
    meta = {k.lower(): v for k, v in setting(settings, "DEFAULT_METADATA").items()}
    meta.update(_path_metadata(rel.replace(os.sep, "/"), settings))
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None  # pages.py reports it; Pelican would not read it
    own, _ = content_pages.metadata(text.splitlines()) if text is not None else ({}, 0)
    meta.update({key: value for key, (_, value) in own.items()})
    default_lang = setting(settings, "DEFAULT_LANG").lower()
    lang = meta.get("lang") or default_lang
    status = (meta.get("status") or "").strip().lower() or "published"
    slug = (meta.get("slug") or "").strip()
    if not slug:
        source_text = meta.get("title") if setting(settings, "SLUGIFY_SOURCE") == "title" else os.path.splitext(os.path.basename(rel))[0]
        slug = slugify(source_text, settings) if source_text else ""
    date = _date(meta["date"]) if meta.get("date") else None
    found = Address(str(source), kind, lang, slug, status, None, None)
    if text is None or not meta.get("title") or (kind == "article" and date is None):
        return found  # Pelican skips it (no title, no date): nothing written
    klass = "PAGE" if kind == "page" else "ARTICLE"
    if status == "draft":
        klass = "DRAFT_PAGE" if kind == "page" else "DRAFT"
    elif status not in WRITTEN_STATUSES:
        return found
    fields = {**{k: v for k, v in meta.items() if isinstance(k, str)}, "path": rel.replace(os.sep, "/"), "slug": slug, "lang": lang}
    if date is not None:
        fields["date"] = date

    def expand(key: str) -> str | None:
        if key in meta:  # Save_as: / URL:, taken as written
            return meta[key]
        name = f"{klass}_{'' if lang == default_lang else 'LANG_'}{key.upper()}"
        pattern = settings.get(name, PELICAN_DEFAULTS.get(name, "") if not klass.startswith("DRAFT") else "")
        try:
            return str(pattern).format(**fields)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            return None  # a field this module does not know (author, category…): the build tells

    found.save_as, found.url = expand("save_as"), expand("url")
    if found.save_as == "":
        found.save_as = None
    elif found.save_as and outside(found.save_as):
        found.outside, found.save_as = found.save_as, None
    return found


def addresses(settings: dict) -> list[Address]:
    """Every page and update, where it is written."""
    return [address_of(rel, kind, settings) for rel, kind in content_files(settings)]


def static_files(settings: dict) -> dict[str, Path]:
    """{where each static file is written: its source} (STATIC_PATHS, as Pelican's StaticGenerator)."""
    content = Path(settings["PATH"])
    sources = {rel for rel, _ in content_files(settings)}
    found = {}
    for rel in _walk(content, setting(settings, "STATIC_PATHS"), setting(settings, "STATIC_EXCLUDES"), setting(settings, "IGNORE_FILES"), None):
        if rel in sources:
            continue  # STATIC_EXCLUDE_SOURCES: a page under a static folder is a page
        meta = _path_metadata(rel.replace(os.sep, "/"), settings)
        save_as = meta.get("save_as") or str(setting(settings, "STATIC_SAVE_AS")).format(path=rel.replace(os.sep, "/"))
        found[save_as.lstrip("/")] = content / rel
    return found


def reserved_outputs(settings: dict, prefixes) -> tuple[dict[str, str], tuple[str, ...]]:
    """Files the build writes besides pages ({path: what it is}), and the folders it fills;
    `prefixes` the editions' ("" for the default, "es/"…)."""
    files = {"_headers": "the security headers", "favicon.svg": "the icon"}
    for prefix in prefixes:
        files[f"{prefix}{settings.get('INDEX_SAVE_AS', 'index.html')}"] = "the updates index"
        if settings.get("FEED_ALL_ATOM"):
            files[f"{prefix}{settings['FEED_ALL_ATOM']}"] = "the updates feed"
    for name in settings.get("DIRECT_TEMPLATES", []):
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        if save_as:
            files.setdefault(save_as, f"the {name} page")
    folders = tuple(f"{prefix}{folder}/" for prefix in prefixes for folder in ("charts", "downloads", "embed")) + ("theme/",)
    return files, folders


def metadata_lines(source_path) -> dict[str, int]:
    """{lowercased key: its line} of a page's metadata."""
    try:
        text = Path(source_path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    found, _ = content_pages.metadata(text.splitlines())
    return {key: line for key, (line, _) in found.items()}


def collisions(items, written: dict[str, str], folders: tuple[str, ...], display) -> list[EditorError]:
    """Two things written to one file: the later silently replaces the other, a page is lost.

    `items` the pages and updates (anything with `source_path`, `save_as` and `url`: Pelican's own, or
    an Address), `written` the other files ({path: what or whose}: the build's own, static files),
    `folders` those the build fills. A page's `URL:` must also lead to the file it is written to.
    """
    pages: dict[str, list] = {}
    for item in items:
        if item.save_as:
            pages.setdefault(item.save_as.lstrip("/"), []).append(item)
    errors = []
    for save_as, group in sorted(pages.items()):
        folder = next((f for f in folders if save_as.startswith(f)), None)
        other = written.get(save_as) or (f"the build's {folder} folder" if folder else None)
        for item in group:
            source = display(item.source_path)
            meta = metadata_lines(item.source_path)
            line = next((meta[k] for k in ("save_as", "slug", "url") if k in meta), meta.get("title"))
            field = "Save_as" if "save_as" in meta else "Slug" if "slug" in meta else "Title"
            # Every page involved is named, each on its own line: the editor sees both.
            rivals = [other] if other else []
            rivals += [display(i.source_path) for i in group if i is not item]
            if rivals:
                errors.append(EditorError(
                    source, line,
                    f"this page would be written to `{save_as}`, as {' and '.join(rivals)} is: one of them would be lost",
                    f"give it its own `{field}:`" + (" (slugs must differ within a language)" if field == "Slug" else ""),
                ))
                continue
            url = item.url or ""
            leads_to = url.lstrip("/") + "index.html" if url == "" or url.endswith("/") else url.lstrip("/")
            if "url" in meta and leads_to != save_as:
                errors.append(EditorError(
                    source, meta["url"],
                    f"`URL: {url}` leads to `{leads_to}`, but the page is written to `{save_as}`",
                    "make `URL:` and `Save_as:` agree (e.g. URL: x/ with Save_as: x/index.html), or delete both",
                ))
    return errors


def refused(items, display) -> list[EditorError]:
    """A page Pelican would skip, saying only that it "would be written outside output path"."""
    errors = []
    for item in items:
        if item.outside:
            meta = metadata_lines(item.source_path)
            key = next((k for k in ("save_as", "slug", "url") if k in meta), "title")
            field = {"save_as": "Save_as", "slug": "Slug", "url": "URL"}.get(key, "Title")
            errors.append(EditorError(
                display(item.source_path), meta.get(key),
                f"this page would be written to `{item.outside}`, outside the site, so it would not be published",
                f"give it an address inside the site in `{field}:` (e.g. `Save_as: its-name/index.html`), or delete that line",
            ))
    return errors


class Written:
    """Every file a build writes, as links.py's resolver asks (is_file, is_dir), known without building:
    the pages and updates (with their citation files), static files, the build's own files, and
    each chart's page and embed page. The other files in the build's folders (drawings, whose names
    carry a hash of what they show, and downloads) are taken as written: the build's last check,
    over the built site, still resolves every link to them."""

    def __init__(self, files, folders: tuple[str, ...]):
        self.files = {f.lstrip("/") for f in files}
        self.reserved = tuple(folders)
        self.folders = {"."}
        for name in [*self.files, *(f.rstrip("/") + "/x" for f in folders)]:
            parts = name.split("/")[:-1]
            self.folders.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))

    def is_dir(self, target: str) -> bool:
        return target in self.folders

    def is_file(self, target: str) -> bool:
        if target in self.files:
            return True
        # Pages in the build's folders are the charts' own, listed; any other file there is the build's.
        return target.startswith(self.reserved) and not target.endswith(".html")


def written(settings: dict, prefixes, items, statics: dict, chart_ids) -> Written:
    """What a build with these settings writes (see Written); `items` the pages' Addresses."""
    from . import charts, citations

    files, folders = reserved_outputs(settings, prefixes)
    names = set(files) | set(statics)
    for item in items:
        if item.save_as:
            names.add(item.save_as)
            names.update(citations.beside(item.save_as, item.slug))
    for prefix in prefixes:
        for cid in chart_ids:
            names.update({charts.chart_page(cid, prefix) + "index.html", charts.embed_page(cid, prefix) + "index.html"})
    return Written(names, folders)


def search_paths(theme: Path, data_dir: Path, sources, root: Path) -> list[Path]:
    """The files an editor writes that a built page's text may come from, in the order the build's
    last check searches them (templates, the theme's files, data, pages, the settings' menus)."""
    return [
        *sorted((theme / "templates").rglob("*.html")), *sorted(p for p in (theme / "static").rglob("*") if p.is_file()),
        *sorted(data_dir.glob("*.yaml")), *sorted(set(sources)),
        *(p for p in (root / "pelicanconf.py", root / "publishconf.py") if p.is_file()),
    ]

"""Every check the build runs before Pelican reads a page, in one function that both `make check`
(cli.check, without Pelican or matplotlib) and each build (FiguresRun.start) call.

`run_all` loads and checks, in this order: the data (data/*.yaml), each other edition's
`data/<lang>.yaml` over it, the interface catalogue of each edition (the menus and texts the
templates show), the data texts of every edition (references, typed figures, house style), the
pages (encoding, metadata, dates, templates, raw HTML, addresses, references), typed figures and house style
in every text readers see, the corrections log against the pages, what the last check over the
built site would find in the theme and the pages' links, and where each page will be written
(two pages or files in one place, a link or menu entry leading to no file the build writes). The FIGURES setting is
checked before (config.check), since where the data is follows from it.

What it loaded comes back with the problems, so the build goes on with the very data checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import addresses, config, formatting, history, i18n, lint, translations
from . import data as site_data
from . import pages as content_pages
from .errors import EditorError, EditorErrors
from .files import pages as page_files


@dataclass
class Checked:
    """The problems found, and what was loaded on the way."""

    errors: list[EditorError] = field(default_factory=list)
    data: site_data.SiteData | None = None
    editions: dict[str, tuple[formatting.Edition, site_data.SiteData]] = field(default_factory=dict)  # lang -> (how it is written, its data)
    pages: list[Path] = field(default_factory=list)
    complete: bool = False  # every check ran (False: one stopped the rest, e.g. data that would not load)
    notices: list[str] = field(default_factory=list)  # for the editor, not problems (e.g. no git to compare values with)


def run_all(settings: dict, conf: config.Config, t: i18n.Translator, display, data_ready=None) -> Checked:
    """Every check before Pelican: `settings` as Pelican reads them (PATH, THEME, DEFAULT_LANG, the menus),
    `conf` the checked FIGURES setting, `t` the edition's translator, `display` a path as editors see it.
    `data_ready(found)`, if given, is called once the data, editions and page list are loaded and
    before the page and text checks (the build starts drawing charts then)."""
    found = Checked()
    content, theme = Path(settings["PATH"]), Path(settings["THEME"])
    default_lang = settings.get("DEFAULT_LANG", "en")
    languages = list(conf.languages)
    cache = conf.cache_path.parent
    try:
        found.data = site_data.load_cached(conf.data_path, cache, display_prefix=display(conf.data_path))
        found.editions[default_lang] = (formatting.edition(default_lang, "", t), found.data)
        # A published value changed since the last commit needs its history entry (history.py).
        changed, notice = history.check(conf.data_path, found.data, display(conf.data_path / history.FILE))
        found.errors.extend(changed)
        found.notices.extend([notice] if notice else [])
        menu = [title for title, _ in [*settings.get("MAIN_MENU", []), *settings.get("GUIDE_PAGES", [])]]
        menu += [settings["SITENAME"], settings.get("SITE_TAGLINE", "")]
        for lang in languages[1:]:
            path = conf.data_path / f"{lang}.yaml"
            localized = translations.load_localized(path, display(path), found.data, cache, display(conf.data_path))
            found.editions[lang] = (formatting.edition(lang, f"{lang}/", t), localized)
            for where, line, msgid in i18n.missing(theme, lang, menu, display, cache=cache, translator=t):
                found.errors.append(EditorError(
                    where, line, f"the text “{msgid}” has no translation in theme/translations/{lang}/LC_MESSAGES/messages.po", f'add msgid "{msgid}" with its msgstr'
                ))
        for _, edition_data in found.editions.values():
            found.errors.extend(lint.check_data_texts(edition_data))
        # An editor's lock or backup file (`.#home.md`) is not a page: files.py.
        found.pages = page_files(content)
        if data_ready is not None:
            data_ready(found)
        # Encoding, metadata keys, dates, templates, raw HTML, addresses: with the page's line.
        found.errors.extend(content_pages.check_pages(found.pages, theme / "templates", display))
        # What the build's Markdown extension would find while reading them: references to no figure, chart, term…
        found.errors.extend(page_references(found.pages, found.data, display))
        # Typed figures and house style in every text readers see; corrections name real pages.
        names = conf.root / "pelicanconf.py"  # the names and menus readers see; publishconf.py only changes addresses
        found.errors.extend(lint.check_site_texts(content, conf.data_path, theme, found.data, display, tuple(languages), default_lang, settings=names, cache=cache))
        # Where Pelican will write each page, computed without it (addresses.py), once for the checks below.
        plan = planned(settings, found, display)
        # A correction names a page by the slug Pelican gives it (its Slug:, or its title slugified).
        found.errors.extend(lint.check_corrections(found.data, {a.slug for a in plan.every}))
        # What the last check over the built site would find, found in the files that make it.
        found.errors.extend(theme_hazards(theme, display))
        found.errors.extend(insecure_links(found.pages, display))
        # Two things written to one file, and links (in pages and the menus) to a file the build will not write.
        found.errors.extend(site_addresses(settings, conf, found, plan, display))
    except EditorErrors as exc:
        found.errors.extend(exc.errors)
        return found
    found.complete = True
    return found


def page_references(pages: list[Path], data: site_data.SiteData, display) -> list[EditorError]:
    """`{{ … }}` in a page that names nothing in the data, at its line: what markdown_ext's _Validate
    reports while Pelican reads the page (every line, metadata too, as it sees them)."""
    from . import references

    errors = []
    for page in pages:
        for number, line in enumerate(page.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            for _, what, how in references.problems_in_text(line, data, allow_charts=True):
                errors.append(EditorError(display(page), number, what, how))
    return errors


HAZARD_HOW = "delete it: the site runs no script and loads nothing from another site (README, Security)"  # as links.check says


def theme_hazards(theme: Path, display) -> list[EditorError]:
    """A script, an event handler, a meta refresh or a file from another site in the templates, the
    theme's SVGs or its stylesheets: what links.check would find in every built page, at the same
    line of the same file (the theme's files searched in the order the build searches them)."""
    from . import links
    from .files import is_editor_file

    templates = sorted(p for p in (theme / "templates").rglob("*.html") if not is_editor_file(p.name))
    static = sorted(p for p in (theme / "static").rglob("*") if p.is_file() and not is_editor_file(p.name))
    origins = links.Origins({}, [*templates, *static])
    errors: dict[tuple, EditorError] = {}
    # The preview's own templates are never part of the site (devserver.py).
    for path in [p for p in templates if "_preview" not in p.parts] + [p for p in static if p.suffix == ".svg"]:
        page = links._Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        page.close()
        for line, what, needles in page.hazards:
            if "braces" in what:  # a template is made of {{ … }}; the built pages are checked for them
                continue
            where = links._written_in("", needles, {}, display, origins) or (display(path), line)
            errors.setdefault((where, what), EditorError(where[0], where[1], what, HAZARD_HOW))
    for path in (p for p in static if p.suffix == ".css"):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in links.CSS_URL_RE.finditer(text):
            url = match.group(1) or match.group(2)
            if links._foreign(url, "") or links.scheme_of(url) in links.BAD_SCHEMES:
                where = links._written_in("", (url,), {}, display, origins) or (display(path), text.count("\n", 0, match.start()) + 1)
                errors.setdefault((where, url), EditorError(
                    where[0], where[1], f"the stylesheet loads `{url}`, from another site or an odd address",
                    "keep every file the stylesheet uses in theme/ and link it with a relative address",
                ))
    return list(errors.values())


HTTP_LINK_RE = re.compile(r"\]\(\s*(http://[^)\s]+)|<(http://[^>\s]+)>|^\s{0,3}\[[^\]]+\]:\s*(http://\S+)", re.I)


def insecure_links(pages: list[Path], display) -> list[EditorError]:
    """An http:// link typed into a page, as the build's link check reports it."""
    from . import links

    errors = []
    for page in pages:
        for number, line in enumerate(page.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            for match in HTTP_LINK_RE.finditer(line):
                url = next(g for g in match.groups() if g)
                problem = "uses an insecure http:// address"
                errors.append(EditorError(display(page), number, f"the link `{url}` {problem}", links._hint(problem, in_markdown=True)))
    return errors


@dataclass
class Planned:
    """What a build with these settings will write, known before it runs (addresses.py)."""

    prefixes: list[str]  # each edition's folder ("" for the default)
    every: list[addresses.Address]  # every page and update, written or not
    others: dict[str, str]  # the other files, {path: what (the build's) or whose (a static file)}
    folders: tuple[str, ...]  # the folders the build fills itself
    site: addresses.Written  # every file, as links are resolved against it

    @property
    def items(self) -> list[addresses.Address]:
        """The pages and updates written."""
        return [a for a in self.every if a.save_as]

    @property
    def refused(self) -> list[addresses.Address]:
        """Pages Pelican would not write: their address is outside the site."""
        return [a for a in self.every if a.outside]


def planned(settings: dict, found: Checked, display=str) -> Planned:
    prefixes = [edition.prefix for edition, _ in found.editions.values()]
    every = addresses.addresses(settings)
    items = [a for a in every if a.save_as]
    statics = addresses.static_files(settings)
    reserved, folders = addresses.reserved_outputs(settings, prefixes)
    others = {**reserved, **{k: display(v) for k, v in statics.items() if k not in reserved}}
    chart_ids = sorted({cid for _, edition_data in found.editions.values() for cid in edition_data.charts})
    return Planned(prefixes, every, others, folders, addresses.written(settings, prefixes, items, statics, chart_ids))


def site_addresses(settings: dict, conf: config.Config, found: Checked, plan: Planned, display) -> list[EditorError]:
    """What the build finds once Pelican has placed the pages (pelican_plugin._collisions) and over
    the built links (links.check), found from the addresses Pelican will give them (addresses.py):
    the same lines, at the same places."""
    from . import links

    errors = addresses.refused(plan.refused, display) + addresses.collisions(plan.items, plan.others, plan.folders, display)
    site, items, prefixes = plan.site, plan.items, plan.prefixes
    siteurl = settings.get("SITEURL", "")
    # Only what the build's link check says of a link once Pelican wrote it; odd schemes, http://
    # and {filename} links are the pages' own checks (pages.py, insecure_links, cli.check).
    wanted = ("leads to a page or file that does not exist", "leads outside the site")
    seen: dict[tuple, EditorError] = {}
    for item in items:
        path = Path(item.source_path)
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, url, image in content_pages.links_in("\n".join(lines)):
            if url.startswith("{"):
                continue
            try:
                _, _, problem = links._resolve(site, item.save_as.lstrip("/"), url, siteurl)
            except ValueError:  # an address urllib cannot split ("//[x"): pages.py and the build say what
                continue
            if problem not in wanted:
                continue
            # The line the build names: the first in the page's file that holds the address.
            typed = links._typed_in({path: lines}, url, "", path)
            line = typed[1] if typed else number
            what = f"the {'picture' if image else 'link'} `{url}` {problem}"
            seen.setdefault((display(path), line, what), EditorError(display(path), line, what, links._hint(problem, in_markdown=True)))
    origins = links.Origins({}, addresses.search_paths(Path(settings["THEME"]), conf.data_path, found.pages, conf.root))
    for _, link in [*settings.get("MAIN_MENU", []), *settings.get("GUIDE_PAGES", [])]:
        for prefix in prefixes:
            # As the templates write each entry: the edition's folder, then the entry (base.html).
            url = f"/{prefix}{link}"
            _, _, problem = links._resolve(site, "index.html", url, siteurl)
            if problem not in wanted:
                continue
            bare = url.lstrip("/")
            where = links._written_in("", (f'"{url}"', f'"{bare}"', f'"{link}"', f"'{link}'"), {}, display, origins)
            where = where or (display(conf.root / "pelicanconf.py"), None)
            what = f"the link `{url}` {problem}"
            seen.setdefault((where, what), EditorError(where[0], where[1], what, links.RENAMED_HOW))
    return errors + list(seen.values())

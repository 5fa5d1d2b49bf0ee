"""Wires the figures modules to Pelican's signals.

Modules, one job each (see README.md in this folder). This file only wires
them to Pelican's signals, all registered in `register()` at the bottom.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pelican.readers import MarkdownReader
from pelican.utils import get_relative_path

from . import addresses, assets, charts, checks, citations, config, data, downloads, formatting, headers, i18n, links, references, rendercache
from .context import TemplateData
from .errors import EditorError, EditorErrors
from .markdown_ext import FiguresExtension


class Edition:
    """One language of the site: its data, and how it is written (formatting.Edition)."""

    def __init__(self, edition: formatting.Edition, data):
        self.edition, self.data = edition, data
        self.lang, self.locale, self.prefix = edition.lang, edition.locale, edition.prefix


@dataclass
class RunOptions:
    """What the command line tells one build. Not an editor's setting, so not in the settings."""

    drafts: bool = False  # a preview: drafts built at the address they will have, instead of left out
    settings_file: Path | None = None  # the settings file read, named in messages about FIGURES
    # The devserver: the charts' downloads and social cards, which no page shows, are drawn after
    # the new site is in place (charts.Drawing.finish), so the open page reloads sooner.
    draw_later: bool = False
    links_cache: Path | None = None  # the link check's parses of the last build's pages (links.py)


class FiguresRun:
    """Everything one build knows, made when Pelican starts a run and dropped when it ends.

    Pelican sends `initialized` once per Pelican object, but `pelican -r` calls run()
    again on the same object after each save: so a run starts at `get_generators`,
    the first signal of every run(), reading the data, the settings and the
    catalogues as they are then. Nothing of a build is kept in the settings (which
    reach every template) or in a module; templates get what they use from
    `template_context()`, explicitly.
    """

    def __init__(self, settings, options: RunOptions | None = None):
        self.settings = settings
        self.options = options or RunOptions()
        self.config = config.check(settings, self.options.settings_file)
        self.root = self.config.root
        self.data_dir = self.config.data_path
        self.style_dir = self.config.style_path
        self.cache_dir = self.config.cache_path
        self.default_lang = settings.get("DEFAULT_LANG", "en")
        self.languages = list(self.config.languages)
        self.errors: list[EditorError] = []
        self.data = None
        self.editions: dict[str, Edition] = {}
        self.specs = {}
        self.drawing = None
        self.t = i18n.Translator(Path(settings["THEME"]), self.default_lang)
        self.pages: list[Path] = []
        self.charts_used: dict[str, list[str]] = {}  # source path -> the charts its text shows, in order
        self.origins = links.Origins()  # which file an editor wrote made each built file
        self.previewed: list[tuple[str, str]] = []  # drafts in a preview: (source, address)
        self.dropped: list[str] = []  # drafts left out of the site: their source paths
        self.citable: list = []  # the pages and updates written, for their citation files (citations.py)
        self.ready = False  # everything loaded and checked well enough to render pages
        self._template_context: dict | None = None
        self._views: dict | None = None
        self._render_cache: rendercache.RenderCache | None = None

    def settings_default_chart(self) -> str:
        return next(iter(self.data.charts))

    def display(self, path) -> str:
        """A path as editors see it: relative to the project."""
        try:
            return os.path.relpath(path, self.root)
        except ValueError:
            return str(path)

    def prefixes(self) -> dict:
        """Each edition's folder in the site: "" for the default language, "es/"."""
        return {lang: e.prefix for lang, e in self.editions.items()}

    def lang_of(self, source_path) -> str:
        """content/pages/es/x.md is Spanish: a language's pages live in a folder named for it."""
        parts = Path(source_path).parts
        return next((lang for lang in self.languages[1:] if lang in parts), self.default_lang)

    def start(self) -> None:
        """Load and check everything the readers need (checks.py, as `make check` does); any problem stops the run at get_generators, before Pelican reads a page."""
        # Drawing starts as soon as the data load, so the drawing processes work while the
        # page and text checks run (~1 s on a big site).
        found = checks.run_all(self.settings, self.config, self.t, self.display, data_ready=self._start_drawing)
        self.errors.extend(found.errors)
        for notice in found.notices:
            print(notice)  # noqa: T201 — a notice for the editor, not a problem
        self.data, self.pages = found.data, found.pages
        self.ready = found.complete

    def _start_drawing(self, found) -> None:
        """Start drawing changed charts now, in other processes, while the checks and Pelican work."""
        self.data, self.pages = found.data, found.pages
        self.editions = {lang: Edition(edition, edition_data) for lang, (edition, edition_data) in found.editions.items()}
        self.specs = {
            (lang, cid): charts.resolve(c, e.data, e.edition) for lang, e in self.editions.items() for cid, c in e.data.charts.items()
        }
        # Each social card names the site and its short address (drawing.py draws it above the title).
        address = re.sub(r"^https?://", "", self.settings.get("SITE_ADDRESS", "")).rstrip("/")
        site_name = self.settings["SITENAME"]  # a setting's text, checked with the menus; not extracted
        for (lang, _), spec in self.specs.items():
            short = f"{address}/{self.editions[lang].prefix}".rstrip("/")
            spec["layouts"]["social"]["site_line"] = f"{self.t(lang, site_name)} · {short}" if address else self.t(lang, site_name)
        self.drawing = charts.Drawing(self.specs, self.cache_dir, self.style_dir, self._download_specs())
        # Social cards too: every chart's, the preview of its own page (charts/<id>/), which covers
        # every page's first chart.
        cards = set(self.specs)
        if self.options.draw_later:
            self.drawing.kept_for_later = {"social", "download"}
        self.drawing.request([*((key, "svg") for key in self.specs), *((key, "social") for key in sorted(cards)), *((key, "download") for key in self.specs)])

    def address(self) -> str:
        """The site's public address, which the stable downloads and the embed code carry."""
        return (self.settings.get("SITE_ADDRESS") or self.settings.get("SITEURL") or "").rstrip("/")

    def _download_specs(self) -> dict:
        """Each chart's stable download: title, caption, sources, and licence, publisher and the
        address of the chart's page, in its edition's language (charts.download_spec)."""
        publisher = self.settings.get("PUBLISHER") or self.settings.get("AUTHOR", "")  # a setting's text, checked with the menus
        found = {}
        for (lang, cid), spec in self.specs.items():
            edition = self.editions[lang]
            licence, who = self.t(lang, "License:"), self.t(lang, publisher)
            credit = f"{licence} CC BY 4.0 · {who} · {self.address()}/{charts.chart_page(cid, edition.prefix)}"
            found[(lang, cid)] = charts.download_spec(spec, charts.caption(edition.data.charts[cid], edition.data, edition.edition), credit)
        return found

    def template_context(self) -> dict:
        """What templates use besides Pelican's settings: the editions' data, prefixes, the stylesheet's name.

        Made once per run (every generator asks for it).
        """
        if self._template_context is None:
            found = {"FIGURES": self.config.as_dict(), "CSS_FILE": assets.css_name(Path(self.settings["THEME"]))}
            if self.ready:
                by_lang = self.views()
                found.update(FIGURES_BY_LANG=by_lang, FIGURES_DATA=by_lang[self.default_lang], LANG_PREFIX=self.prefixes())
            self._template_context = found
        return self._template_context

    def views(self) -> dict:
        """Each edition's data as templates and the Markdown extension show it, made once per run."""
        if self._views is None:
            templates = Path(self.settings["THEME"]) / "templates"
            jinja_cache = self.settings.get("JINJA_ENVIRONMENT", {}).get("bytecode_cache")
            self._views = {lang: TemplateData(e.data, self.style_dir, templates, e.edition, jinja_cache) for lang, e in self.editions.items()}
        return self._views

    def render_cache(self) -> rendercache.RenderCache | None:
        """Pages rendered by earlier builds (rendercache.py), made once the data is checked. Beside the
        drawings (`.cache/pages/`), as the checked data and text checks are: not among them, which are
        pruned by their own rule."""
        if self._render_cache is None and self.ready:
            self._render_cache = rendercache.RenderCache(
                self.cache_dir.parent / "pages", rendercache.run_inputs(self.settings, self.config), rendercache.data_inputs(self.config, self.specs)
            )
        return self._render_cache

    def page_extension(self, source_path) -> FiguresExtension | None:
        """A fresh Markdown extension for one page, in its edition's language (None if the data failed)."""
        if not self.ready:
            return None
        extension = FiguresExtension(self.views(), self.errors)
        extension.source_path = self.display(source_path)
        extension.set_language(self.lang_of(source_path))
        return extension


# The build under way in this process (Pelican's signals are process-wide too): made at
# get_generators, dropped at finalized. Handlers check that their settings are its.
_RUN: FiguresRun | None = None


def current(settings=None) -> FiguresRun:
    """The run these settings (a generator's, a reader's, a page's) belong to."""
    if _RUN is None or (settings is not None and _RUN.settings is not settings):
        raise RuntimeError("plugins.figures: no build of these settings is under way (a run starts at Pelican's get_generators signal)")
    return _RUN


CONTENT_LISTS = ("pages", "hidden_pages", "draft_pages", "articles", "translations", "hidden_translations", "drafts", "drafts_translations", "draft_translations")


def drop_drafts(generator) -> None:
    """Drafts never reach the built site; in a preview they are built at their future address.

    Once each generator has read its content, its drafts are dropped (the command line
    then refuses a link to one), or, in a preview, turned into hidden pages and updates:
    written at the address they will have, listed in no menu, index, feed or sitemap.
    They are still read, so a draft with a mistake stops the build too. (The command
    line also empties Pelican's DRAFT_*_SAVE_AS, or sets them to the published ones.)
    """
    state = current(generator.settings)
    # Pelican's lists of drafts, and where a hidden item of the same kind goes.
    pairs = (("drafts", "hidden_articles"), ("drafts_translations", "hidden_translations"), ("draft_pages", "hidden_pages"), ("draft_translations", "hidden_translations"))
    for drafts, hidden in pairs:
        found = getattr(generator, drafts, None)
        if not found:
            continue
        if state.options.drafts:
            for item in found:
                item.status = "hidden"  # its address becomes the published one
                state.previewed.append((state.display(item.source_path), "/" + item.url))
            getattr(generator, hidden).extend(found)
        else:
            state.dropped.extend(item.source_path for item in found)
        found.clear()  # in place: the template context holds the same list


def get_generators(pelican):
    """The first signal of every Pelican.run(): a new FiguresRun, and the generator that writes charts and downloads.

    The command line passes its RunOptions as `pelican.figures_options`; it finds the
    run afterwards as `pelican.figures_run`.
    """
    global _RUN
    _RUN = None  # a failed run before this one is not finalized: drop it now
    run = FiguresRun(pelican.settings, getattr(pelican, "figures_options", None))
    _RUN = pelican.figures_run = run
    run.start()
    if run.errors:
        # The checks before Pelican (checks.run_all) found problems: they are what `make check`
        # says, so stop before Pelican reads and renders every page only to stop later
        # (a second or more per failed save, and the preview's problem panel waited for it).
        raise EditorErrors(run.errors)
    return FiguresGenerator


def finalized(pelican):
    """The run is over: its state goes; the drawing processes stop (their drawings are written)."""
    global _RUN
    from . import pool

    pool.shut_down()
    cache = _RUN.render_cache() if _RUN is not None else None
    if cache is not None:
        if os.environ.get("FIGURES_DEBUG"):  # what the tests count: renders, not timings
            rendered = ", ".join(sorted(cache.rendered))
            print(f"Markdown rendered {len(cache.rendered)} of {len(cache.rendered) + len(cache.reused)} pages: {rendered or '-'}")  # noqa: T201
            print(f"Pages reused after a data edit, every answer the same: {len(cache.rechecked)}")  # noqa: T201
        # The project's own cache only: one FIGURES_CACHE_PATH names may be shared (as _prune_chart_cache).
        if _RUN.cache_dir.resolve() == (_RUN.root / ".cache" / "charts").resolve():
            cache.prune()
    _RUN = None


def generator_init(generator):
    """Templates get the run's data through the context; `{{ _("Skip to the content") }}` picks each page's catalogue."""
    state = current(generator.settings)
    # Every generator shares one context (Pelican's run() makes it from the settings).
    generator.context.update(state.template_context())
    if not hasattr(generator, "env"):
        return
    generator.env.filters["upper_first"] = formatting.upper_first
    generator.env.filters["long_date"] = lambda date, lang: formatting.date_text(date.strftime("%Y-%m-%d"), formatting.edition(lang, ""))
    if "jinja2.ext.InternationalizationExtension" not in {type(e).__module__ + "." + type(e).__name__ for e in generator.env.extensions.values()}:
        return
    from jinja2 import pass_context

    def lang_of(context) -> str:
        item = context.get("page") or context.get("article")
        return getattr(item, "lang", None) or context.get("lang") or state.default_lang

    @pass_context
    def gettext(context, message):
        return state.t(lang_of(context), message)

    @pass_context
    def ngettext(context, singular, plural, n):
        return state.t(lang_of(context), singular if n == 1 else plural)

    generator.env.install_gettext_callables(gettext, ngettext, newstyle=True)


class FiguresMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with a fresh figures extension for each page (its file, its language).

    Pelican's read(), with the page's extension added to the MARKDOWN setting's ones
    (the setting itself is left alone: it outlives the run).
    """

    def read(self, source_path):
        from markdown import Markdown
        from pelican.utils import pelican_open

        state = current(self.settings)
        self._source_path = source_path
        extension = state.page_extension(source_path)
        cache, key = state.render_cache(), None
        if extension is not None and cache is not None:
            # Unchanged page, data, code, templates and settings: the HTML and metadata as rendered then.
            with contextlib.suppress(OSError):  # unreadable: Pelican's own read below says so
                key = cache.key(extension.source_path, extension.lang, Path(source_path).read_bytes())
            entry = cache.get(key) if key else None
            if entry is not None and entry["data"] != cache.data:
                # Made with other data: the same page if the data answers every question as it did.
                if extension.ask.still(entry["asked"]):
                    cache.rechecked.append(extension.source_path)
                    cache.put(key, {**entry, "data": cache.data, "asked": extension.ask.asked})
                else:
                    entry = None
            if entry is not None:
                cache.reused.append(extension.source_path)
                state.charts_used[str(source_path)] = list(entry["charts_used"])
                if entry["meta"] is None:
                    return entry["content"], {}
                self._md = rendercache.Replay(entry)
                return entry["content"], self._parse_metadata(self._md.Meta)
        options = self.settings["MARKDOWN"]
        self._md = Markdown(**{**options, "extensions": [*options.get("extensions", []), *([extension] if extension else [])]})
        errors_before = len(state.errors)
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        if extension is None:
            return content, self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        charts_used = list(extension.charts_used)
        state.charts_used[str(source_path)] = charts_used
        meta = getattr(self._md, "Meta", None)
        meta = None if meta is None else {name: list(values) for name, values in meta.items()}  # before _parse_metadata runs Markdown again
        formatted = {}  # each FORMATTED_FIELDS text Pelican renders with this Markdown: kept with the page
        convert = self._md.convert

        def recording(text):
            formatted[text] = convert(text)
            return formatted[text]

        self._md.convert = recording
        metadata = self._parse_metadata(self._md.Meta) if meta is not None else {}
        if cache is not None:
            cache.rendered.append(extension.source_path)
            if key and len(state.errors) == errors_before:  # a page with a problem is never kept
                cache.put(key, {"content": content, "meta": meta, "formatted": formatted, "charts_used": charts_used, "data": cache.data, "asked": extension.ask.asked})
        return content, metadata


def readers_init(readers):
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = FiguresMarkdownReader


def content_object_init(content):
    """Resolve {root} links and plain-text references in metadata; check the page's language."""
    state = current(content.settings)
    if state.data is None or not content.source_path:
        return
    source = state.display(content.source_path)
    lang = state.lang_of(content.source_path)
    if lang not in state.editions:
        return  # its edition's data failed to load: that error is already reported
    edition = state.editions[lang]
    if getattr(content, "lang", lang) != lang:
        folder = "" if lang == state.default_lang else f"{lang}/ "
        state.errors.append(
            EditorError(
                source, None, f"the page says `Lang: {content.lang}` but sits in the {lang} pages", f"move it to the {content.lang}/ folder, or set `Lang: {lang}` {folder}".strip()
            )
        )
    content.charts_used = list(state.charts_used.get(str(content.source_path), []))
    for key, value in list(content.metadata.items()):
        # A bad reference is reported, with its line, by the Markdown extension (which reads
        # the metadata lines too): here, only render the good ones.
        if isinstance(value, str) and references.search(value) and not any(True for _ in references.problems_in_text(value, edition.data)):
            plain = references.render_plain(value, edition.data, edition.edition)
            content.metadata[key] = plain
            setattr(content, key, plain)
    cards = content.metadata.get("cards")
    if isinstance(cards, str):
        for fid in (c.strip() for c in cards.split(",")):
            if fid not in state.data.figures:
                state.errors.append(EditorError(source, None, f"in `cards:`, unknown figure `{fid}`", f"use ids from data/figures.yaml: {', '.join(state.data.figures)}"))
    if content._content and "{root}" in content._content:
        settings = content.settings
        root = get_relative_path(content.save_as) if settings["RELATIVE_URLS"] else settings["SITEURL"]
        content._content = content._content.replace("{root}/", (root.rstrip("/") or ".") + "/")


def all_generators_finalized(generators):
    """Stop between reading and writing, so no template meets a bad id.

    Otherwise, now that every page is read, ask for the social cards of the
    charts that are some page's card (its first chart, or the site default).
    """
    state = current(generators[0].settings)
    # checks.run_all computed the same addresses and stopped the run at get_generators if they
    # collided: this only finds what it could not compute (e.g. a pattern using the author).
    state.errors.extend(_collisions(generators, state))
    if state.errors:
        raise EditorErrors(state.errors)
    _tell_link_check_the_sources(generators, state)
    # Every page and update written (drafts in a preview too): each gets its citation files.
    found = {}
    for generator in generators:
        for name in CONTENT_LISTS + ("hidden_articles",):
            for item in getattr(generator, name, []):
                if getattr(item, "source_path", None) and item.save_as:
                    found.setdefault(item.save_as, item)
    state.citable = list(found.values())
    cards = {(lang, state.settings_default_chart()) for lang in state.editions}
    for generator in generators:
        items = [*getattr(generator, "pages", []), *getattr(generator, "articles", []), *getattr(generator, "hidden_pages", []), *getattr(generator, "translations", [])]
        for item in items:
            used = getattr(item, "charts_used", None)
            if used:
                cards.add((state.lang_of(item.source_path), used[0]))
    state.drawing.request((key, "social") for key in sorted(cards))


def _collisions(generators, state) -> list[EditorError]:
    """Two things written to one file, or a `URL:` leading elsewhere (addresses.collisions), as Pelican
    placed each page: the last line of defence behind the same check in checks.run_all, which
    computed the addresses itself."""
    settings = generators[0].settings
    reserved, folders = addresses.reserved_outputs(settings, list(state.prefixes().values()))
    written: dict[str, str] = dict(reserved)
    items = []
    for generator in generators:
        for name in CONTENT_LISTS:
            items += [i for i in getattr(generator, name, []) if getattr(i, "source_path", None)]
        for static in getattr(generator, "staticfiles", []):
            written.setdefault(static.save_as, state.display(static.source_path))
    return addresses.collisions(list({id(i): i for i in items}.values()), written, folders, state.display)


def _tell_link_check_the_sources(generators, state) -> None:
    """So that the last check over the built files names the file an editor wrote, not output/…"""
    settings = generators[0].settings
    sources = {}
    for generator in generators:
        for name in CONTENT_LISTS:
            for item in getattr(generator, name, []):
                if getattr(item, "source_path", None) and item.save_as:
                    sources[item.save_as.lstrip("/")] = Path(item.source_path)
        for static in getattr(generator, "staticfiles", []):
            sources[static.save_as.lstrip("/")] = Path(static.source_path)
    state.origins = links.Origins(sources, addresses.search_paths(Path(settings["THEME"]), state.data_dir, sources.values(), state.root))


class FiguresGenerator(Generator):
    """Writes charts, downloads and assets, and each other edition's updates index."""

    def generate_output(self, writer):
        state = current(self.settings)
        output = Path(self.output_path)
        settings = self.settings
        for lang, edition in state.editions.items():
            # Settings' texts in the edition's language (checked with the menus; not extracted here).
            name, tagline, publisher = settings["SITENAME"], settings.get("SITE_TAGLINE", ""), settings.get("PUBLISHER", settings.get("AUTHOR", ""))
            site = {
                "name": state.t(lang, name), "tagline": state.t(lang, tagline), "publisher": state.t(lang, publisher),
                "address": settings.get("SITE_ADDRESS", "").rstrip("/"), "email": settings.get("CORRECTIONS_EMAIL", ""),
            }
            downloads.write(edition.data, output, edition.edition, site)
        citations.write(state.citable, output, settings, state.views(), state.t)
        assets.write(Path(self.settings["THEME"]), output)
        headers.write(state.config, output, [charts.embed_page("*", e.prefix) for e in state.editions.values()])
        self._write_translated_indexes(writer, state)
        self._write_chart_pages(writer, state)
        # Last, so that everything above happens while the charts are still being
        # drawn; so does parsing the pages for the link check that follows the build.
        if state.drawing.pending:
            # The drawing processes, once done with the page variants (a figure edit's preview
            # draws little else first), parse half the pages.
            helper = charts.submit if state.drawing.idle() else None
            links.prime(output, self.settings.get("SITEURL", ""), state.options.links_cache, helper)
        charts.write(output, state.drawing, state.prefixes())

    def _write_chart_pages(self, writer, state):
        """Each chart's own page (charts/<id>/) and its embed page (embed/<id>/), in every edition."""
        chart_page, embed_page = self.get_template("chart"), self.get_template("embed")
        views = state.views()
        for lang, edition in state.editions.items():
            view = views[lang]
            for cid, chart in edition.data.charts.items():
                shown = view.chart_view(cid, "{root}")
                sources = [view.sources_by_id[sid] for sid in charts.chart_sources(chart, edition.data)]
                site_name = self.settings["SITENAME"]  # a setting's text, checked with the menus; not extracted
                back = state.t(lang, "The data and sources, on %(site)s", site=state.t(lang, site_name))
                # The embed's one line (its source_list label, the names, the link back), to size the frame.
                line = " ".join(["x" * 10, *(s["short"] + "," for s in sources), back])
                heights = charts.embed_heights(charts.resolve(chart, edition.data, edition.edition), line)
                page_url, embed_url = charts.chart_page(cid, edition.prefix), charts.embed_page(cid, edition.prefix)
                common = {"lang": lang, "chart_page": page_url, "chart_sources": sources, "chart_id": cid}
                on_page = {"embed_url": f"{state.address()}/{embed_url}", "embed_heights": heights, "EMBED_MAX_WIDTH": charts.EMBED_MAX_WIDTH,
                           "NARROWEST_COLUMN": charts.NARROWEST_COLUMN, "BREAKPOINT": charts.BREAKPOINT_PX}
                for template, url, extra in ((chart_page, page_url, on_page), (embed_page, embed_url, {})):
                    writer.write_file(f"{url}index.html", template, self.context, relative_urls=self.settings["RELATIVE_URLS"],
                                      chart=_rooted(shown, self.settings, f"{url}index.html"), page_name=f"{url}index", **common, **extra)

    def _write_translated_indexes(self, writer, state):
        """Pelican writes the updates index in the default language only: write the others."""
        articles = self.context.get("articles", [])
        template = self.get_template("index")
        for lang, edition in state.editions.items():
            if lang == state.default_lang:
                continue
            translated = [t for a in articles for t in a.translations if t.lang == lang]
            writer.write_file(
                f"{edition.prefix}{self.settings['INDEX_SAVE_AS']}",
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                articles=translated,
                dates=translated,
                lang=lang,
                page_name=f"{edition.prefix}updates/index",
            )
            # Pelican's TRANSLATION_FEED_ATOM would also write a copy of the default feed.
            feed = f"{edition.prefix}{self.settings['FEED_ALL_ATOM']}"
            site_name = self.settings["SITENAME"]  # a setting's text, checked with the menus; not extracted
            writer.write_feed(translated, self.context, feed, feed_title=state.t(lang, site_name))


def _rooted(view: dict, settings, save_as: str):
    """A chart view (addresses starting "{root}") with the page's root: relative or SITEURL."""
    root = get_relative_path(save_as) if settings["RELATIVE_URLS"] else settings["SITEURL"]
    root = root.rstrip("/") or "."

    def fix(value):
        if isinstance(value, str):
            return value.replace("{root}", root)
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        return value

    return fix(view)


def feed_generated(context, feed):
    """Each edition's feed: its own entries and corrections, absolute links, a title in its language.

    Pelican's all-articles feed also lists every translation, links entries to
    SITEURL (empty in a local build) and prefixes the Spanish title with the
    English site name. Dates come from the entries, never from the build clock.
    """
    state = _RUN
    if state is None or state.data is None or not state.editions:
        return
    address = (context.get("SITE_ADDRESS") or context.get("FEED_DOMAIN") or "").rstrip("/")
    lang = _feed_language(state, feed, address, context)
    edition = state.editions[lang]
    feed.items = [item for item in feed.items if _item_language(state, item["link"], address) == lang]
    for item in feed.items:
        # The publisher's name in the edition's language ("Mesa de Cifras"), from the catalogue.
        author = item.get("author_name")  # a setting's text, not extracted
        if author:
            item["author_name"] = state.t(lang, author)
        link = _absolute(address, item["link"])
        item["link"] = link
        item["unique_id"] = _tag_uri(link, item["pubdate"])
        for key in ("description", "content"):
            if item.get(key):
                item[key] = _absolute_html(item[key], link)
    _add_corrections(feed, context, state, lang, address)
    feed.items.sort(key=lambda item: (item["updateddate"] or item["pubdate"], item["unique_id"]), reverse=True)
    # t() outside f-strings: Python 3.11's tokenizer hides calls inside them from Babel's extractor.
    site_name, updates = context["SITENAME"], state.t(lang, "Updates")
    feed.feed["title"] = f"{state.t(lang, site_name)} · {updates}"
    feed.feed["link"] = f"{address}/{edition.prefix}"
    feed.feed["id"] = f"{address}/{edition.prefix}{context.get('INDEX_URL', '')}"
    feed.feed["language"] = lang
    if not feed.items:
        # An empty feed would be stamped with the time of the build: use the newest source's date.
        dates = [data.parse_date(s["date"]) for s in state.data.sources.values()]
        newest = max((d for d in dates if d), default=None)
        if newest is not None:
            stamp = datetime.datetime(newest.year, newest.month, newest.day, tzinfo=datetime.UTC)
            feed.latest_post_date = lambda: stamp


def _feed_language(state, feed, address: str, context) -> str:
    """The edition whose feed this is, from the feed's own address (es/updates/feed.atom)."""
    url = feed.feed.get("feed_url") or ""
    path = url[len(address):].lstrip("/") if address and url.startswith(address) else url.lstrip("/")
    for lang, edition in state.editions.items():
        if edition.prefix and path.startswith(edition.prefix):
            return lang
    return state.default_lang


def _item_language(state, link: str, address: str) -> str:
    path = link[len(address):] if address and link.startswith(address) else link
    path = re.sub(r"^(?:[a-z]+://[^/]+)?/*", "", path)
    for lang, edition in state.editions.items():
        if edition.prefix and path.startswith(edition.prefix):
            return lang
    return state.default_lang


def _absolute(address: str, link: str) -> str:
    from urllib.parse import urljoin

    if re.match(r"^[a-z][a-z0-9+.-]*:", link):
        return link
    return urljoin(address + "/", link.lstrip("./").lstrip("/") if not link.startswith("#") else link)


def _absolute_html(html: str, base: str) -> str:
    """Every href/src in an entry made absolute against the entry's address (feed readers have no base)."""
    from urllib.parse import urljoin

    def fix(match):
        value = match.group(3)
        if re.match(r"^[a-z][a-z0-9+.-]*:", value):
            return match.group(0)
        return f"{match.group(1)}={match.group(2)}{urljoin(base, value)}{match.group(2)}"

    return re.sub(r"""\b(href|src)=(["'])([^"']*)\2""", fix, html)


def _tag_uri(link: str, date) -> str:
    """A stable id from the public address and the entry's own date (as Pelican's, with a host)."""
    from feedgenerator import get_tag_uri

    return get_tag_uri(link, date)


def _add_corrections(feed, context, state, lang: str, address: str) -> None:
    """One entry per correction in data/corrections.yaml, dated by the entry, linked to the log."""
    from html import escape
    from zoneinfo import ZoneInfo

    view = (context.get("FIGURES_BY_LANG") or {}).get(lang)
    if view is None:
        return
    edition = state.editions[lang]
    zone = ZoneInfo(context.get("TIMEZONE") or "UTC")
    log = f"{address}/{edition.prefix}{context.get('INDEX_URL', '')}"
    pages = {p.slug: p for p in context.get("pages", [])}
    publisher = context.get("AUTHOR", "")  # a setting's text, not extracted
    for correction in view.corrections:
        day = data.parse_date(correction["date"])
        stamp = datetime.datetime(day.year, day.month, day.day, tzinfo=zone)
        kind = state.t(lang, "Correction") if correction["kind"] == "correction" else state.t(lang, "Clarification")
        links = []
        for slug in correction["pages"]:
            page = pages.get(slug)
            if page is None:
                continue
            if lang != state.default_lang:
                page = next((t for t in page.translations if t.lang == lang), page)
            links.append(f'<a href="{escape(_absolute(address, page.url or ""))}">{escape(page.title)}</a>')
        body = f"<p>{escape(correction['text'])}</p>"
        if links:
            changed = state.t(lang, "Pages changed:")
            body += f"<p>{escape(changed)} {', '.join(links)}.</p>"
        feed.add_item(
            title=f"{kind}: {correction['date_text']}",
            link=f"{log}#correction-{correction['id']}",
            unique_id=f"tag:{_host(address)},{correction['date']}:/{edition.prefix}corrections/{correction['id']}",
            description=correction["text"],
            content=body,
            author_name=state.t(lang, publisher),
            pubdate=stamp,
            updateddate=stamp,
        )


def _host(address: str) -> str:
    from urllib.parse import urlparse

    return urlparse(address).hostname or "localhost"


def register():
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(generator_init)
    signals.readers_init.connect(readers_init)
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.feed_generated.connect(feed_generated)
    signals.article_generator_finalized.connect(drop_drafts)
    signals.page_generator_finalized.connect(drop_drafts)
    signals.finalized.connect(finalized)

"""Python-Markdown extension: {{ figure_id }} and {{ chart:id }} in pages.

- A preprocessor, run before Pelican's metadata is stripped (so line numbers
  are the file's own), records every unknown reference with its line.
- ``{{ chart:id }}`` on a line of its own becomes the chart's <figure>.
- An inline pattern turns ``{{ failed_to_appear }}`` into
  ``<a class="figure-ref" href="#note-failed_to_appear"><data value="32000">more than 32,000</data></a>``.
- A tree processor appends the page's source notes, each linking back.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import charts, formatting, references
from .errors import EditorError

# Markdown's own syntax must not eat the braces first: run before everything
# inline (backticks are 190), and before `meta` (27) among preprocessors.
INLINE_PRIORITY = 200
PRE_PRIORITY = 28


class _Validate(Preprocessor):
    def __init__(self, md, ext):
        super().__init__(md)
        self.ext = ext

    def run(self, lines):
        out = []
        for number, line in enumerate(lines, start=1):
            for _offset, what, how in references.problems_in_text(line, self.ext.data, allow_charts=True):
                self.ext.errors.append(EditorError(self.ext.source_path, number, what, how))
            stripped = line.strip()
            match = references.REFERENCE_RE.fullmatch(stripped)
            if match and match.group("kind") == "chart" and match.group("id") in self.ext.data.charts and _texts_ok(self.ext.data.charts[match.group("id")], self.ext.data):
                chart = self.ext.data.charts[match.group("id")]
                self.ext.charts_used.append(chart["id"])
                html = charts.html(chart, self.ext.data, self.ext.style_dir, lang=self.ext.lang, prefix=self.ext.prefix, locale=self.ext.locale, t=self.ext.t)
                out.extend(["", self.md.htmlStash.store(html), ""])
            else:
                out.append(line)
        return out


def _texts_ok(chart, data) -> bool:
    """A chart whose title, caption or alt text has a bad reference is not drawn: lint.py reports it."""
    from .lint import CHART_TEXT_FIELDS

    return not any(any(True for _ in references.problems_in_text(chart[key], data)) for key in CHART_TEXT_FIELDS)


class _FigureReference(InlineProcessor):
    def __init__(self, pattern, md, ext):
        super().__init__(pattern, md)
        self.ext = ext

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        site = self.ext.data
        if m.group("bad") is not None or m.group("kind") == "chart" or references.problem(m, site, allow_charts=True):
            # Reported by _Validate with its line (near misses too), or Pelican's {filename}.
            return None, None, None
        ref_id, attr = m.group("id"), m.group("attr") or ""
        shown_id = ref_id
        ref_id = ref_id[:1].lower() + ref_id[1:]  # {{ Failed_to_appear }} starts a sentence
        text = references.plain(shown_id, attr, site, self.ext.locale, m.group("kind"))
        if m.group("kind") == "term":
            link = etree.Element("a", {"class": "term", "href": f"{{root}}/{self.ext.prefix}glossary/#term-{ref_id}"})
            link.text = text
            return link, m.start(0), m.end(0)
        if m.group("kind") == "claim" or attr.lower() not in ("", "number", "words", "percent"):
            # A claim's number is someone's words, not a figure with a source note: plain text.
            return text, m.start(0), m.end(0)
        used = self.ext.used
        count = used.count(ref_id)
        used.append(ref_id)
        link = etree.Element("a", {"class": "figure-ref", "href": f"#note-{ref_id}"})
        if count == 0:
            link.set("id", f"ref-{ref_id}")
        if ref_id in site.figures:
            value = str(site.figures[ref_id]["value"])
        else:
            derived = site.derived[ref_id]
            value = formatting.derived_value(derived, site.figures)
            value = str(round(value)) if derived["show_as"] == "count" else format(value, ".4f")
        element = etree.SubElement(link, "data", {"value": value})
        element.text = text
        return link, m.start(0), m.end(0)


class _SourceNotes(Treeprocessor):
    def __init__(self, md, ext):
        super().__init__(md)
        self.ext = ext

    def run(self, root):
        if not self.ext.used:
            return
        site = self.ext.data
        section = etree.SubElement(root, "section", {"class": "source-notes", "aria-labelledby": "source-notes-title"})
        heading = etree.SubElement(section, "h2", {"id": "source-notes-title"})
        heading.text = self.ext.t(self.ext.lang, "Sources for the figures on this page")
        listing = etree.SubElement(section, "ol")
        for ref_id in dict.fromkeys(self.ext.used):
            item = etree.SubElement(listing, "li", {"id": f"note-{ref_id}"})
            note_html(item, ref_id, site, self.ext.locale, self.ext.lang, self.ext.t)
            back = etree.SubElement(item, "a", {"href": f"#ref-{ref_id}", "class": "back-link"})
            back.text = self.ext.t(self.ext.lang, "Back to the text (%(label)s)", label=site.lookup(ref_id)["label"])


def note_html(item, ref_id: str, site, locale: str, lang: str = "en", t=charts._untranslated) -> None:
    """Fill a list item with a figure's source note."""
    if ref_id in site.derived:
        derived = site.derived[ref_id]
        strong = etree.SubElement(item, "strong")
        strong.text = derived["label"]
        inputs = [site.figures[i]["label"] for i in dict.fromkeys(_inputs(derived["formula"]))]
        shown = references.plain(ref_id, "", site, locale)
        if derived["show_as"] == "ratio":
            shown += f" ({references.plain(ref_id, 'percent', site, locale)})"
        computed = t(lang, "computed from %(count)s figures:", count=len(inputs))
        strong.tail = f": {shown}, {computed} {'; '.join(inputs)}. {references.squash(derived['caveat'])} "
        return
    figure = site.figures[ref_id]
    strong = etree.SubElement(item, "strong")
    strong.text = figure["label"]
    label = t(lang, "Sources:") if len(figure["sources"]) > 1 else t(lang, "Source:")
    strong.tail = f": {formatting.with_qualifier(figure, locale)} {figure['unit']}, {formatting.period(figure, locale)}. {label} "
    last = None
    for i, sid in enumerate(figure["sources"]):
        source = site.sources[sid]
        # The source's own (English) name: tagged in other editions.
        english = {"lang": charts.SOURCE_LANG} if lang != charts.SOURCE_LANG else {}
        if source.get("url"):
            last = etree.SubElement(item, "a", {"href": source["url"], **english})
            last.text = source["short"]
            last.tail = ""
        elif english:
            last = etree.SubElement(item, "span", english)
            last.text = source["short"]
            last.tail = ""
        else:
            text = source["short"]
            if last is None:
                strong.tail += text
            else:
                last.tail += text
        sep = ", " if i < len(figure["sources"]) - 1 else ". "
        if last is None:
            strong.tail += sep
        else:
            last.tail += sep
    if figure.get("quote"):
        # Quotes keep the source's words, in English.
        quote = etree.SubElement(item, "q", {"lang": charts.SOURCE_LANG} if lang != charts.SOURCE_LANG else {})
        quote.text = references.squash(figure["quote"])
        quote.tail = " "
    verification = figure.get("verification")
    if verification and verification["verdict"] != "matches":
        check = etree.SubElement(item, "span", {"class": f"fact-check fact-check-{verification['verdict']}"})
        verdict = t(lang, "Fact check:") if verification["verdict"] == "differs" else t(lang, "Not verified:")
        check.text = verdict + " " + references.squash(verification["note"])
        check.tail = " "


def _inputs(formula):
    from .data import formula_inputs

    return formula_inputs(formula) or []


class FiguresExtension(Extension):
    """Configured once per build with the loaded data; state reset per page."""

    def __init__(self, data, style_dir: Path, errors: list, locale: str = formatting.LOCALE, editions: dict | None = None, t=charts._untranslated):
        super().__init__()
        self.style_dir = style_dir
        self.errors = errors
        self.t = t
        # lang -> (site data in that language, Babel locale, URL prefix)
        self.editions = editions or {"en": (data, locale, "")}
        self.default_lang = next(iter(self.editions))
        self.set_language(self.default_lang)
        self.source_path = "(text)"
        self.reset()

    def set_language(self, lang: str) -> None:
        """Render the next page in this edition's language, with its data and number formats."""
        self.lang = lang
        self.data, self.locale, self.prefix = self.editions[lang]

    def reset(self):
        self.used: list[str] = []
        self.charts_used: list[str] = []

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        self.reset()
        md.preprocessors.register(_Validate(md, self), "figures_validate", PRE_PRIORITY)
        md.inlinePatterns.register(_FigureReference(references.REFERENCE_RE.pattern, md, self), "figures_ref", INLINE_PRIORITY)
        md.treeprocessors.register(_SourceNotes(md, self), "figures_notes", 5)

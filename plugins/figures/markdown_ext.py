"""Python-Markdown extension: {{ figure_id }} and {{ chart:id }} in pages.

- A preprocessor, run before Pelican's metadata is stripped (so line numbers
  are the file's own), records every unknown reference with its line.
- ``{{ chart:id }}`` on a line of its own becomes the chart's <figure>.
- An inline pattern turns ``{{ failed_to_appear }}`` into
  ``<a class="figure-ref" href="#note-failed_to_appear"><data value="32000">more than 32,000</data></a>``.
- A tree processor appends the page's source notes, each linking back.

The chart and the notes are the theme's macros (theme/templates/macros.html),
rendered through context.TemplateData, so their HTML is written in one place.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import formatting, references
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
                self.ext.charts_used.append(match.group("id"))
                html = self.ext.view.chart(match.group("id"), "{root}")
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
        text = references.plain(shown_id, attr, site, self.ext.view.edition, m.group("kind"))
        if m.group("kind") == "term":
            link = etree.Element("a", {"class": "term", "href": f"{{root}}/{self.ext.view.prefix}glossary/#term-{ref_id}"})
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
            value = format(formatting.derived_number(derived, site.figures), ".4f" if derived["show_as"] == "ratio" else "d")
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
        # A paragraph holding only the stashed HTML is replaced by it, as a block.
        holder = etree.SubElement(root, "p")
        holder.text = self.md.htmlStash.store(self.ext.view.source_notes(dict.fromkeys(self.ext.used)))


class FiguresExtension(Extension):
    """Configured once per build with each edition's data (context.TemplateData); state reset per page."""

    def __init__(self, views: dict, errors: list):
        super().__init__()
        self.errors = errors
        # lang -> the edition's data and formats, the first the default language
        self.views = views
        self.default_lang = next(iter(views))
        self.set_language(self.default_lang)
        self.source_path = "(text)"
        self.reset()

    def set_language(self, lang: str) -> None:
        """Render the next page in this edition's language, with its data and number formats."""
        self.lang = lang
        self.view = self.views[lang]
        self.data = self.view.data

    def reset(self):
        self.used: list[str] = []
        self.charts_used: list[str] = []

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        self.reset()
        md.preprocessors.register(_Validate(md, self), "figures_validate", PRE_PRIORITY)
        md.inlinePatterns.register(_FigureReference(references.REFERENCE_RE.pattern, md, self), "figures_ref", INLINE_PRIORITY)
        md.treeprocessors.register(_SourceNotes(md, self), "figures_notes", 5)

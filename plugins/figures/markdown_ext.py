"""Python-Markdown extension: {{ figure_id }} and {{ chart:id }} in pages.

- A preprocessor, run before Pelican's metadata is stripped (so line numbers
  are the file's own), records every unknown reference with its line.
- ``{{ chart:id }}`` on a line of its own becomes the chart's <figure>.
- An inline pattern turns ``{{ failed_to_appear }}`` into
  ``<a class="figure-ref" href="#note-failed_to_appear"><data value="32000">more than 32,000</data></a>``.
- A tree processor appends the page's source notes, each linking back.

The chart and the notes are the theme's macros (theme/templates/macros.html),
rendered through context.TemplateData, so their HTML is written in one place.

The extension asks the data every question through `Answers`, which records each
question and its answer: the HTML is a function of the page's text and these answers
only, so a page kept by the render cache (rendercache.py) is reused after a data edit
when every answer is still the same (a figure the page does not show was edited).
"""

from __future__ import annotations

import json
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
            if references.search(line) is None:
                out.append(line)  # nothing that looks like a reference: nothing to ask the data
                continue
            for what, how in self.ext.ask("problems", line):
                self.ext.errors.append(EditorError(self.ext.source_path, number, what, how))
            stripped = line.strip()
            match = references.REFERENCE_RE.fullmatch(stripped)
            html = self.ext.ask("chart", match.group("id")) if match and match.group("kind") == "chart" else None
            if html is not None:
                self.ext.charts_used.append(match.group("id"))
                out.extend(["", self.md.htmlStash.store(html), ""])
            else:
                out.append(line)
        return out


def _texts_ok(chart, data) -> bool:
    """A chart whose title, caption or alt text has a bad reference is not drawn: lint.py reports it."""
    from .lint import CHART_TEXT_FIELDS

    return not any(any(True for _ in references.problems_in_text(chart[key], data)) for key in CHART_TEXT_FIELDS)


class Answers:
    """The one way the extension reads the data: each question (a JSON list) and its answer (JSON
    values) is recorded in `asked`, so that `still()` can ask them again of another build's data."""

    def __init__(self, view):
        self.view = view
        self.asked: dict[str, object] = {}

    def __call__(self, question: str, *args):
        key = json.dumps([question, *args], ensure_ascii=False)
        if key not in self.asked:
            # As JSON reads it back (lists, not tuples; str, not Markup): compared as stored.
            self.asked[key] = json.loads(json.dumps(getattr(self, f"_{question}")(*args), ensure_ascii=False))
        return self.asked[key]

    def still(self, asked: dict) -> bool:
        """Would every one of these questions get the same answer now?"""
        for key, answer in asked.items():
            try:
                question, *args = json.loads(key)
                if self(question, *args) != answer:
                    return False
            except Exception:  # noqa: BLE001 — a question this data cannot answer (an id gone): render again
                return False
        return True

    def _problems(self, line: str) -> list:
        return [[what, how] for _offset, what, how in references.problems_in_text(line, self.view.data, allow_charts=True)]

    def _chart(self, chart_id: str) -> str | None:
        """The <figure> of a chart shown on a line of its own, or None if there is none to show."""
        data = self.view.data
        if chart_id not in data.charts or not _texts_ok(data.charts[chart_id], data):
            return None
        return str(self.view.chart(chart_id, "{root}"))

    def _ref(self, kind: str | None, ref_id: str, attr: str) -> list | None:
        """What {{ kind:ref_id.attr }} becomes: ["term", text, address], ["text", text],
        ["figure", text, value], or None if it is not a good reference (reported by _Validate)."""
        site, view = self.view.data, self.view
        shown = "{{ " + (f"{kind}:" if kind else "") + ref_id + (f".{attr}" if attr else "") + " }}"
        if references.problem(references.REFERENCE_RE.fullmatch(shown), site, allow_charts=True):
            return None
        text = references.plain(ref_id, attr, site, view.edition, kind)
        ref_id = ref_id[:1].lower() + ref_id[1:]  # {{ Failed_to_appear }} starts a sentence
        if kind == "term":
            return ["term", text, f"{{root}}/{view.prefix}glossary/#term-{ref_id}"]
        if kind == "claim" or attr.lower() not in ("", "number", "words", "percent"):
            return ["text", text]
        if ref_id in site.figures:
            value = str(site.figures[ref_id]["value"])
        else:
            derived = site.derived[ref_id]
            value = format(formatting.derived_number(derived, site.figures), ".4f" if derived["show_as"] == "ratio" else "d")
        return ["figure", text, value]

    def _notes(self, figure_ids: list) -> str:
        return str(self.view.source_notes(figure_ids))


class _FigureReference(InlineProcessor):
    def __init__(self, pattern, md, ext):
        super().__init__(pattern, md)
        self.ext = ext

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        if m.group("bad") is not None or m.group("kind") == "chart":
            # Reported by _Validate with its line (near misses too), or Pelican's {filename}.
            return None, None, None
        answer = self.ext.ask("ref", m.group("kind"), m.group("id"), m.group("attr") or "")
        if answer is None:
            return None, None, None
        ref_id = m.group("id")[:1].lower() + m.group("id")[1:]
        if answer[0] == "term":
            link = etree.Element("a", {"class": "term", "href": answer[2]})
            link.text = answer[1]
            return link, m.start(0), m.end(0)
        if answer[0] == "text":
            # A claim's number is someone's words, not a figure with a source note: plain text.
            return answer[1], m.start(0), m.end(0)
        used = self.ext.used
        count = used.count(ref_id)
        used.append(ref_id)
        link = etree.Element("a", {"class": "figure-ref", "href": f"#note-{ref_id}"})
        if count == 0:
            link.set("id", f"ref-{ref_id}")
        element = etree.SubElement(link, "data", {"value": answer[2]})
        element.text = answer[1]
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
        holder.text = self.md.htmlStash.store(self.ext.ask("notes", list(dict.fromkeys(self.ext.used))))


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
        self.ask = Answers(self.view)  # every question about the data, and its answer, recorded

    def reset(self):
        self.used: list[str] = []
        self.charts_used: list[str] = []

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        self.reset()
        md.preprocessors.register(_Validate(md, self), "figures_validate", PRE_PRIORITY)
        md.inlinePatterns.register(_FigureReference(references.REFERENCE_RE.pattern, md, self), "figures_ref", INLINE_PRIORITY)
        md.treeprocessors.register(_SourceNotes(md, self), "figures_notes", 5)

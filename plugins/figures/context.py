"""What templates receive: figures, sources and charts, already formatted.

Templates never format a number themselves; they get `figure.text`
("more than 32,000"), `figure.period`, `figure.source` and so on from here.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from . import charts, claims, formatting, macros, references
from .data import formula_inputs
from .formatting import Edition


def _source_view(source, edition: Edition) -> dict:
    return {**source, "date_text": formatting.date_text(source["date"], edition)}


def history_view(f, data, edition: Edition) -> list[dict]:
    """A figure's earlier values, newest first: the number, the day replaced, why, the source."""
    return [
        {
            "value": h["value"],
            "number": formatting.number(h["value"], edition),
            "date": h["date"],
            "date_text": formatting.date_text(h["date"], edition),
            "why": h["why"],
            "source": _source_view(data.sources[h["source"]], edition),
        }
        for h in sorted(f.get("history", []), key=lambda h: h["date"], reverse=True)
    ]


def figure_view(fid: str, data, edition: Edition) -> dict:
    if fid in data.derived:
        d = data.derived[fid]
        return {
            "id": fid,
            "derived": True,
            "text": formatting.derived_text(d, data.figures, edition),
            "percent": formatting.derived_text(d, data.figures, edition, "percent") if d["show_as"] == "ratio" else "",
            "label": d["label"],
            "meaning": references.squash(d["meaning"]),
            "caveat": references.squash(d["caveat"]),
            "formula": d["formula"],
            # The labels of the figures it is computed from, each once.
            "inputs": [data.figures[i]["label"] for i in dict.fromkeys(formula_inputs(d["formula"]) or [])],
        }
    f = data.figures[fid]
    sources = [_source_view(data.sources[s], edition) for s in f["sources"]]
    linked = next(s for s in sources if s.get("url"))
    verification = f.get("verification")
    return {
        "id": fid,
        "derived": False,
        "value": f["value"],
        "text": formatting.with_qualifier(f, edition),
        "number": formatting.number(f["value"], edition),
        "qualifier": f["qualifier"],
        "unit": f["unit"],
        "label": f["label"],
        "meaning": references.squash(f["meaning"]),
        "not_meaning": references.squash(f.get("not_meaning", "")),
        "period": formatting.period(f, edition),
        "sources": sources,
        "source": linked,
        "quote": references.squash(f.get("quote", "")),
        "part_of": f.get("part_of"),
        # Earlier published values (history.py), newest first: shown in the figure's source note.
        "history": history_view(f, data, edition),
        "verification": {**verification, "note": references.squash(verification.get("note", ""))} if verification else None,
    }


class TemplateData:
    """One edition's data for templates: FIGURES_BY_LANG[lang] (FIGURES_DATA is the default edition)."""

    def __init__(self, data, style_dir: Path, templates: Path, edition: Edition, bytecode_cache=None):
        self.data = data
        self._style_dir = style_dir
        # The theme's macros, rendered with Pelican's compiled-template cache where there is one.
        self._templates, self._bytecode_cache = templates, bytecode_cache
        self.edition = edition
        self.lang, self.locale, self.prefix = edition.lang, edition.locale, edition.prefix
        # What <html lang> declares: the locale numbers and dates are written in (en-US, es-US).
        self.html_lang = edition.html_lang
        self.figures = [figure_view(fid, data, edition) for fid in data.figures]
        self.derived = [figure_view(fid, data, edition) for fid in data.derived]
        self.by_id = {v["id"]: v for v in [*self.figures, *self.derived]}
        self.sources = [_source_view(s, edition) for s in data.sources.values()]
        self.sources_by_id = {s["id"]: s for s in self.sources}
        self.terms = [
            {**t, "definition": references.squash(t["definition"]), "also_called": list(t.get("also_called", []))}
            for t in sorted(data.terms.values(), key=lambda t: t["term"].lower())
        ]
        self.events = [
            {
                "id": e["id"],
                "date": e["date"],
                "date_text": formatting.date_text(e["date"], edition),
                "title": references.squash(references.render_plain(e["title"], data, edition)),
                "text": references.squash(references.render_plain(e["text"], data, edition)),
                "sources": [self.sources_by_id[s] for s in e["sources"]],
            }
            for e in sorted(data.events.values(), key=lambda e: e["date"])
        ]

        # data/claims.yaml: claims, verdicts, confused figures, the period split (claims.py).
        self.claims = claims.views(data, edition)

        # The corrections log, newest first (same day: the later entry in the file first).
        order = {cid: i for i, cid in enumerate(data.corrections)}
        self.corrections = [
            {
                "id": c["id"],
                "date": c["date"],
                "date_text": formatting.date_text(c["date"], edition),
                "kind": c["kind"],
                "text": references.squash(references.render_plain(c["text"], data, edition)),
                "pages": list(c["pages"]),
            }
            for c in sorted(data.corrections.values(), key=lambda c: (c["date"], order[c["id"]]), reverse=True)
        ]

    def date_text(self, value) -> str:
        """'March 26, 2025' / '26 de marzo de 2025' for an ISO date, a date or a datetime."""
        iso = value if isinstance(value, str) else value.strftime("%Y-%m-%d")
        return formatting.date_text(iso, self.edition)

    def updated(self, slug: str, since: str) -> str:
        """A page's updated date (ISO): `since`, or the latest correction naming it (or the whole site)."""
        dates = [c["date"] for c in self.corrections if not c["pages"] or slug in c["pages"]]
        return max([since, *dates])

    def figure(self, fid: str) -> dict:
        return self.by_id[fid]

    def chart(self, chart_id: str, root: str, link: bool = True) -> Markup:
        """The chart's <figure>; `root` is the template's SITEURL (or "{root}" in a page);
        `link`: to the chart's own page (not on that page itself)."""
        return charts.html(self.data.charts[chart_id], self.data, self._style_dir, self.edition, self._templates, root=root or ".", bytecode_cache=self._bytecode_cache, link=link)

    def chart_pages(self) -> list[str]:
        """The address of each chart's own page in this edition (for the sitemap)."""
        return [charts.chart_page(chart_id, self.prefix) for chart_id in self.data.charts]

    def chart_view(self, chart_id: str, root: str) -> dict:
        """What the chart's own page and its embed page show (charts.view)."""
        return charts.view(self.data.charts[chart_id], self.data, self._style_dir, self.edition, root or ".", link=False)

    def chart_image(self, chart_id: str) -> str:
        """Path of the chart's social-card PNG, relative to the site root."""
        spec = charts.resolve(self.data.charts[chart_id], self.data, self.edition)
        return charts.file_names(chart_id, charts.spec_hash(spec, self._style_dir), self.prefix)["social"]

    social_size = charts.SOCIAL_SIZE

    @property
    def default_chart(self) -> str:
        """The first chart in data/charts.yaml: the social card of pages without a chart."""
        return next(iter(self.data.charts))

    def social_alt(self, chart_id: str) -> str:
        """The social card's text alternative (og:image:alt): what the card itself shows."""
        return charts.social_alt(self.data.charts[chart_id], self.data, self.edition)

    def source_notes(self, figure_ids, root: str = "{root}", back: bool = True) -> Markup:
        """The source notes of these figures, as the `source_notes` macro writes them: each links
        to the figure's stable anchor on About the data; `back` to where the text uses it."""
        notes = [self.by_id[f] for f in figure_ids]
        about = f"{root or '.'}/{self.prefix}about-the-data/"
        return macros.render(self._templates, self.edition, "source_notes", notes, self.lang, about, back, bytecode_cache=self._bytecode_cache)

    @property
    def primary_source_url(self) -> str:
        primary = next(s for s in self.data.sources.values() if s["kind"] == "primary")
        return primary["url"]

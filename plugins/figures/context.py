"""What templates receive: figures, sources and charts, already formatted.

Templates never format a number themselves; they get `figure.text`
("more than 32,000"), `figure.period`, `figure.source` and so on from here.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from . import charts, claims, formatting, references


def _source_view(source, locale: str = formatting.LOCALE) -> dict:
    return {**source, "date_text": formatting.date_text(source["date"], locale)}


def figure_view(fid: str, data, locale: str = formatting.LOCALE) -> dict:
    if fid in data.derived:
        d = data.derived[fid]
        value = formatting.derived_value(d, data.figures)
        return {
            "id": fid,
            "derived": True,
            "text": formatting.number(round(value), locale) if d["show_as"] == "count" else formatting.ratio_words(value, locale),
            "percent": formatting.ratio_percent(value, locale) if d["show_as"] == "ratio" else "",
            "label": d["label"],
            "meaning": references.squash(d["meaning"]),
            "caveat": references.squash(d["caveat"]),
            "formula": d["formula"],
        }
    f = data.figures[fid]
    sources = [_source_view(data.sources[s], locale) for s in f["sources"]]
    linked = next(s for s in sources if s.get("url"))
    return {
        "id": fid,
        "derived": False,
        "value": f["value"],
        "text": formatting.with_qualifier(f, locale),
        "number": formatting.number(f["value"], locale),
        "qualifier": f["qualifier"],
        "unit": f["unit"],
        "label": f["label"],
        "meaning": references.squash(f["meaning"]),
        "not_meaning": references.squash(f.get("not_meaning", "")),
        "period": formatting.period(f, locale),
        "sources": sources,
        "source": linked,
        "quote": references.squash(f.get("quote", "")),
        "part_of": f.get("part_of"),
        "verification": f.get("verification"),
    }


class TemplateData:
    """One edition's data for templates: FIGURES_BY_LANG[lang] (FIGURES_DATA is the default edition)."""

    def __init__(self, data, style_dir: Path, lang: str = "en", locale: str = formatting.LOCALE, prefix: str = "", t=None):
        self._data = data
        self._style_dir = style_dir
        self.lang, self.locale, self.prefix = lang, locale, prefix
        # What <html lang> declares: the locale numbers and dates are written in (en-US, es-US).
        self.html_lang = locale.replace("_", "-")
        self._t = t or charts._untranslated
        self.figures = [figure_view(fid, data, locale) for fid in data.figures]
        self.derived = [figure_view(fid, data, locale) for fid in data.derived]
        self.by_id = {v["id"]: v for v in [*self.figures, *self.derived]}
        self.sources = [_source_view(s, locale) for s in data.sources.values()]
        self.sources_by_id = {s["id"]: s for s in self.sources}
        self.terms = [
            {**t, "definition": references.squash(t["definition"]), "also_called": list(t.get("also_called", []))}
            for t in sorted(data.terms.values(), key=lambda t: t["term"].lower())
        ]
        self.events = [
            {
                "id": e["id"],
                "date": e["date"],
                "date_text": formatting.date_text(e["date"], locale),
                "title": references.squash(references.render_plain(e["title"], data, locale)),
                "text": references.squash(references.render_plain(e["text"], data, locale)),
                "sources": [self.sources_by_id[s] for s in e["sources"]],
            }
            for e in sorted(data.events.values(), key=lambda e: e["date"])
        ]

        # data/claims.yaml: claims, verdicts, confused figures, the period split (claims.py).
        self.claims = claims.views(data, locale)

        # The corrections log, newest first (same day: the later entry in the file first).
        order = {cid: i for i, cid in enumerate(data.corrections)}
        self.corrections = [
            {
                "id": c["id"],
                "date": c["date"],
                "date_text": formatting.date_text(c["date"], locale),
                "kind": c["kind"],
                "text": references.squash(references.render_plain(c["text"], data, locale)),
                "pages": list(c["pages"]),
            }
            for c in sorted(data.corrections.values(), key=lambda c: (c["date"], order[c["id"]]), reverse=True)
        ]

    def date_text(self, value) -> str:
        """'March 26, 2025' / '26 de marzo de 2025' for an ISO date, a date or a datetime."""
        iso = value if isinstance(value, str) else value.strftime("%Y-%m-%d")
        return formatting.date_text(iso, self.locale)

    def updated(self, slug: str, since: str) -> str:
        """A page's updated date (ISO): `since`, or the latest correction naming it (or the whole site)."""
        dates = [c["date"] for c in self.corrections if not c["pages"] or slug in c["pages"]]
        return max([since, *dates])

    def figure(self, fid: str) -> dict:
        return self.by_id[fid]

    def chart(self, chart_id: str, root: str) -> Markup:
        """The chart's <figure>; `root` is the template's SITEURL."""
        return Markup(charts.html(self._data.charts[chart_id], self._data, self._style_dir, root=root or ".", lang=self.lang, prefix=self.prefix, locale=self.locale, t=self._t))

    def chart_image(self, chart_id: str) -> str:
        """Path of the chart's social-card PNG, relative to the site root."""
        spec = charts.resolve(self._data.charts[chart_id], self._data, self.locale)
        return charts.file_names(chart_id, charts.spec_hash(spec, self._style_dir), self.prefix)["social"]

    social_size = charts.SOCIAL_SIZE

    @property
    def default_chart(self) -> str:
        """The first chart in data/charts.yaml: the social card of pages without a chart."""
        return next(iter(self._data.charts))

    def social_alt(self, chart_id: str) -> str:
        """The social card's text alternative (og:image:alt): what the card itself shows."""
        return charts.social_alt(self._data.charts[chart_id], self._data, self.locale)

    @property
    def primary_source_url(self) -> str:
        primary = next(s for s in self._data.sources.values() if s["kind"] == "primary")
        return primary["url"]

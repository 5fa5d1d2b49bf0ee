"""A page's citation as files for reference managers: BibTeX (`citation.bib`) and RIS (`citation.ris`).

Beside each page (`missed-court-hearings/citation.bib`), with what the page's
"Cite this page" block shows: the publisher, the title, the site, the address,
the published and updated dates and the licence. The dates are the page's own
(`Date:`, `Modified:`, else FIRST_PUBLISHED and LAST_UPDATED) and the latest
correction naming it, as base.html computes them; never the build's clock.
"""

from __future__ import annotations

import re
import unicodedata

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


def page_dates(item, settings: dict, view) -> tuple[str, str]:
    """(published, updated) as ISO dates, as base.html writes them under the page's title."""
    date = getattr(item, "date", None)
    modified = getattr(item, "modified", None)
    published = date.strftime("%Y-%m-%d") if date else settings["FIRST_PUBLISHED"]
    modified_iso = modified.strftime("%Y-%m-%d") if modified else (published if date else settings["LAST_UPDATED"])
    return published, view.updated(item.slug, modified_iso)


def _key(publisher: str, slug: str, published: str) -> str:
    """A BibTeX key of ASCII letters and digits: figuresdesk2024missedcourthearings."""
    text = unicodedata.normalize("NFKD", f"{publisher} {published[:4]} {slug}").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("the ", "", 1))


def _bib_text(text: str) -> str:
    """A BibTeX value: braces and the characters BibTeX treats specially escaped."""
    text = re.sub(r"([{}])", r"\\\1", text)
    return re.sub(r"([&%$#_])", r"\\\1", text)


def bibtex(entry: dict) -> str:
    """An @online entry (biblatex), which BibTeX-only tools read as @misc."""
    fields = [
        ("author", "{" + _bib_text(entry["publisher"]) + "}"),  # a corporate author, kept whole
        ("title", _bib_text(entry["title"])),
        ("organization", _bib_text(entry["site"])),
        ("date", entry["published"]),
        ("year", entry["published"][:4]),
        ("note", _bib_text(f"{entry['updated_word']} {entry['updated_text']}. {entry['license_word']} CC BY 4.0")),
        ("url", entry["url"]),
        ("langid", entry["langid"]),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{_key(entry['publisher'], entry['slug'], entry['published'])},\n{body}\n}}\n"


def ris(entry: dict) -> str:
    """A RIS record (ELEC: a web page); lines end in CRLF, as the format asks."""
    lines = [
        ("TY", "ELEC"),
        ("AU", entry["publisher"]),
        ("TI", entry["title"]),
        ("T2", entry["site"]),
        ("PB", entry["publisher"]),
        ("DA", entry["published"].replace("-", "/")),
        ("PY", entry["published"][:4]),
        ("UR", entry["url"]),
        ("LA", entry["lang"]),
        ("N1", f"{entry['updated_word']} {entry['updated_text']}. {entry['license_word']} CC BY 4.0, {LICENSE_URL}"),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def beside(save_as: str, slug: str) -> list[str]:
    """The citation files written beside a page or update: none for the 404 page or a page not
    written as a folder's index.html (`make check` lists them too, for the links it resolves)."""
    if slug == "404" or not (save_as == "index.html" or save_as.endswith("/index.html")):
        return []
    folder = save_as.rpartition("/")[0]
    return [f"{folder}/{name}" if folder else name for name in ("citation.bib", "citation.ris")]


def write(items, output_dir, settings: dict, views: dict, t) -> list[str]:
    """citation.bib and citation.ris beside each page and update (not the 404 page); the paths written."""
    from pathlib import Path

    written = []
    address = settings.get("SITE_ADDRESS", "").rstrip("/")
    for item in items:
        save_as = item.save_as or ""
        if not beside(save_as, item.slug):
            continue
        lang = item.lang
        published, updated = page_dates(item, settings, views[lang])
        # Settings' texts in the page's language (checked with the menus).
        publisher, site = settings.get("PUBLISHER", settings.get("AUTHOR", "")), settings["SITENAME"]
        entry = {
            "title": item.title, "publisher": t(lang, publisher), "site": t(lang, site), "slug": item.slug,
            "url": f"{address}/{item.url}", "published": published, "updated": updated, "lang": lang,
            "updated_text": views[lang].date_text(updated),
            "langid": {"en": "american", "es": "spanish"}.get(lang, lang),
            "updated_word": t(lang, "Updated"), "license_word": t(lang, "License:"),
        }
        folder = Path(output_dir) / Path(save_as).parent
        for name, text in (("citation.bib", bibtex(entry)), ("citation.ris", ris(entry))):
            (folder / name).write_text(text, encoding="utf-8", newline="")
            written.append(str(Path(save_as).parent / name))
    return written

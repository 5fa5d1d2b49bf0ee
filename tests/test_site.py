"""The reader's site as built from the real content: pages, feed, sitemap, glossary, coverage of every figure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup

from plugins.figures import data as data_module

REPO = Path(__file__).resolve().parents[1]
SITE = data_module.load(REPO / "data")
PAGES = [
    "index.html", "what-the-watchdog-found/index.html", "missed-court-hearings/index.html",
    "never-given-a-court-date/index.html", "from-the-border-to-a-sponsor/index.html", "by-year/index.html",
    "family-separation/index.html", "timeline/index.html", "glossary/index.html", "about-the-data/index.html",
    "updates/index.html", "updates/final-audit-2025/index.html", "404.html",
    "what-was-said/index.html",
]


SPANISH = ["es/" + p for p in PAGES]


def soup(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")


def test_every_page_exists_with_one_h1_title_description_and_lang(built_real_site):
    for name in PAGES + SPANISH:
        page = soup(built_real_site, name)
        # The locale the numbers are written in (32,000 in both editions), not only the language.
        assert page.html["lang"] == ("es-US" if name.startswith("es/") else "en-US"), name
        assert len(page.find_all("h1")) == 1, name
        assert page.title.text.strip(), name
        assert len(page.select_one('meta[name="description"]')["content"]) > 40, name
        assert page.select_one('link[rel="canonical"]')["href"].startswith("http"), name
        assert page.select_one('meta[property="og:image"]')["content"].endswith(".png"), name


def test_every_figure_reaches_a_reader_with_its_source(built_real_site):
    """Each figure in data/ is shown on some page, linked to a note that links its source."""
    shown = set()
    for name in PAGES:
        page = soup(built_real_site, name)
        for link in page.select("a.figure-ref"):
            fid = link["href"].removeprefix("#note-")
            note = page.select_one(f"#note-{fid}")
            if fid in SITE.figures:
                assert note.select_one('a[href^="https://"]'), (name, fid)
            shown.add(fid)
        for figure in page.select("figure.chart"):
            chart = SITE.charts[figure["id"].removeprefix("chart-")]
            assert figure.select_one('.chart-source a[href^="https://"]'), (name, chart["id"])
            shown.update(chart.get("figures", []))
            shown.update(f for stage in chart.get("stages", []) for f in stage.get("figures", []))
    missing = set(SITE.figures) - shown
    assert not missing, f"figures never referenced in a page: {sorted(missing)}"


def test_every_fact_check_note_reaches_a_reader(built_real_site):
    text = " ".join(soup(built_real_site, n).get_text(" ") for n in PAGES)
    text = " ".join(text.split())
    checked = [fid for fid, figure in SITE.figures.items() if figure.get("verification")]
    assert checked, "no figure has a fact-check note"
    for fid in checked:
        note = " ".join(SITE.figures[fid]["verification"]["note"].split())
        assert note in text, fid


def test_watchdog_is_named_correctly(built_real_site):
    page = soup(built_real_site, "what-the-watchdog-found/index.html").get_text(" ")
    assert "Joseph Cuffari" in page and "OIG-24-46" in page and "OIG-25-21" in page
    assert "DHS inspector general" in page or "Department of Homeland Security's Office of Inspector General" in page


def test_glossary_lists_every_term_and_pages_link_to_it(built_real_site):
    glossary = soup(built_real_site, "glossary/index.html")
    for term_id in SITE.terms:
        assert glossary.select_one(f"#term-{term_id}"), term_id
    links = soup(built_real_site, "never-given-a-court-date/index.html").select("a.term")
    assert links and all(a["href"].startswith("../glossary/#term-") for a in links)


def test_timeline_lists_every_event(built_real_site):
    page = soup(built_real_site, "timeline/index.html")
    for event_id in SITE.events:
        item = page.select_one(f"#event-{event_id}")
        assert item and item.select_one("time[datetime]"), event_id


def test_by_year_chart_and_total(built_real_site):
    page = soup(built_real_site, "by-year/index.html")
    rows = page.select("figure#chart-transfers_by_year tbody tr")
    assert len(rows) == 5
    assert "not checked against the PDF" in page.get_text(" ")


def test_sitemap_lists_every_page(built_real_site):
    tree = ET.parse(built_real_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in tree.findall(".//s:loc", ns)}
    for name in PAGES:
        if name == "404.html":
            continue
        url = "https://figures.example.org/" + name.replace("index.html", "")
        assert url in locs, url
    # Each chart's own page, in both editions (its embed page is not for search engines).
    for prefix in ("", "es/"):
        for chart_id in SITE.charts:
            assert f"https://figures.example.org/{prefix}charts/{chart_id}/" in locs, (prefix, chart_id)
            assert f"https://figures.example.org/{prefix}embed/{chart_id}/" not in locs, (prefix, chart_id)
    robots = (built_real_site / "robots.txt").read_text()
    assert "User-agent: *" in robots and "Sitemap: https://figures.example.org/sitemap.xml" in robots


def test_feed_parses_and_lists_every_update(built_real_site):
    tree = ET.parse(built_real_site / "updates" / "feed.atom")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in tree.findall("a:entry/a:title", ns)]
    assert titles and all("{{" not in t for t in titles)
    assert any("final audit" in t for t in titles)


def test_home_links_onward_to_every_page(built_real_site):
    hrefs = {a["href"] for a in soup(built_real_site, "index.html").select("a[href]")}
    for name in PAGES:
        if name in ("index.html", "404.html") or name.startswith("updates/final"):
            continue
        assert "./" + name.replace("index.html", "") in hrefs, name


def test_404_links_from_the_root(built_real_site):
    page = soup(built_real_site, "404.html")
    assert page.select_one('link[rel="stylesheet"]')["href"].startswith("/theme/")
    assert all(a["href"].startswith(("/", "http", "#", "mailto:")) for a in page.select("a[href]"))


def test_each_page_links_to_its_translation_both_ways(built_real_site):
    for name in PAGES:
        if name.endswith("404.html"):
            continue
        en, es = soup(built_real_site, name), soup(built_real_site, "es/" + name)
        en_alt = {link["hreflang"]: link["href"] for link in en.select('link[rel="alternate"][hreflang]')}
        es_alt = {link["hreflang"]: link["href"] for link in es.select('link[rel="alternate"][hreflang]')}
        assert en_alt == es_alt and set(en_alt) == {"en", "es", "x-default"}, name
        assert en_alt["es"].endswith("/es/" + name.replace("index.html", "")), name
        switch = en.select_one("a.language-switch")
        assert switch["hreflang"] == "es" and switch["lang"] == "es" and switch.text == "Español", name
        assert es.select_one("a.language-switch").text == "English", name


def test_spanish_edition_is_in_spanish(built_real_site):
    home = soup(built_real_site, "es/index.html")
    assert home.select_one("a.skip-link").text == "Ir al contenido"
    assert "más de 448,000" in home.select_one("#card-transferred_to_hhs").text
    assert home.select_one("figure.chart img")["src"].startswith("../es/charts/") or "es/charts/" in home.select_one("figure.chart img")["src"]
    glossary = soup(built_real_site, "es/glossary/index.html")
    assert "aviso de comparecencia" in glossary.select_one("#term-notice_to_appear").text.lower()
    csv_text = (built_real_site / "es" / "downloads" / "figures.csv").read_text()
    assert "más de 32,000" in csv_text and "Niños que faltaron a una audiencia ante un tribunal de inmigración" in csv_text
    feed = (built_real_site / "es" / "updates" / "feed.atom").read_text()
    assert "recomendaciones" in feed


def test_spanish_downloads_write_their_values_in_spanish(built_real_site):
    """Column names stay English identifiers; the words in the cells are Spanish."""
    import csv

    def rows(path):
        return list(csv.DictReader((built_real_site / path).read_text(encoding="utf-8").splitlines()))

    english = {"more than", "about", "exactly", "matches", "differs", "unverified", "derived", "share", "late"}
    es_figures, en_figures = rows("es/downloads/figures.csv"), rows("downloads/figures.csv")
    assert list(es_figures[0]) == list(en_figures[0])
    for row in es_figures:
        for column in ("qualifier", "verification", "unit"):
            assert row[column] not in english, (row["id"], column, row[column])
        assert not row["as_of"].startswith(("early", "mid", "late")), row["id"]
    kinds = {r["kind"] for r in rows("es/downloads/sources.csv")}
    assert kinds and not kinds & {"primary", "news", "court", "press_release"}, kinds
    data_json = json.loads((built_real_site / "es/downloads/figures.json").read_text(encoding="utf-8"))
    assert {f["qualifier"] for f in data_json["figures"]} <= {"más de", "aproximadamente", "exactamente"}
    assert {r["qualifier"] for r in en_figures} <= {"more than", "about", "exactly"}


# ---- words-house: dates, citation, publisher, corrections log, feeds per edition ----

import json  # noqa: E402
import re  # noqa: E402

ATOM = {"a": "http://www.w3.org/2005/Atom"}
ADDRESS = "https://figures.example.org"
SETTINGS = {k: v for k, v in __import__("runpy").run_path(str(REPO / "pelicanconf.py")).items() if k.isupper()}


def expected_updated(slug: str, since: str) -> str:
    return max([since, *(c["date"] for c in SITE.corrections.values() if not c["pages"] or slug in c["pages"])])


def _own_dates() -> dict:
    """slug -> `Date:` of each page that gives one."""
    import re

    found = {}
    for path in (REPO / "content" / "pages").rglob("*.md"):
        head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        slug, date = re.search(r"^Slug:\s*(\S+)", head, re.M), re.search(r"^Date:\s*(\S+)", head, re.M)
        if slug and date:
            found[slug.group(1)] = date.group(1)
    return found


OWN_DATES = _own_dates()


# The publisher's name in each edition: the Spanish from the interface catalogue.
PUBLISHER_IN = {"en": SETTINGS["PUBLISHER"], "es": "Mesa de Cifras"}
# Dates as readers see them (docs/style.md), written out here rather than taken from formatting.py.
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
}


def date_words(iso: str, lang: str) -> str:
    """2024-08-20 as "August 20, 2024" / "20 de agosto de 2024"."""
    year, month, day = (int(part) for part in iso.split("-"))
    name = MONTHS[lang][month - 1]
    return f"{name} {day}, {year}" if lang == "en" else f"{day} de {name} de {year}"


def dateline(page) -> tuple[str, str]:
    """A page's published and updated dates (ISO); "Updated" is shown only when it is a later day."""
    times = [t["datetime"] for t in page.select_one("main p.dateline").select("time")]
    published, updated = times[0], times[-1]
    assert len(times) == (1 if updated == published else 2) and updated >= published, times
    return published, updated


def test_every_page_shows_its_dates_citation_and_publisher_from_data_not_the_clock(built_real_site):
    for name in PAGES + SPANISH:
        if name.endswith("404.html"):
            continue
        page = soup(built_real_site, name)
        lang = page.html["lang"].split("-")[0]
        published, updated = dateline(page)
        is_update = "/updates/" in "/" + name and not name.endswith("updates/index.html")
        slug = name.removeprefix("es/").removesuffix("/index.html").split("/")[-1] or "home"
        slug = {"index.html": "home", "updates": "updates"}.get(slug, slug)
        # A page added later (the claims page) gives its own `Date:`.
        assert published == ("2025-03-26" if is_update else OWN_DATES.get(slug, SETTINGS["FIRST_PUBLISHED"])), name
        assert updated == expected_updated(slug, published if is_update else SETTINGS["LAST_UPDATED"]), name
        data = page.select_one('script[type="application/ld+json"]')
        # Every page but the updates index (a list of pages) describes itself for search engines.
        assert data is not None or name.endswith("updates/index.html"), name
        if data is not None:
            ld = json.loads(data.string)
            assert (ld["datePublished"], ld["dateModified"]) == (published, updated), name
        citation = page.select_one("pre.citation").text
        canonical = page.select_one('link[rel="canonical"]')["href"]
        publisher = PUBLISHER_IN[lang]
        for part in (canonical, date_words(published, lang), date_words(updated, lang), "CC BY 4.0", publisher):
            assert part in citation, (name, part)
        assert page.select_one("h1").text.strip() in citation or name.endswith("updates/index.html"), name
        mail = page.select_one(f'footer a[href="mailto:{SETTINGS["CORRECTIONS_EMAIL"]}"]')
        assert mail is not None and publisher in mail.parent.text, name
    about = soup(built_real_site, "about-the-data/index.html").select_one("#publisher-contact").parent
    assert about.select_one('a[href^="mailto:"]') and about.select_one('a[href$="updates/#corrections"]')


def test_updates_page_shows_the_corrections_log_in_both_editions(built_real_site):
    for name, lang in (("updates/index.html", "en"), ("es/updates/index.html", "es")):
        log = soup(built_real_site, name).select_one("section.corrections-log")
        items = log.select("ol.corrections > li")
        # Newest first; on the same day, the entry written later in the file first.
        in_file = list(SITE.corrections)
        newest_first = sorted(in_file, key=lambda c: (SITE.corrections[c]["date"], in_file.index(c)), reverse=True)
        assert [li["id"] for li in items] == [f"correction-{cid}" for cid in newest_first]
        for li in items:
            record = SITE.corrections[li["id"].removeprefix("correction-")]
            assert li.select_one("time")["datetime"] == record["date"]
            assert "{{" not in li.text
            if lang == "en":
                words = " ".join(record["text"].split()).split("{{")[0][:40]  # up to the first figure
                assert words and words in " ".join(li.text.split())
            for slug in record["pages"]:
                assert li.select_one(f'a[href*="{slug}"]') or slug == "home"


def test_each_feed_carries_its_own_edition_with_absolute_links_and_the_corrections(built_real_site):
    for path, prefix in (("updates/feed.atom", ""), ("es/updates/feed.atom", "es/")):
        root = ET.parse(built_real_site / path).getroot()
        entries = root.findall("a:entry", ATOM)
        links = [e.find("a:link", ATOM).get("href") for e in entries]
        assert links and all(link.startswith(f"{ADDRESS}/{prefix}") for link in links), links
        if not prefix:
            assert not any(link.startswith(f"{ADDRESS}/es/") for link in links), "the English feed carries Spanish entries"
        assert all(e.find("a:id", ATOM).text.startswith("tag:figures.example.org,") for e in entries)
        for content in root.findall("a:entry/a:content", ATOM):
            for href in re.findall(r'(?:href|src)="([^"]*)"', content.text or ""):
                assert href.startswith(("https://", "mailto:")), href
        assert root.find("a:link[@rel='alternate']", ATOM).get("href") == f"{ADDRESS}/{prefix}"
        for cid, record in SITE.corrections.items():
            (entry,) = [e for e in entries if e.find("a:id", ATOM).text.endswith(f":/{prefix}corrections/{cid}")]
            assert entry.find("a:published", ATOM).text.startswith(record["date"] + "T")
            assert entry.find("a:link", ATOM).get("href") == f"{ADDRESS}/{prefix}updates/#correction-{cid}"
        published = [e.find("a:published", ATOM).text[:10] for e in entries]
        assert published == sorted(published, reverse=True)
    for path, lang in (("updates/feed.atom", "en"), ("es/updates/feed.atom", "es")):
        authors = {a.text for a in ET.parse(built_real_site / path).getroot().iterfind("a:entry/a:author/a:name", ATOM)}
        assert authors == {PUBLISHER_IN[lang]}, (path, authors)
    es_about = soup(built_real_site, "es/about-the-data/index.html")
    assert "Mesa de Cifras" in es_about.select_one("#publisher-contact").parent.text
    assert SETTINGS["PUBLISHER"] not in es_about.text
    es_title = ET.parse(built_real_site / "es/updates/feed.atom").getroot().find("a:title", ATOM).text
    assert SETTINGS["SITENAME"] not in es_title and "Actualizaciones" in es_title


def test_home_lists_the_guide_once(built_real_site):
    """The footer lists every page; the home page's own text no longer repeats the whole list."""
    home = soup(built_real_site, "index.html")
    guide = {"./" + link for _, link in SETTINGS["GUIDE_PAGES"]}
    for listing in home.select("main ul, main ol"):
        assert not guide <= {a["href"] for a in listing.select("a[href]")}
    footer = [a["href"] for a in home.select("footer nav a[href]")]
    assert all(footer.count(link) == 1 for link in guide)


def test_english_source_titles_and_quotes_are_tagged_in_spanish_pages(built_real_site):
    es = soup(built_real_site, "es/about-the-data/index.html")
    # Every title is the source's own, in English, but the one we wrote and translated.
    # (data/es.yaml translates the titles we wrote ourselves: those are not tagged.)
    import yaml

    ours = {sid for sid, entry in yaml.safe_load((REPO / "data" / "es.yaml").read_text())["sources"].items() if "title" in entry}
    cites = [c for c in es.select("ul.source-list li cite") if c.find_parent("li").get("id", "").removeprefix("source-") not in ours]
    assert cites and all(c.get("lang") == "en" for c in cites)
    assert es.select("blockquote.figure-quote") and all(q.get("lang") == "en" for q in es.select("blockquote.figure-quote"))
    assert not soup(built_real_site, "about-the-data/index.html").select("cite[lang]")


def test_every_english_quote_in_a_spanish_page_is_tagged_english(built_real_site):
    quotes = [" ".join(f["quote"].split()) for f in SITE.figures.values() if f.get("quote")]
    seen = 0
    for name in SPANISH:
        page = soup(built_real_site, name)
        for quote in quotes:
            for text in page.find_all(string=lambda s, quote=quote: s and quote in " ".join(s.split())):
                seen += 1
                tagged = text.find_parent(attrs={"lang": True})
                assert tagged is not None and tagged["lang"] == "en", (name, quote)
        # The sources' own names in source notes and chart captions too.
        for link in page.select("section.source-notes li a[href^='https://'], p.chart-caption .chart-source a"):
            assert link.get("lang") == "en", (name, link)
    assert seen >= len(quotes)  # every quote is on About the data at least


def test_a_source_title_we_wrote_is_translated_not_tagged(built_real_site):
    es = soup(built_real_site, "es/about-the-data/index.html")
    cite = es.select_one("#source-times_of_san_diego_2023_12_08 cite")
    assert cite.text.startswith("Crónica de la audiencia") and not cite.get("lang")
    assert es.select_one("#source-oig_24_46 cite")["lang"] == "en"


# What a template leaves when a field is empty or repeats another: "()", "( x", "x ,", "the the",
# "The Independent (The Independent, …)".
ARTIFACTS = [
    (r"\(\s*\)", "empty parentheses"),
    (r"\(\s|\s\)", "a space inside parentheses"),
    (r"\s[,;:](?!\d)|\s\.(?![\w/])", "a space before punctuation"),
    (r"\b(\w+)\s+\1\b", "a doubled word"),
    (r"\b([\w.' -]{3,}) \(\1,", "a name repeated in its own parentheses"),
]
BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, td, th, figcaption, dt, dd, caption, title, pre, blockquote"


def test_no_page_shows_template_artifacts(built_real_site):
    found = []
    for page_path in sorted(built_real_site.rglob("*.html")):
        page = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
        texts = [" ".join(b.get_text().split()) for b in page.select(BLOCKS) if not b.select_one(BLOCKS)]
        texts += [m["content"] for m in page.select("meta[content]")]
        for text in texts:
            for pattern, what in ARTIFACTS:
                for m in re.finditer(pattern, text, re.I):
                    found.append((page_path.relative_to(built_real_site).as_posix(), what, text[max(0, m.start() - 40):m.end() + 20]))
    assert not found, found


def test_about_names_a_source_once_and_prints_no_empty_period(built_real_site):
    for name in ("about-the-data/index.html", "es/about-the-data/index.html"):
        about = soup(built_real_site, name)
        total = " ".join(about.select_one("#figure-table_1_total-title").text.split())
        assert re.search(r": \d[\d,]*$", total), total  # a count has no percentage, so no "()"
        sources = " ".join(about.select_one("#figure-failed_to_appear p.figure-sources").text.split())
        assert "The Independent (The Independent" not in sources and "The Independent (" in sources, sources


def test_about_has_one_citation_of_itself_and_one_of_the_report(built_real_site):
    for name in ("about-the-data/index.html", "es/about-the-data/index.html"):
        main = soup(built_real_site, name).select_one("main")
        # The generated "Cite this page" block is the citation; the text keeps only the report's.
        assert len(main.select("pre.citation")) == 1 and not main.select("blockquote:-soup-contains('[')"), name
        assert "OIG-24-46" in main.select_one("h2#how-to-cite, h2#como-citar").find_next("p").find_next("p").text, name


def test_no_page_talks_about_how_the_site_is_built(built_real_site):
    for name in PAGES + SPANISH:
        text = " ".join(soup(built_real_site, name).get_text(" ").split()).lower()
        assert "time the site is built" not in text and "cada vez que se genera el sitio" not in text, name


def test_sitemap_lastmod_is_each_pages_updated_date(built_real_site):
    tree = ET.parse(built_real_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {u.find("s:loc", ns).text: u.find("s:lastmod", ns).text for u in tree.findall("s:url", ns)}
    for name in PAGES + SPANISH:
        if name.endswith("404.html"):
            continue
        page = soup(built_real_site, name)
        updated = dateline(page)[1]
        assert lastmod[page.select_one('link[rel="canonical"]')["href"]] == updated, name


# ---- the claims page (data/claims.yaml, theme/templates/claims.html) ----


def test_both_editions_show_every_claim_with_its_sources_basis_and_attributed_verdicts(built_real_site):
    from plugins.figures import claims, formatting

    for prefix, lang in (("", "en"), ("es/", "es")):
        edition = formatting.edition(lang, prefix)
        page = soup(built_real_site, f"{prefix}what-was-said/index.html")
        for cid, claim in SITE.claims.items():
            block = page.select_one(f"#claim-{cid}")
            assert block is not None, (prefix, cid)
            # The speaker's own words, once, from data; in Spanish tagged English and translated as ours.
            quote = block.select_one(".claim-words q")
            assert quote.text == " ".join(claim["quote"].split()), (prefix, cid)
            if prefix:
                assert quote["lang"] == "en" and "traducción nuestra" in block.select_one(".claim-words").text, cid
            assert block.select_one(f'data[value="{claim["value"]}"]').text == claims.number_text(claim, edition)
            for sid in claim["sources"]:
                assert SITE.sources[sid]["short"] in block.select_one(".claim-sources").text, (prefix, cid, sid)
                if SITE.sources[sid].get("url"):
                    assert block.select_one(f'.claim-sources a[href="{SITE.sources[sid]["url"]}"]'), (prefix, cid, sid)
            basis = claims.basis(claim, SITE, edition)
            if basis is not None:
                shown = block.select_one(f'.claim-numbers data[value="{basis["value"]}"]') if claim["how"] == "sum" else block
                assert basis["text"] in shown.text, (prefix, cid)
                for fid in claim["rests_on"]:
                    assert block.select_one(f'a.figure-ref[href="#note-{fid}"]') and page.select_one(f"#note-{fid}"), (prefix, cid, fid)
            # Every verdict on this claim: the fact-checker named, linked where it has an address, dated.
            verdicts = [v for v in SITE.verdicts if cid in v["claims"]]
            items = block.select(".claim-verdicts li")
            assert len(items) == len(verdicts), (prefix, cid)
            for verdict, item in zip(verdicts, items, strict=True):
                source = SITE.sources[verdict["by"]]
                assert source["short"] in item.text and item.select_one(f'time[datetime="{source["date"]}"]'), (prefix, cid)
                said = verdict.get("quote") or verdict["rating"]
                assert " ".join(said.split()) in item.text, (prefix, cid)
        # The one fact-checker who disagreed is there, with its rating in its own word.
        assert page.select_one("#claim-vance_debate .claim-verdicts").find("q", string="True")
        split = claims.period_split(SITE, edition)
        period = page.select_one("#period").find_next("p").text
        assert split["before_text"] in period and split["after_text"] in period
        assert formatting.date_text(SITE.claims_period["change"], edition) in period


def test_the_claims_page_is_linked_from_home_the_menu_and_the_updates(built_real_site):
    for prefix in ("", "es/"):
        home = soup(built_real_site, f"{prefix}index.html")
        assert home.select_one('main a[href$="what-was-said/"]'), prefix
        assert home.select_one('.site-header nav a[href$="what-was-said/"]'), prefix
        update = soup(built_real_site, f"{prefix}updates/claims-page/index.html")
        assert update.select_one('main a[href$="what-was-said/"]'), prefix
    assert "claims-page" in (built_real_site / "es" / "updates" / "feed.atom").read_text()


def test_claims_reach_the_downloads_glossary_and_timeline(built_real_site):
    import csv
    import io
    import json

    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((built_real_site / "downloads" / "claims.csv").read_text()))}
    assert set(rows) == set(SITE.claims)
    assert rows["vance_debate"]["basis_value"] == str(SITE.figures["never_served_nta"]["value"] + SITE.figures["failed_to_appear"]["value"])
    document = json.loads((built_real_site / "es" / "downloads" / "claims.json").read_text())
    assert {c["id"] for c in document["claims"]} == set(SITE.claims) and len(document["verdicts"]) == len(SITE.verdicts)
    assert document["claims"][0]["basis_qualifier"] == "más de"
    timeline = soup(built_real_site, "timeline/index.html")
    from plugins.figures import claims, formatting

    assert claims.number_text(SITE.claims["vance_debate"], formatting.edition("en", "")) in timeline.select_one("#event-vance_debate_claim").text
    assert soup(built_real_site, "glossary/index.html").select_one("#term-located")



# ---- provenance (#16 items 4, 7): citations, their files, share links


def test_every_page_cites_itself_and_the_primary_source_with_bib_and_ris_files_that_agree(built_real_site):
    primary = next(s for s in SITE.sources.values() if s["kind"] == "primary")
    files = 0
    for name in PAGES + SPANISH:
        if name.endswith("404.html"):
            assert soup(built_real_site, name).select_one(".cite-this") is None, name
            continue
        page = soup(built_real_site, name)
        block = page.select_one("main .cite-this")
        canonical = page.select_one('link[rel="canonical"]')["href"]
        line = block.select_one("pre.citation-primary").text
        assert all(part in line for part in (primary["publisher"], primary["title"], primary["short"], primary["url"])), name
        published, updated = dateline(page)
        links = block.select(".cite-files a[download]")
        if name.endswith("updates/index.html"):
            assert links == [], name  # an index, not a page: no files of its own
            continue
        assert [a["href"].rsplit("/", 1)[-1] for a in links] == ["citation.bib", "citation.ris"], name
        folder = (built_real_site / name).parent
        for link in links:  # each link leads to the file beside the page
            assert (folder / link["href"]).resolve() == (folder / link["href"].rsplit("/", 1)[-1]).resolve(), name
        title = page.select_one("h1").text.strip()
        bib = (folder / "citation.bib").read_text(encoding="utf-8")
        when = date_words(updated, page.html["lang"][:2])
        assert f"  url = {{{canonical}}}," in bib and f"  date = {{{published}}}," in bib and f" {when}. " in bib, name
        assert re.search(r"^@online\{[a-z0-9]+,$", bib, re.M) and "CC BY 4.0" in bib, name
        assert title.replace("_", r"\_").replace("&", r"\&") in bib, name
        ris = (folder / "citation.ris").read_bytes().decode("utf-8")
        assert ris.startswith("TY  - ELEC\r\n") and ris.endswith("ER  - \r\n"), name
        assert f"UR  - {canonical}\r\n" in ris and f"TI  - {title}\r\n" in ris and f"DA  - {published.replace('-', '/')}\r\n" in ris, name
        files += 1
    assert files == 2 * (len(PAGES) - 2)


def test_share_links_are_plain_links_and_the_address_is_text(built_real_site):
    """Nothing is asked of another site until a click: links only, no picture, frame or form."""
    from urllib.parse import parse_qs, urlsplit

    for name in PAGES + SPANISH:
        if name.endswith("404.html"):
            continue
        page = soup(built_real_site, name)
        share = page.select_one("main .share")
        canonical = page.select_one('link[rel="canonical"]')["href"]
        title = page.select_one("main .cite-this pre.citation").text  # the page's own title is in it
        hrefs = [a["href"] for a in share.select("a")]
        assert [urlsplit(h).scheme + ":" + urlsplit(h).netloc for h in hrefs] == ["mailto:", "https:bsky.app", "https:www.linkedin.com", "https:wa.me"], name
        queries = [parse_qs(urlsplit(h).query) for h in hrefs]
        assert queries[0]["body"] == [canonical] and queries[0]["subject"][0] in title, name
        assert queries[1]["text"][0].endswith(" " + canonical) and queries[3]["text"] == queries[1]["text"], name
        assert queries[2]["url"] == [canonical], name
        assert share.select_one(".share-url").text == canonical, name
        assert not share.select("img, iframe, form, script, svg, [src], [style]"), name

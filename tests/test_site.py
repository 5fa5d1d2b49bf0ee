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
]


SPANISH = ["es/" + p for p in PAGES]


def soup(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")


def test_every_page_exists_with_one_h1_title_description_and_lang(built_real_site):
    for name in PAGES + SPANISH:
        page = soup(built_real_site, name)
        assert page.html["lang"] == ("es" if name.startswith("es/") else "en"), name
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
    for fid, figure in SITE.figures.items():
        if figure.get("verification"):
            note = " ".join(figure["verification"]["note"].split())
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
    assert "robots.txt" and "Sitemap:" in (built_real_site / "robots.txt").read_text()


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
        en_alt = {l["hreflang"]: l["href"] for l in en.select('link[rel="alternate"][hreflang]')}
        es_alt = {l["hreflang"]: l["href"] for l in es.select('link[rel="alternate"][hreflang]')}
        assert en_alt == es_alt and set(en_alt) == {"en", "es", "x-default"}, name
        assert en_alt["es"].endswith("/es/" + name.replace("index.html", "")), name
        switch = en.select_one("a.language-switch")
        assert switch["hreflang"] == "es" and switch["lang"] == "es" and switch.text == "Español", name
        assert es.select_one("a.language-switch").text == "English", name


def test_spanish_edition_is_in_spanish(built_real_site):
    home = soup(built_real_site, "es/index.html")
    assert home.select_one("a.skip-link").text == "Ir al contenido"
    assert "más de 448.000" in home.select_one("#card-transferred_to_hhs").text
    assert home.select_one("figure.chart img")["src"].startswith("../es/charts/") or "es/charts/" in home.select_one("figure.chart img")["src"]
    glossary = soup(built_real_site, "es/glossary/index.html")
    assert "aviso de comparecencia" in glossary.select_one("#term-notice_to_appear").text.lower()
    csv_text = (built_real_site / "es" / "downloads" / "figures.csv").read_text()
    assert "más de 32.000" in csv_text and "Niños que faltaron a una audiencia de inmigración" in csv_text
    feed = (built_real_site / "es" / "updates" / "feed.atom").read_text()
    assert "recomendaciones" in feed

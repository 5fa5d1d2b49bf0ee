"""translations.py and i18n.py: every reader-visible text has its translation, or the build says where it is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plugins.figures import data, formatting, i18n, references, translations
from plugins.figures.errors import EditorErrors

HERE = Path(__file__).parent
SITE = data.load(HERE / "test_data" / "data")


def spanish_stub(site) -> dict:
    """A complete translation file for the test data, every text prefixed 'ES '."""
    out = {"figures": {}, "derived": {}, "charts": {}, "terms": {}, "events": {}, "sources": {}}
    for fid, f in site.figures.items():
        entry = {"label": "ES " + f["label"], "unit": "manzanas", "meaning": "ES " + f["meaning"]}
        if f.get("verification"):
            entry["verification_note"] = "ES " + f["verification"]["note"]
        out["figures"][fid] = entry
    for did, d in site.derived.items():
        out["derived"][did] = {k: "ES " + d[k] for k in ("label", "meaning", "caveat")}
    for cid, c in site.charts.items():
        out["charts"][cid] = {k: c[k] for k in ("title", "caption", "alt")}
    for tid in site.terms:
        out["terms"][tid] = {"term": "manzana", "plural": "manzanas", "also_called": ["Malus"], "definition": "Una fruta."}
    for eid, e in site.events.items():
        out["events"][eid] = {"title": "ES " + e["title"], "text": e["text"]}
    for sid in site.sources:
        out["sources"][sid] = {"description": "Fuente " + sid}
    out["corrections"] = {cid: {"text": "ES " + c["text"]} for cid, c in site.corrections.items()}
    # The test site has no claims (data/claims.yaml is optional); the sections are still there.
    out["claims"] = {cid: {"role": "ES", "venue": "ES", "translation": "ES"} for cid in site.claims}
    out["confused"] = {fid: {"label": "ES " + f["label"], "meaning": "ES"} for fid, f in site.confused.items()}
    return out


def write(tmp_path, doc) -> Path:
    path = tmp_path / "es.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    return path


def test_complete_translation_localizes_every_text(tmp_path):
    path = write(tmp_path, spanish_stub(SITE))
    es = translations.localize(SITE, translations.load(path, "data/es.yaml", SITE), "data/es.yaml")
    assert es.figures["whole"]["label"] == "ES Apples picked"
    assert es.figures["whole"]["value"] == SITE.figures["whole"]["value"]  # values are never translated
    assert es.figures["part"]["verification"]["note"] == "ES The paper says pears."
    assert es.terms["apple"]["term"] == "manzana"
    assert SITE.figures["whole"]["label"] == "Apples picked"  # the English data is untouched
    assert references.render_plain("{{ whole }}, {{ part.period }}, {{ share_eaten }}", es, formatting.edition("es", "es/")) == (
        "más de 1,000, en mayo de 2024, aproximadamente uno de cada cuatro"
    )


def test_the_localized_edition_is_kept_until_a_data_file_changes(tmp_path):
    """load_localized keeps what load() and localize() gave while every data file is the same;
    a changed es.yaml is read again, checked again (a broken one is refused, not served from the
    cache), and the old copy is gone."""
    import shutil

    data_dir, cache = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(HERE / "test_data" / "data", data_dir)
    doc = spanish_stub(SITE)
    path = write(data_dir, doc)

    def localized():
        return translations.load_localized(path, "data/es.yaml", SITE, cache, "data")

    first = localized()
    assert first.figures["whole"]["label"] == "ES Apples picked"
    [kept] = cache.glob("edition-es-*.pickle")
    kept.write_bytes(kept.read_bytes().replace(b"ES Apples picked", b"KT Apples picked"))  # what a reuse reads
    assert localized().figures["whole"]["label"] == "KT Apples picked"
    doc["figures"]["whole"]["label"] = "ES Manzanas"
    write(data_dir, doc)
    assert localized().figures["whole"]["label"] == "ES Manzanas"
    assert [p.name for p in cache.glob("edition-es-*.pickle")] != [kept.name]
    del doc["figures"]["whole"]["label"]
    write(data_dir, doc)
    with pytest.raises(EditorErrors):
        localized()


def test_missing_translation_names_the_file_line_and_field(tmp_path):
    doc = spanish_stub(SITE)
    del doc["figures"]["part"]["meaning"]
    path = write(tmp_path, doc)
    with pytest.raises(EditorErrors) as caught:
        translations.load(path, "data/es.yaml", SITE)
    (error,) = caught.value.errors
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.strip() == "part:")
    assert error.one_line().startswith(f"data/es.yaml:{line}: figures.part has no translated `meaning`")


def test_missing_record_and_stale_record(tmp_path):
    doc = spanish_stub(SITE)
    del doc["terms"]["apple"]
    doc["events"]["gone"] = {"title": "x", "text": "y"}
    path = write(tmp_path, doc)
    with pytest.raises(EditorErrors) as caught:
        translations.load(path, "data/es.yaml", SITE)
    messages = [e.message for e in caught.value.errors]
    assert "terms.apple has no translation" in messages
    assert "events.gone translates a record that does not exist" in messages


def test_spanish_numbers_and_dates_come_from_babel():
    figure = {"value": 32000, "qualifier": "more than", "as_of": "2024-08-20"}
    # The pages declare es-US: US Spanish groups thousands with a comma and sets % tight.
    spanish = formatting.edition("es", "es/")
    assert spanish.locale == "es_US" and spanish.html_lang == "es-US"
    assert formatting.with_qualifier(figure, spanish) == "más de 32,000"
    assert formatting.ratio_percent(0.65, spanish) == "aproximadamente el 65%"
    assert formatting.date_text("2024-08-20", spanish) == "20 de agosto de 2024"
    assert formatting.period(figure, spanish) == "al 20 de agosto de 2024"


def test_interface_strings_without_translation_are_listed(tmp_path):
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "base.html").write_text('<p>{{ _("Skip to the content") }}</p>\n<p>{{ _("Untranslated words") }}</p>\n')
    po = theme / "translations" / "es" / "LC_MESSAGES"
    po.mkdir(parents=True)
    (po / "messages.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Skip to the content"\nmsgstr "Ir al contenido"\n')
    gaps = i18n.missing(theme, "es", [], display=lambda p: Path(p).name)
    assert ("base.html", 2, "Untranslated words") in gaps
    assert not any(m == "Skip to the content" for _, _, m in gaps)


SPANISH = HERE.parent / "theme" / "translations" / "es" / "LC_MESSAGES" / "messages.po"


def untranslated(found, po: Path) -> list[str]:
    """`file:line: msgid` for each extracted string the catalogue lacks or leaves empty (or fuzzy)."""
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalogue = read_po(handle)
    done = {m.id for m in catalogue if m.id and m.string and "fuzzy" not in m.flags}
    return [f"{path}:{line}: {msgid}" for path, line, msgid in found if msgid not in done]


def test_every_extracted_string_has_its_spanish():
    """Every string Babel extracts (babel.cfg: the templates, and the plugin's t() and N_()) is in es/messages.po."""
    found = i18n.extract_all()
    assert untranslated(found, SPANISH) == []


def test_extraction_finds_the_plugins_and_the_templates_strings():
    """The check above passes vacuously if extraction finds nothing: a few strings of each kind, written out here."""
    found = {(Path(path).name, msgid) for path, _, msgid in i18n.extract_all()}
    assert {
        ("charts.py", "Figure"),  # N_(), a table column chosen before the language is known
        ("macros.html", "Download the data for this chart (CSV)"),  # in a macro the plugin renders too
        ("macros.html", "Sources:"),  # one branch of a choice between two _() calls
        ("macros.html", "Back to the text (%(label)s)"),  # _() with a variable
        ("pelican_plugin.py", "Clarification"),  # state.t(lang, …)
        ("base.html", "Skip to the content"),  # {{ _("…") }}
    } <= found
    # Settings' texts reach t() as variables and are not extracted ("SITENAME" is not a message).
    assert not [m for _, m in found if m.isupper() or m in ("author_name", "")]


def test_a_new_plugin_string_without_spanish_is_caught(tmp_path):
    """Extraction with the project's mapping finds a new t() call, and the check names its file and line."""
    (tmp_path / "plugins" / "figures").mkdir(parents=True)
    (tmp_path / "theme" / "templates").mkdir(parents=True)
    (tmp_path / "plugins" / "figures" / "new.py").write_text('def note(t, lang):\n    return t(lang, "A brand new note")\n')
    (tmp_path / "theme" / "templates" / "x.html").write_text('{{ _("Skip to the content") }}\n{{ _("Emptied") }}\n')
    po = tmp_path / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Skip to the content"\nmsgstr "Ir al contenido"\n\nmsgid "Emptied"\nmsgstr ""\n')
    found = i18n.extract_all(tmp_path)
    assert sorted(untranslated(found, po)) == ["plugins/figures/new.py:2: A brand new note", "theme/templates/x.html:2: Emptied"]


def make_messages(tmp_path) -> dict[str, Path]:
    """Run the Makefile's `messages` recipe's pybabel commands, each writing into tmp_path: {the file it writes: the copy}."""
    import re
    import subprocess
    import sys

    repo = HERE.parent
    recipe = re.search(r"^messages:.*\n(?:\t.*\n)*", (repo / "Makefile").read_text(), re.M).group()
    written = {}
    for command in re.findall(r"pybabel (extract .*)$", recipe, re.M):
        args = command.split()
        target = args[args.index("-o") + 1]
        args[args.index("-o") + 1] = written[target] = str(tmp_path / Path(target).name.replace(".pot", f"-{len(written)}.pot"))
        subprocess.run([str(Path(sys.executable).with_name("pybabel")), *args], cwd=repo, check=True, capture_output=True)
    return {target: Path(copy) for target, copy in written.items()}


def msgids(pot: Path) -> set[str]:
    from babel.messages.pofile import read_po

    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_make_messages_extracts_what_the_tests_check(tmp_path):
    """`make messages` (pybabel, -k t:2 in the Makefile) and i18n.extract_all() find the same strings."""
    written = make_messages(tmp_path)
    assert set(written) == {".cache/messages.pot", "plugins/figures/messages.pot"}
    assert msgids(written[".cache/messages.pot"]) == {msgid for _, _, msgid in i18n.extract_all()}
    assert len(msgids(written[".cache/messages.pot"])) > 50


def test_the_plugins_messages_pot_is_current(tmp_path):
    """The build checks the catalogues against plugins/figures/messages.pot: it must hold what extraction finds now."""
    written = make_messages(tmp_path)["plugins/figures/messages.pot"]
    assert written.read_text() == i18n.PLUGIN_POT.read_text(), "plugins/figures/messages.pot is out of date: run `make messages` and commit it"
    plugin = {msgid for path, _, msgid in i18n.extract_all() if path.startswith("plugins/")}
    assert set(i18n.plugin_strings()) == plugin and len(plugin) > 10


def test_the_build_names_the_catalogue_for_a_missing_plugin_string(tmp_path):
    """A plugin string (no template line to name) without its Spanish: the build names the catalogue to fill in."""
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    po = theme / "translations" / "es" / "LC_MESSAGES"
    po.mkdir(parents=True)
    (po / "messages.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Figure"\nmsgstr "Cifra"\n')
    gaps = i18n.missing(theme, "es", ["Every page"], display=lambda p: str(Path(p).relative_to(tmp_path)))
    assert ("theme/translations/es/LC_MESSAGES/messages.po", None, "Figures at this stage") in gaps
    assert ("theme/translations/es/LC_MESSAGES/messages.po", None, "Every page") in gaps
    assert not [m for _, _, m in gaps if m == "Figure"]


def test_the_builds_template_check_reextracts_when_a_template_changes(tmp_path):
    """The build keeps the templates' strings in a cache: an edited template is extracted again, with its line."""
    theme, cache = tmp_path / "theme", tmp_path / "cache"
    (theme / "templates").mkdir(parents=True)
    template = theme / "templates" / "base.html"
    template.write_text('<p>{{ _("Skip to the content") }}</p>\n')
    assert [g for g in i18n.missing(theme, "es", [], display=lambda p: Path(p).name, cache=cache) if g[0] == "base.html"] == [("base.html", 1, "Skip to the content")]
    assert len(list(cache.glob("interface-strings-*.json"))) == 1
    template.write_text('<p>{{ _("Skip to the content") }}</p>\n<p>{{ _("Added later") }}</p>\n')
    gaps = i18n.missing(theme, "es", [], display=lambda p: Path(p).name, cache=cache)
    assert ("base.html", 2, "Added later") in gaps
    assert len(list(cache.glob("interface-strings-*.json"))) == 1  # the stale entry is gone


def test_real_catalogue_covers_every_template_string():
    import runpy

    repo = HERE.parent
    conf = runpy.run_path(str(repo / "pelicanconf.py"))
    extra = [t for t, _ in conf["MAIN_MENU"] + conf["GUIDE_PAGES"]] + [conf["SITENAME"], conf["SITE_TAGLINE"]]
    assert i18n.missing(repo / "theme", "es", extra, display=str) == []


def test_every_value_a_download_writes_has_its_spanish_word():
    """Qualifiers, verdicts, source kinds: every value the schema allows, in Spanish downloads."""
    from plugins.figures import schema

    figure = schema.FIGURES["properties"]["figures"]["items"]["properties"]
    source = schema.SOURCES["properties"]["sources"]["items"]["properties"]
    values = [*figure["qualifier"]["enum"], *figure["verification"]["properties"]["verdict"]["enum"], *source["kind"]["enum"], "derived", "share"]
    es = formatting.edition("es", "es/")
    words = {v: formatting.value_word(v, es) for v in values}
    assert all(words[v] and words[v] != v for v in values if v != "analysis"), words
    assert words["more than"] == "más de" and words["press_release"] == "comunicado de prensa"
    # English keeps the identifiers as data/ writes them.
    assert [formatting.value_word(v, formatting.edition("en", "")) for v in values] == values


def test_localize_applies_every_field_the_checks_ask_for(tmp_path):
    """One table (translations.SECTIONS) says what load() checks and what localize() shows:
    every translated field given is the one readers get, and texts with references point at the file."""
    doc = spanish_stub(SITE)
    doc["sources"]["paper"]["title"] = "El artículo"  # a field a translation may give
    assert set(doc) == set(translations.SECTIONS)
    path = write(tmp_path, doc)
    es = translations.localize(SITE, translations.load(path, "data/es.yaml", SITE), "data/es.yaml")
    for section, spec in translations.SECTIONS.items():
        for rid, entry in doc[section].items():
            record = getattr(es, spec.records)[rid]
            for key, value in entry.items():
                shown = record["verification"]["note"] if key == "verification_note" else record[key]
                assert shown == value, (section, rid, key)
            if spec.where:
                assert es.where[(spec.where, rid)][0] == "data/es.yaml", (section, rid)
    assert es.sources["paper"]["title_translated"] and not es.sources["report"].get("title_translated")

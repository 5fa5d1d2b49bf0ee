"""JSON Schemas for data/*.yaml, with a hint for editors on every field.

``x-hint`` is ours (jsonschema ignores unknown keywords): it is what the
error message tells the editor to do when that field is wrong.
"""

ID = {
    "type": "string",
    "pattern": "^[a-z][a-z0-9_]*$",
    "x-hint": "use lowercase letters, digits and underscores, starting with a letter, e.g. failed_to_appear",
}
TEXT = {"type": "string", "minLength": 1, "x-hint": "write some text here, or remove the field if it is optional"}
DATE = {
    "type": "string",
    "x-hint": "write the date as YYYY-MM-DD, or YYYY-MM when only the month is known",
}
# Checked further as an address (a host with a dot, no spaces or quotes) by data.address_problem.
URL = {"type": "string", "pattern": "^https://", "x-hint": "write the full address, starting with https://"}
URL_FIELDS = ("url", "summary_url")
MAX_VALUE = 999_999_999_999
YEAR = {"type": "integer", "minimum": 1900, "maximum": 2100, "x-hint": "write a four-digit year, e.g. 2019"}
ID_LIST = {
    "type": "array",
    "items": ID,
    "minItems": 1,
    "x-hint": "list ids in square brackets, e.g. [oig_24_46]",
}

SOURCES = {
    "type": "object",
    "required": ["sources"],
    "additionalProperties": False,
    "properties": {
        "sources": {
            "type": "array",
            "minItems": 1,
            "x-hint": "list sources under `sources:`, each starting with `- id:`",
            "items": {
                "type": "object",
                "required": ["id", "short", "kind", "title", "publisher", "date"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "short": TEXT,
                    "kind": {
                        "enum": ["primary", "news", "analysis", "court", "press_release"],
                        "x-hint": "use one of: primary, news, analysis, court, press_release",
                    },
                    "title": TEXT,
                    "publisher": TEXT,
                    "date": DATE,
                    "url": URL,
                    "summary_url": URL,
                },
            },
        }
    },
}

# A figure's earlier published values (plugins/figures/history.py): shown in its source note and
# the downloads; a value changed since the last commit needs the entry for the value it replaced.
HISTORY_WHY = ("correction", "newer count")
HISTORY = {
    "type": "array",
    "minItems": 1,
    "x-hint": "list earlier values under `history:`, each starting with `- value:`",
    "items": {
        "type": "object",
        "required": ["value", "date", "why", "source"],
        "additionalProperties": False,
        "x-hint": "give each earlier value its `value:`, the `date:` it was replaced, `why:` (correction or newer count) and its `source:`",
        "properties": {
            "value": {
                "type": "integer",
                "exclusiveMinimum": 0,
                "maximum": MAX_VALUE,
                "x-hint": "write the earlier value as it was published, digits only, e.g. 31000",
            },
            "date": {"type": "string", "x-hint": 'write the day the value was replaced on the site, "YYYY-MM-DD"'},
            "why": {"enum": list(HISTORY_WHY), "x-hint": "use one of: correction (it was wrong), newer count (the source counted again)"},
            "source": {**ID, "x-hint": "the id in data/sources.yaml of the source the earlier value came from"},
        },
    },
}

FIGURE_COMMON = {
    "id": ID,
    "label": TEXT,
    "meaning": TEXT,
    "not_meaning": TEXT,
}

FIGURES = {
    "type": "object",
    "required": ["figures"],
    "additionalProperties": False,
    "properties": {
        "figures": {
            "type": "array",
            "minItems": 1,
            "x-hint": "list figures under `figures:`, each starting with `- id:`",
            "items": {
                "type": "object",
                "required": ["id", "value", "qualifier", "unit", "label", "meaning", "sources"],
                "additionalProperties": False,
                "anyOf": [{"required": ["period"]}, {"required": ["as_of"]}],
                "x-hint": "give the figure a `period:` (fiscal_years: [2019, 2023]) or an `as_of:` date",
                "properties": {
                    **FIGURE_COMMON,
                    "value": {
                        "type": "integer",
                        "exclusiveMinimum": 0,
                        # Counts of people: a trillion or more is a typo, and the words,
                        # charts and ratios are only checked up to there.
                        "maximum": MAX_VALUE,
                        "x-hint": "write a whole number above zero with digits only, e.g. 32000 (no commas, dots, quotes or 'k'; below a trillion)",
                    },
                    "qualifier": {
                        "enum": ["more than", "about", "exactly"],
                        "x-hint": "use one of: more than, about, exactly — as the source words it",
                    },
                    "unit": TEXT,
                    "period": {
                        "type": "object",
                        "required": ["fiscal_years"],
                        "additionalProperties": False,
                        "x-hint": "write the period as {fiscal_years: [2019, 2023]}",
                        "properties": {
                            "fiscal_years": {
                                "type": "array",
                                "items": YEAR,
                                "minItems": 2,
                                "maxItems": 2,
                                "x-hint": "give the first and last fiscal year, e.g. [2019, 2023]",
                            }
                        },
                    },
                    "as_of": {
                        "type": "string",
                        "x-hint": "write the date of the count as the source gives it: YYYY-MM-DD, YYYY-MM, or early/mid/late and the year (late 2023) when it gives no month",
                    },
                    "sources": ID_LIST,
                    "quote": TEXT,
                    "part_of": ID,
                    "breakdown": ID_LIST,
                    "history": HISTORY,
                    "verification": {
                        "type": "object",
                        "required": ["verdict", "note"],
                        "additionalProperties": False,
                        "x-hint": "give `verdict:` (matches, differs or unverified) and a `note:`",
                        "properties": {
                            "verdict": {
                                "enum": ["matches", "differs", "unverified"],
                                "x-hint": "use one of: matches, differs, unverified",
                            },
                            "note": TEXT,
                        },
                    },
                },
            },
        },
        "derived": {
            "type": "array",
            "x-hint": "list derived figures under `derived:`, each starting with `- id:`",
            "items": {
                "type": "object",
                "required": ["id", "formula", "show_as", "label", "meaning", "caveat"],
                "additionalProperties": False,
                "properties": {
                    **FIGURE_COMMON,
                    "formula": {
                        "type": "string",
                        "minLength": 1,
                        # A few figures combined; a longer one is a mistake, and one of
                        # thousands of terms would exhaust Python's recursion.
                        "maxLength": 200,
                        "x-hint": "write a few figure ids joined by + - * /, e.g. never_served_nta / transferred_to_hhs",
                    },
                    "show_as": {"enum": ["ratio", "count"], "x-hint": "use ratio (a share, in words) or count (a whole number)"},
                    "caveat": TEXT,
                },
            },
        },
    },
}

STAGE = {
    "type": "object",
    "required": ["name", "text"],
    "additionalProperties": False,
    "x-hint": "give each stage a `name:`, a `text:` and, if any, `figures: [ids]`",
    "properties": {"name": TEXT, "text": TEXT, "figures": ID_LIST},
}

CHARTS = {
    "type": "object",
    "required": ["charts"],
    "additionalProperties": False,
    "properties": {
        "charts": {
            "type": "array",
            "x-hint": "list charts under `charts:`, each starting with `- id:`",
            "items": {
                "type": "object",
                "required": ["id", "kind", "title", "caption", "alt"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "kind": {
                        "enum": ["bars", "columns", "timeline", "flow", "claims"],
                        "x-hint": "use one of the chart kinds: bars, columns, timeline, flow, claims",
                    },
                    "figures": ID_LIST,
                    "claims": {**ID_LIST, "x-hint": "list claim ids from data/claims.yaml, e.g. [vance_debate, noem_senate]"},
                    "events": ID_LIST,
                    "stages": {"type": "array", "items": STAGE, "minItems": 2, "x-hint": "list at least two stages"},
                    "title": TEXT,
                    "caption": TEXT,
                    "alt": TEXT,
                },
            },
        }
    },
}

GLOSSARY = {
    "type": "object",
    "required": ["terms"],
    "additionalProperties": False,
    "properties": {
        "terms": {
            "type": "array",
            "minItems": 1,
            "x-hint": "list terms under `terms:`, each starting with `- id:`",
            "items": {
                "type": "object",
                "required": ["id", "term", "definition"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "term": TEXT,
                    "plural": TEXT,
                    "also_called": {"type": "array", "items": TEXT, "x-hint": "list other names in square brackets, e.g. [NTA]"},
                    "definition": TEXT,
                },
            },
        }
    },
}

TIMELINE = {
    "type": "object",
    "required": ["events"],
    "additionalProperties": False,
    "properties": {
        "events": {
            "type": "array",
            "minItems": 1,
            "x-hint": "list events under `events:`, each starting with `- id:`",
            "items": {
                "type": "object",
                "required": ["id", "date", "title", "text", "sources"],
                "additionalProperties": False,
                "properties": {"id": ID, "date": DATE, "title": TEXT, "text": TEXT, "sources": ID_LIST},
            },
        }
    },
}

# file name (under data/) -> schema. Order matters: later files refer to earlier ones.
FILES = {
    "sources.yaml": SOURCES,
    "figures.yaml": FIGURES,
    "glossary.yaml": GLOSSARY,
    "timeline.yaml": TIMELINE,
    "charts.yaml": CHARTS,
}


# ---- words-house: the corrections log and the house style rules -------------

ISO_DAY = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}$",
    "x-hint": 'write the day the change was published, in quotes, as "YYYY-MM-DD"',
}
SLUG = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "x-hint": "use a page's Slug:, e.g. what-the-watchdog-found"}

CORRECTIONS = {
    "type": "object",
    "required": ["corrections"],
    "additionalProperties": False,
    "properties": {
        "corrections": {
            "type": "array",
            "x-hint": "list corrections under `corrections:`, each starting with `- id:` (or write `corrections: []`)",
            "items": {
                "type": "object",
                "required": ["id", "date", "kind", "pages", "text"],
                "additionalProperties": False,
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$",
                        "x-hint": "use lowercase words joined by hyphens, e.g. neutral-site-name",
                    },
                    "date": ISO_DAY,
                    "kind": {
                        "enum": ["correction", "clarification"],
                        "x-hint": "use correction (we said something wrong) or clarification (imprecise or unsupported wording)",
                    },
                    "pages": {
                        "type": "array",
                        "items": SLUG,
                        "x-hint": "list the slugs of the pages whose statement changed, e.g. [home, glossary]; [] for the whole site",
                    },
                    "text": TEXT,
                },
            },
        }
    },
}

STYLE_RULE = {
    "type": "object",
    "required": ["phrase", "write", "why"],
    "additionalProperties": False,
    "x-hint": "give each rule `phrase:` (a regular expression), `write:` (what to write instead) and `why:`",
    "properties": {
        "phrase": {"type": "string", "minLength": 1, "x-hint": "write a regular expression in single quotes, e.g. '\\bnever served\\b'"},
        "write": TEXT,
        "why": TEXT,
        "unless": {
            "type": "string",
            "minLength": 1,
            "x-hint": "write a regular expression in single quotes that matches the words before the phrase in its sentence when the use is fine, e.g. '\\bnot\\b'",
        },
    },
}

STYLE = {
    "type": "object",
    "required": ["en", "es"],
    "additionalProperties": False,
    "x-hint": "list the rules of each language under `en:` and `es:`",
    "properties": {
        "en": {"type": "array", "items": STYLE_RULE, "x-hint": "list the English rules under `en:`, each starting with `- phrase:`"},
        "es": {"type": "array", "items": STYLE_RULE, "x-hint": "list the Spanish rules under `es:`, each starting with `- phrase:`"},
    },
}

FILES["corrections.yaml"] = CORRECTIONS
FILES["style.yaml"] = STYLE


# ---- claims: what was said since about these figures (data/claims.yaml, plugins/figures/claims.py) ----

CLAIM_DAY = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}$",
    "x-hint": 'write the day it was said, in quotes, as "YYYY-MM-DD"',
}
CLAIMS = {
    "type": "object",
    "required": ["claims", "verdicts", "confused", "period"],
    "additionalProperties": False,
    "properties": {
        "claims": {
            "type": "array",
            "minItems": 1,
            "x-hint": "list claims under `claims:`, each starting with `- id:`",
            "items": {
                "type": "object",
                "required": ["id", "date", "speaker", "role", "venue", "quote", "grade", "sources", "kind", "value"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "date": CLAIM_DAY,
                    "speaker": {**TEXT, "x-hint": "write who said it, as named at the time, e.g. JD Vance"},
                    "role": {**TEXT, "x-hint": "write their role on that day, e.g. Secretary of Homeland Security"},
                    "venue": {**TEXT, "x-hint": "write where it was said, e.g. a Senate Judiciary Committee hearing"},
                    "quote": {**TEXT, "x-hint": "copy the words exactly as the sheet gives them, in double quotes"},
                    "quoted_by": {**ID, "x-hint": "give the id of the source whose quotation we use, e.g. khou_verify_2024_12"},
                    "note": {**TEXT, "x-hint": "write one sentence of context, or remove the field"},
                    "grade": {
                        "enum": ["A", "B"],
                        "x-hint": "use A or B, the sheet's grade; claims graded C stay off the site",
                    },
                    "sources": {**ID_LIST, "x-hint": "list ids from data/sources.yaml in square brackets, e.g. [ap_2024_10_02]"},
                    "kind": {
                        "enum": ["missing", "located"],
                        "x-hint": "use missing (a number said to be missing or lost) or located (a number said to be found)",
                    },
                    "value": {
                        "type": "integer",
                        "exclusiveMinimum": 0,
                        "maximum": MAX_VALUE,
                        "x-hint": "write the number said with digits only, e.g. 320000 (no commas, dots or quotes)",
                    },
                    "qualifier": {
                        "enum": ["more than", "about"],
                        "x-hint": "use more than or about, as the speaker words it (“over 300,000”), or remove the field",
                    },
                    "up_to": {
                        "type": "integer",
                        "exclusiveMinimum": 0,
                        "maximum": MAX_VALUE,
                        "x-hint": "write the top of the range said with digits only, e.g. 80000",
                    },
                    "rests_on": {**ID_LIST, "x-hint": "list the figure ids it rests on, e.g. [never_served_nta, failed_to_appear]"},
                    "how": {
                        "enum": ["sum", "figure"],
                        "x-hint": "use sum (the figures in rests_on added) or figure (one figure standing for the number)",
                    },
                },
            },
        },
        "verdicts": {
            "type": "array",
            "x-hint": "list verdicts under `verdicts:`, each starting with `- by:`",
            "items": {
                "type": "object",
                "required": ["by", "lead", "claims"],
                "additionalProperties": False,
                # A quote, a rating or both: claims.py checks that one is there.
                "properties": {
                    "by": {**ID, "x-hint": "give the id in data/sources.yaml of the fact-checker's page, e.g. politifact_2026_03_05"},
                    "who": {**TEXT, "x-hint": "write the person the source quotes, with their organization, or remove the field"},
                    "lead": {**TEXT, "x-hint": "write the words that introduce the quote, e.g. wrote that such statements"},
                    "quote": {**TEXT, "x-hint": "copy the fact-checker's words exactly as the sheet gives them, in double quotes"},
                    "rating": {**TEXT, "x-hint": "write the rating in the fact-checker's own words, in double quotes, e.g. \"True\""},
                    "claims": {**ID_LIST, "x-hint": "list the ids of the claims it is about, e.g. [vance_debate]"},
                },
            },
        },
        "confused": {
            "type": "array",
            "x-hint": "list the figures often confused with the alert's under `confused:`, each starting with `- id:`",
            "items": {
                "type": "object",
                "required": ["id", "value", "qualifier", "as_of", "label", "meaning", "sources"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "value": {
                        "type": "integer",
                        "exclusiveMinimum": 0,
                        "maximum": MAX_VALUE,
                        "x-hint": "write a whole number with digits only, e.g. 85000",
                    },
                    "qualifier": {
                        "enum": ["more than", "about", "exactly"],
                        "x-hint": "use one of: more than, about, exactly — as the source words it",
                    },
                    "as_of": {**DATE, "x-hint": "write when the source gave the count: YYYY-MM-DD or YYYY-MM"},
                    "label": TEXT,
                    "meaning": TEXT,
                    "sources": ID_LIST,
                },
            },
        },
        "period": {
            "type": "object",
            "required": ["figure", "change", "before", "after", "sources"],
            "additionalProperties": False,
            "x-hint": "give `figure:`, `change:`, `before:`, `after:` and `sources:`",
            "properties": {
                "figure": {**ID, "x-hint": "give the id of the figure whose fiscal years are split, e.g. transferred_to_hhs"},
                "change": {**CLAIM_DAY, "x-hint": 'write the day the presidency changed hands, in quotes, as "YYYY-MM-DD"'},
                "before": {**TEXT, "x-hint": "write the name of the president before that day"},
                "after": {**TEXT, "x-hint": "write the name of the president from that day"},
                "sources": ID_LIST,
            },
        },
    },
}

FILES["claims.yaml"] = CLAIMS
# Files a site may go without (the small test site has no claims).
OPTIONAL_FILES = frozenset({"claims.yaml"})

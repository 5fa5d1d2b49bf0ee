"""The theme's macros (theme/templates/macros.html), rendered from Python.

HTML lives in templates only. Where the plugin itself writes a piece of a page
(a chart's <figure> or the source notes, inside the Markdown of a page), it
renders the same macro the templates call, in a small Jinja environment on the
theme's templates with the options of Pelican's (pelicanconf.JINJA_ENVIRONMENT,
which a test compares): autoescaped, `_()` from the edition's catalogue.
"""

from __future__ import annotations

import functools
from pathlib import Path

from markupsafe import Markup

from . import formatting

# As pelicanconf.JINJA_ENVIRONMENT: the whitespace a macro writes must not depend on who renders it.
OPTIONS = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "extensions": ["jinja2.ext.i18n"]}


@functools.cache
def environment(templates: Path, bytecode_cache=None):
    """`bytecode_cache`: Pelican's (JINJA_ENVIRONMENT), so both compile macros.html once between them."""
    from jinja2 import Environment, FileSystemLoader, pass_context

    env = Environment(loader=FileSystemLoader(str(templates)), bytecode_cache=bytecode_cache, **OPTIONS)

    # The edition being rendered is in the context (`render()` puts it there), as a page is in Pelican's.
    @pass_context
    def gettext(context, message, **variables):
        return context["edition"].gettext(message, **variables)

    @pass_context
    def ngettext(context, singular, plural, n, **variables):
        return context["edition"].gettext(singular if n == 1 else plural, **variables)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters["upper_first"] = formatting.upper_first  # as in Pelican's (pelican_plugin.py)
    return env


@functools.cache
def _caller(templates: Path, macro: str, bytecode_cache):
    return environment(templates, bytecode_cache).from_string(f'{{% from "macros.html" import {macro} with context %}}{{{{ {macro}(*args) }}}}')


def render(templates: Path, edition, macro: str, *args, bytecode_cache=None) -> Markup:
    """`{{ macro(*args) }}` from macros.html, in `edition`'s language."""
    return Markup(_caller(Path(templates), macro, bytecode_cache).render(edition=edition, args=args))

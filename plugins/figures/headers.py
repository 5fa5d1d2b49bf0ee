"""`_headers`: the security policy and cache rules as HTTP headers, for hosts that read the file.

Netlify and Cloudflare Pages read `_headers` at the root of the published folder
(other hosts ignore it; the <meta> tags in base.html still apply there). Every
value comes from the settings, the same ones base.html puts in its <meta> tags.
"""

from __future__ import annotations

from pathlib import Path


def text(settings) -> str:
    csp = settings["CONTENT_SECURITY_POLICY"]
    if settings.get("FRAME_ANCESTORS"):
        csp += f"; frame-ancestors {settings['FRAME_ANCESTORS']}"
    lines = [
        "# Written by the build from pelicanconf.py (see plugins/figures/headers.py). Do not edit.",
        "/*",
        f"  Content-Security-Policy: {csp}",
        f"  Referrer-Policy: {settings['REFERRER_POLICY']}",
        *(f"  {name}: {value}" for name, value in settings.get("HTTP_HEADERS", {}).items()),
    ]
    for path in settings.get("IMMUTABLE_PATHS", []):
        lines += [path, f"  Cache-Control: {settings['IMMUTABLE_CACHE']}"]
    return "\n".join(lines) + "\n"


def write(settings, output: Path) -> None:
    (output / "_headers").write_text(text(settings), encoding="utf-8")

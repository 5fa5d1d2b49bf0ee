"""`_headers`: the security policy and cache rules as HTTP headers, for hosts that read the file.

Netlify and Cloudflare Pages read `_headers` at the root of the published folder
(other hosts ignore it; the <meta> tags in base.html still apply there). Every
value comes from the FIGURES setting (config.py), the same values base.html puts
in its <meta> tags.
"""

from __future__ import annotations

from pathlib import Path


def text(config) -> str:
    csp = config.content_security_policy
    if config.frame_ancestors:
        csp += f"; frame-ancestors {config.frame_ancestors}"
    lines = [
        "# Written by the build from pelicanconf.py (see plugins/figures/headers.py). Do not edit.",
        "/*",
        f"  Content-Security-Policy: {csp}",
        f"  Referrer-Policy: {config.referrer_policy}",
        *(f"  {name}: {value}" for name, value in config.http_headers.items()),
    ]
    for path in config.immutable_paths:
        lines += [path, f"  Cache-Control: {config.immutable_cache}"]
    return "\n".join(lines) + "\n"


def write(config, output: Path) -> None:
    (output / "_headers").write_text(text(config), encoding="utf-8")

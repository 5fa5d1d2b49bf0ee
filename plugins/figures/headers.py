"""`_headers`: the security policy and cache rules as HTTP headers, for hosts that read the file.

Netlify and Cloudflare Pages read `_headers` at the root of the published folder
(other hosts ignore it; the <meta> tags in base.html still apply there). Every
value comes from the FIGURES setting (config.py), the same values base.html puts
in its <meta> tags.

Every page refuses to be framed (`frame_ancestors`), except the embed pages
(`embed_frame_ancestors`). A request matching two rules gets the headers of both:
Cloudflare Pages joins two values of one header with a comma (two policies, both
enforced: framing would stay refused), so the embed rule first detaches the
site-wide policy (`! Content-Security-Policy`, Cloudflare's syntax); Netlify skips
that line (it has no colon) and serves the later rule's value of a header.
"""

from __future__ import annotations

from pathlib import Path


def _policy(config, ancestors: str) -> str:
    return config.content_security_policy + (f"; frame-ancestors {ancestors}" if ancestors else "")


def text(config, embeds=()) -> str:
    """`embeds`: the embed pages' folders ("embed/*/", "es/embed/*/"), as the build writes them."""
    lines = [
        "# Written by the build from pelicanconf.py (see plugins/figures/headers.py). Do not edit.",
        "/*",
        f"  Content-Security-Policy: {_policy(config, config.frame_ancestors)}",
        f"  Referrer-Policy: {config.referrer_policy}",
        *(f"  {name}: {value}" for name, value in config.http_headers.items()),
    ]
    for folder in embeds:
        # One splat, at the end: both hosts match it the same way.
        lines += [f"/{folder.split('*')[0]}*", "  ! Content-Security-Policy", f"  Content-Security-Policy: {_policy(config, config.embed_frame_ancestors)}"]
    for path in config.immutable_paths:
        lines += [path, f"  Cache-Control: {config.immutable_cache}"]
    return "\n".join(lines) + "\n"


def write(config, output: Path, embeds=()) -> None:
    (output / "_headers").write_text(text(config, embeds), encoding="utf-8")

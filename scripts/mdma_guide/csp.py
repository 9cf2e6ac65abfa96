"""A strict Content-Security-Policy for every page, shipped as a <meta> element.

Static hosts such as GitHub Pages cannot send headers, so the policy travels in the page.
Everything is same-origin; the theme's few inline scripts are allowed by their SHA-256
hashes, computed per page because they differ with the page's depth.
"""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
POLICY = (
    "default-src 'none'",
    "script-src 'self' {hashes}",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
)


def policy_for(html: str) -> str:
    hashes = sorted(
        {
            "'sha256-"
            + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            + "'"
            for body in INLINE_SCRIPT.findall(html)
        }
    )
    return "; ".join(POLICY).replace("{hashes}", " ".join(hashes)).replace("  ", " ")


def with_csp(html: str) -> str:
    """The page with its policy as the first element of <head> (after the charset)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return re.sub(
        r"(<meta charset=\"utf-8\">)", lambda m: m.group(1) + "\n  " + meta, html, count=1
    )

"""Uma's sentences on a page: escaped, with the people's words they quote set apart as quotations."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from uma.llm.text import QUOTED

register = template.Library()


@register.filter
def quoting(text: str) -> SafeString:
    """Escape `text`, and mark each “…” quotation (a person's words, never Uma's) as a <q>."""
    parts: list[str] = []
    last = 0
    for match in QUOTED.finditer(text or ""):
        parts.append(escape(text[last : match.start()]))
        parts.append(f'<q class="said" title="Quoted as written">{escape(match.group(0)[1:-1])}</q>')
        last = match.end()
    parts.append(escape((text or "")[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above

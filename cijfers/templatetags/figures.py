"""Numbers on the figures page the way a Dutch reader writes them."""

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def figure(value) -> str:
    """12.5 → "12,5"; None → "–" (nothing to count); other values as they are."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1, use_l10n=True)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


@register.filter
def signed(value) -> str:
    """A change with its sign: "+3", "−2,5", "0"; None → "–"."""
    if value is None:
        return "–"
    text = figure(abs(value))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"\u2212{text}"
    return text


@register.filter
def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, view_name: str, label: str, *also_active: str) -> str:
    """A menu item, marked as the current page on its own view and on the views it stands for."""
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.view_name if match else ""
    if current in (view_name, *also_active):
        return format_html(
            '<li class="nav-item"><a class="nav-link active" aria-current="page" href="{}">{}</a></li>',
            reverse(view_name),
            label,
        )
    return format_html('<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', reverse(view_name), label)

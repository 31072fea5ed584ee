from django import template

from statuspage.api import public_id as make_public_id

register = template.Library()


@register.filter
def public_id(pk: int, kind: str) -> str:
    """`{{ incident.pk|public_id:"incident" }}`: the opaque id the public pages use."""
    return make_public_id(kind, pk)

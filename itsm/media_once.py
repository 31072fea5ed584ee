"""A page's <script> and <link> tags, written once per process for each set of parts.

Django adds up a page's form media from every widget on every request, merges the lists
in order, and asks the static files storage for each file's hashed URL: on the incident
change page (the admin's, the autocomplete widgets', the inlines') about 2 ms of CPU for
the same twenty-odd tags every time. The parts a page is added up from say what it
renders, so the tags are kept by their parts (the language's translation file is one of
them).
"""

from django.forms.widgets import Media
from django.utils.safestring import SafeString

_rendered: dict[str, SafeString] = {}
LIMIT = 256  # distinct sets of parts kept; a handful per admin page in practice


def media_once(media: Media) -> SafeString:
    """`media` as `{{ media }}` renders it, from the parts it was added up from."""
    key = repr((media._css_lists, media._js_lists))
    html = _rendered.get(key)
    if html is None:
        html = media.render()
        if len(_rendered) < LIMIT:
            _rendered[key] = html
    return html

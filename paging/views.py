"""The one-click acknowledge page: GET shows what the link would do, POST does it.

No password is asked: the signed, single-use link is the credential, as in the page it came
in. A GET changes nothing, because mail scanners and chat unfurlers open every link.
"""

import logging

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from incidents.choices import Channel
from paging.answers import page_answer, page_for_token
from paging.links import LinkRefused

logger = logging.getLogger(__name__)
TEMPLATE = "paging/acknowledge.html"


@never_cache
@require_http_methods(["GET", "POST"])
def acknowledge(request, token: str):
    viewer = request.user if request.user.is_authenticated else None
    try:
        page = page_for_token(token, viewer)
    except LinkRefused as exc:
        return _refused(request, str(exc))
    if request.method == "GET":
        return render(request, TEMPLATE, {"page": page, "incident": page.incident})
    try:
        answer = page_answer(page_id=page.pk, via=Channel.PAGE, viewer=viewer)
    except LinkRefused as exc:
        return _refused(request, str(exc))
    logger.info("Page %s answered by link for %s", page.pk, page.incident.number)
    return render(
        request,
        TEMPLATE,
        {"page": page, "incident": page.incident, "done": True, "message": answer.message},
    )


def _refused(request, reason: str):
    return render(request, TEMPLATE, {"refused": reason}, status=400)

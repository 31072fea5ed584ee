"""Attachments are never served as static files: each download checks who is asking."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from incidents.roles import can_work_incidents
from portal import selectors


@login_required
def attachment_download(request, number, pk):
    """A file of an incident the user may see; end users get public files only. Always a
    download (never rendered inline) and never sniffed as another type."""
    incident = selectors.incident_for_user(request.user, number)
    files = incident.attachments.all()
    if not can_work_incidents(request.user):
        files = files.filter(public=True)
    attachment = files.filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such file.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is no longer available.") from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

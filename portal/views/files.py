"""Attachments are never served as static files: each download checks who is asking."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from incidents.downloads import AttachmentMissing, attachment_response
from incidents.roles import can_work_incidents
from portal import selectors


@login_required
def attachment_download(request, number, pk):
    """A file of an incident the user may see; end users get public files only. How it is
    sent (always a download, never sniffed) is `incidents.downloads`."""
    incident = selectors.incident_for_user(request.user, number)
    files = incident.attachments.all()
    if not can_work_incidents(request.user):
        files = files.filter(public=True)
    attachment = files.filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such file.")
    try:
        return attachment_response(attachment)
    except AttachmentMissing as missing:
        raise Http404("The file is no longer available.") from missing

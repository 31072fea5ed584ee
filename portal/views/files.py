"""Attachments are never served as static files: each download checks who is asking."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from incidents.downloads import AttachmentMissing, attachment_response
from incidents.models import Attachment
from portal import selectors


@login_required
def attachment_download(request, number, pk):
    """A file of an incident the user may see, if they may see the file
    (`Attachment.objects.visible_to`). How it is sent (always a download, never sniffed)
    is `incidents.downloads`."""
    incident = selectors.incident_for_user(request.user, number)
    files = Attachment.objects.visible_to(request.user).filter(incident=incident)
    attachment = files.filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such file.")
    try:
        return attachment_response(attachment)
    except AttachmentMissing as missing:
        raise Http404("The file is no longer available.") from missing

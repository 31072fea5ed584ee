"""A service's refusal while the admin saves an object becomes a message, not a 500.

Admins that save through the domain services (`save_model`, `save_formset`) meet the
services' rules as `DomainError`. Django's `changeform_view` runs the whole save in one
transaction, so when the error leaves it nothing of the save is kept; the person is sent
back to the same page with the reason as an error message.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect

from incidents.exceptions import DomainError


class ServiceRefusalsAsMessages:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.path)

"""The public status page and its subscription pages: no login, no internal data.

The pages everybody reloads during an outage are cached (`statuspage.cache`): for visitors
who are not signed in the finished page is shared (per language and time zone); for
everyone the figures are. Subscription pages write through `statuspage.services`.
"""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from incidents.exceptions import DomainError
from itsm.client_ip import client_ip
from statuspage import cache, ratelimit, selectors, services, snapshot
from statuspage.forms import SubscribeForm

STATUS_SECONDS = cache.STATUS_SECONDS


def _variant() -> str:
    return f"{translation.get_language()}:{timezone.get_current_timezone_name()}"


def _shared_page(request, name: str, build):
    """The page from the cache for visitors who are not signed in, else built."""
    if request.user.is_authenticated:
        return build()
    key = f"page:{name}:{_variant()}"
    content, generation = cache.lookup(key)
    if content is None:
        response = build()
        if response.status_code == 200:
            cache.store(key, response.content, generation)
        return response
    return HttpResponse(content)


@require_safe
@cache_control(public=True, max_age=STATUS_SECONDS)
def status_page(request):
    """Every active service with its state and 90 days of uptime, ongoing public incidents
    with the updates the service desk published, and public maintenance."""

    def build():
        context = {"snapshot": snapshot.current(), "refresh": STATUS_SECONDS}
        context["states"] = context["snapshot"].states
        context["as_of"] = context["snapshot"].as_of
        return render(request, "statuspage/page.html", context)

    return _shared_page(request, "status", build)


def _month(value: str, today: date) -> tuple[int, int] | None:
    if not value:
        return today.year, today.month
    try:
        year, month = (int(part) for part in value.split("-", 1))
        first = date(year, month, 1)
    except ValueError:
        return None
    return (year, month) if date(2000, 1, 1) <= first <= today else None


def _neighbours(year: int, month: int, today: date) -> tuple[str, str]:
    before = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    after = f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"
    return before, after if (year, month) < (today.year, today.month) else ""


@require_safe
@cache_control(public=True, max_age=STATUS_SECONDS)
def history(request):
    """Past public incidents with their public updates and public maintenance, one month
    per page (`?month=YYYY-MM`, default this month)."""
    today = timezone.localtime(timezone.now(), selectors.page_zone()).date()
    chosen = _month(request.GET.get("month", ""), today)
    if chosen is None:
        message = _("Choose a month as YYYY-MM, from 2000 up to this month.")
        return render(request, "statuspage/history.html", {"error": message}, status=400)
    year, month = chosen

    def build():
        incidents = cache.remember(
            f"history:{year}-{month}",
            lambda: (
                selectors.history_incidents(year, month),
                selectors.history_maintenance(year, month),
            ),
        )
        before, after = _neighbours(year, month, today)
        context = {
            "incidents": incidents[0],
            "windows": incidents[1],
            "month": date(year, month, 1),
            "before": before,
            "after": after,
            "now": timezone.now(),
        }
        return render(request, "statuspage/history.html", context)

    return _shared_page(request, f"history:{year}-{month}", build)


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """Ask for status mail by address; a confirmation mail follows (double opt-in)."""
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not ratelimit.allow(client=client_ip(request), email=email):
            form.add_error(None, _("Too many requests. Please try again in an hour."))
            return render(request, "statuspage/subscribe.html", {"form": form}, status=429)
        services.subscriber_subscribe(
            email=email,
            all_services=form.cleaned_data["all_services"],
            services=list(form.cleaned_data["services"]),
            language=translation.get_language() or "",
        )
        return render(request, "statuspage/subscribe_sent.html", {"email": email})
    status = 400 if request.method == "POST" else 200
    return render(request, "statuspage/subscribe.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, code: str):
    """GET shows a button (mail scanners open links); POST confirms."""
    try:
        payload = services.read_confirmation(code)
    except DomainError as error:
        return render(request, "statuspage/confirm.html", {"error": str(error)}, status=400)
    if request.method == "GET":
        return render(request, "statuspage/confirm.html", {"all": payload["all"]})
    try:
        services.subscriber_confirm(code=code)
    except DomainError as error:
        return render(request, "statuspage/confirm.html", {"error": str(error)}, status=400)
    return render(request, "statuspage/confirm.html", {"done": True})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """RFC 8058 one-click: a POST (from the mail client, no login, no CSRF token: the token
    in the address is the secret) unsubscribes; a GET shows a button that POSTs."""
    if request.method == "GET":
        return render(request, "statuspage/unsubscribe.html", {"token": token})
    services.subscriber_unsubscribe(token=token)
    return render(request, "statuspage/unsubscribe.html", {"done": True})

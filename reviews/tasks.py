"""Periodic work of reviews: remind owners of overdue action items."""

import logging
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


def _claim(item_ids, today) -> list:
    """Claim each item for today's reminder; an item another run claimed is skipped, so
    two runs at once (or a retry) never remind twice the same day."""
    from reviews.models import ActionItem

    claimed = []
    for pk in item_ids:
        taken = ActionItem.objects.filter(pk=pk).exclude(last_reminded_on=today)
        if taken.update(last_reminded_on=today) == 1:
            claimed.append(pk)
    return claimed


@shared_task
def remind_overdue_action_items() -> int:
    """Hourly (beat): e-mail each owner one message listing their overdue action items,
    at most once a day per item. A failed send releases its claim so the next run retries.
    Returns the number of messages sent."""
    from notifications.emails import make_message
    from profiles.services import reading_as
    from reviews.models import ActionItem
    from reviews.selectors import overdue_action_items

    today = timezone.localdate()
    due = overdue_action_items(today).exclude(last_reminded_on=today).exclude(owner__email="")
    claimed = _claim(list(due.filter(owner__isnull=False).values_list("pk", flat=True)), today)
    items = ActionItem.objects.filter(pk__in=claimed).select_related("owner", "review__incident")
    by_owner = defaultdict(list)
    for item in items.order_by("due_date", "pk"):
        by_owner[item.owner].append(item)
    sent = 0
    for owner, owned in by_owner.items():
        context = {"owner": owner, "items": owned, "today": today, "site_url": settings.SITE_URL}
        try:
            with reading_as(owner):
                make_message("review-actions-overdue", to=owner.email, context=context).send()
            sent += 1
        except Exception:  # SMTP errors vary; release the claim so the next run retries
            logger.exception("Could not remind %s of overdue action items", owner.pk)
            ActionItem.objects.filter(pk__in=[i.pk for i in owned]).update(last_reminded_on=None)
    return sent

"""The Celery application: `celery -A itsm worker` and `celery -A itsm beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")

app = Celery("itsm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def capped_countdown(seconds: float) -> float:
    """A retry's countdown, kept under the broker's visibility timeout. A task waiting for
    its ETA is held unacknowledged by a worker; with Redis, one held longer than the
    visibility timeout is handed to another worker as well (harmless, tasks are idempotent,
    but wasteful), so longer waits are cut to ITSM_TASK_MAX_COUNTDOWN."""
    from django.conf import settings

    return min(seconds, settings.ITSM_TASK_MAX_COUNTDOWN)

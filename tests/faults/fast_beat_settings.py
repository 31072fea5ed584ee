"""The application's settings with every periodic task due each second, so a test sees
many beat runs (two beats racing, the sweeps after an outage) within seconds."""

from itsm.settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": 1.0}
    for name, entry in CELERY_BEAT_SCHEDULE.items()  # noqa: F405
}

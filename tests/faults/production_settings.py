"""The production settings as the fault tests run them under gunicorn. The only change:
static files are served without the manifest `collectstatic` writes, which the tests do
not run."""

from itsm.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

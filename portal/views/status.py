"""The public status page moved to the `statuspage` app; these names stay importable."""

from statuspage.cache import STATUS_SECONDS, status_changed
from statuspage.views import status_page

__all__ = ["STATUS_SECONDS", "status_changed", "status_page"]

"""Settings of the load benchmark: the product's own, plus the two floor views."""

from itsm.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"

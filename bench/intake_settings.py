"""Settings of the intake benchmark: the product's own, plus one bare view to compare with."""

from itsm.settings import *  # noqa: F403

ROOT_URLCONF = "bench.intake_urls"

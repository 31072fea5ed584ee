"""The image's HEALTHCHECK: liveness of the web role (/healthz); other roles have no port.

The same image runs worker and beat, where nothing listens: there the check passes as long
as the container runs (the orchestrator restarts it when its process exits).
"""

import os
import sys
import urllib.request

with open("/proc/1/cmdline", "rb") as cmdline:
    if b"gunicorn" not in cmdline.read():
        sys.exit(0)
url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
try:
    with urllib.request.urlopen(url, timeout=4) as response:  # noqa: S310 - fixed local URL
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)

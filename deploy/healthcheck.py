"""The image's HEALTHCHECK: `healthcheck.py /healthz` asks the web role's liveness probe
(any path may be given, e.g. /readyz); other roles have no port.

The same image runs worker and beat, where nothing listens: there the check passes as long
as the container runs (the orchestrator restarts it when its process exits).
"""

import os
import sys
import urllib.request

with open("/proc/1/cmdline", "rb") as cmdline:
    if b"gunicorn" not in cmdline.read():
        sys.exit(0)
path = sys.argv[1] if len(sys.argv) > 1 else "/healthz"
url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{path}"
try:
    with urllib.request.urlopen(url, timeout=4) as response:  # noqa: S310 - fixed local URL
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)

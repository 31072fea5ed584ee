"""gunicorn settings for the image's `web` role, from the environment."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Heartbeat files in memory: a container's overlay file system can stall under load.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - the container's own shared memory
accesslog = "-"
# The reverse proxy in front sets X-Forwarded-Proto; Django reads it (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
timeout = 60
# On SIGTERM (docker stop, a rolling update) requests in flight get this long to finish.
graceful_timeout = 25
keepalive = 5
# Recycle workers now and then, staggered, to bound slow memory growth.
max_requests = 5000
max_requests_jitter = 500

# One image for every role: web, worker, beat, migrate and manage (README "Deploy").
#   docker build -t itsm .                      (podman build --format docker -t itsm .)
# BASE_IMAGE is any Debian-based image with Python 3.11+ and its venv module; tests build a
# local one (scripts/image-test) because they cannot reach a registry.
ARG BASE_IMAGE=python:3.11-slim-bookworm

# --- build: the virtualenv and the collected static files ------------------------------------
FROM ${BASE_IMAGE} AS build
# Lets the test script remove this stage's image after a build (it is not the product).
LABEL org.itsm.build-stage=1
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/venv
COPY requirements/base.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --quiet --no-compile -r /tmp/requirements.txt \
 # botocore describes every AWS service (~20 MB); attachments need S3 (and STS for roles).
 && cd /opt/venv/lib/python3*/site-packages/botocore/data \
 && find . -mindepth 1 -maxdepth 1 -type d ! -name s3 ! -name sts -exec rm -rf {} + \
 && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} + \
 # Translation sources: only the compiled .mo files are read at run time.
 && find /opt/venv -name '*.po' -delete \
 && rm -rf /opt/venv/lib/python3*/site-packages/pip /opt/venv/lib/python3*/site-packages/pip-* \
      /opt/venv/lib/python3*/site-packages/setuptools /opt/venv/bin/pip*
WORKDIR /app
COPY . /app
# Static files are built in (served by WhiteNoise with hashed names); translations are
# compiled once there are any. The values below only let settings load for these commands.
RUN export DEBUG=0 SECRET_KEY=build-only-not-a-secret DATABASE_URL=sqlite:////tmp/build.sqlite3 \
      ITSM_VAR_DIR=/tmp/itsm-build \
 && /opt/venv/bin/python manage.py collectstatic --no-input -v 0 \
 && if find . -name '*.po' -path '*/locale/*' | grep -q .; then \
      apt-get update -qq && apt-get install -y -qq --no-install-recommends gettext >/dev/null \
      && /opt/venv/bin/python manage.py compilemessages -v 0; fi \
 # The packages' own static folders were collected above and are served from there only.
 && cd /opt/venv/lib/python3*/site-packages \
 && rm -rf rest_framework/static drf_spectacular_sidecar/static django/contrib/*/static \
 && cd /app \
 # Byte-compile once here, so no process compiles at start and /app can stay read-only.
 && /opt/venv/bin/python -m compileall -q -j 0 /opt/venv /app >/dev/null \
 && rm -rf /tmp/itsm-build /tmp/build.sqlite3 \
 # Uploads are private (0640, settings.py), but the code and static files are for everyone.
 && chmod -R a+rX /app

# --- the image: no compilers, no tests, no dev requirements -------------------------------------
FROM ${BASE_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=itsm.settings \
    DEBUG=0 \
    ITSM_VAR_DIR=/var/lib/itsm \
    PORT=8000 \
    WEB_CONCURRENCY=2 \
    GUNICORN_THREADS=4
# A fixed numeric user, so Kubernetes' runAsNonRoot can check it; written directly because a
# minimal Debian base has no useradd.
RUN echo 'itsm:x:10001:10001:ITSM:/var/lib/itsm:/usr/sbin/nologin' >> /etc/passwd \
 && echo 'itsm:x:10001:' >> /etc/group \
 && mkdir -p /var/lib/itsm && chown 10001:10001 /var/lib/itsm
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["python3", "/app/deploy/healthcheck.py", "/healthz"]
ENTRYPOINT ["/app/deploy/entrypoint"]
CMD ["web"]

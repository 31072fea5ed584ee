"""The image test's checks, made through the proxy as a person or a monitoring system would.

Run by scripts/image-test against the compose topology it started (two web containers
behind the proxy over HTTPS, one worker, one beat, PostgreSQL, Redis, the object store and
the mail catcher). Standard library only. Each check prints one line with its duration.
"""

# It opens only the URLs and runs only the podman commands scripts/image-test gave it.
# ruff: noqa: S310, S603, S607
import argparse
import hashlib
import http.cookiejar
import json
import os
import re
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


class Site:
    """A browser-like client for the product behind the proxy: cookies, CSRF, multipart."""

    def __init__(self, base: str, cafile: str):
        self.base = base.rstrip("/")
        context = ssl.create_default_context(cafile=cafile)
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.cookies),
        )
        self.context = context

    def request(self, path, data=None, headers=None, timeout=30):
        url = path if path.startswith("http") else self.base + path
        headers = {"Referer": self.base + "/", "Origin": self.base, **(headers or {})}
        request = urllib.request.Request(url, data=data, headers=headers)
        return self.opener.open(request, timeout=timeout)

    def csrf(self, path) -> str:
        with self.request(path) as response:
            page = response.read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post_form(self, path, fields, files=None):
        token = self.csrf(path)
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrfmiddlewaretoken": token, **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.request(path, data=body, headers={"Content-Type": content_type})


def step(name):
    def wrap(function):
        def run(*args, **kwargs):
            started = time.monotonic()
            result = function(*args, **kwargs)
            print(f"  ok  {name} ({time.monotonic() - started:.1f} s)", flush=True)
            return result

        return run

    return wrap


def podman(*args) -> str:
    return subprocess.run(
        ["podman", *args], check=True, capture_output=True, text=True, timeout=120
    ).stdout


def wait_until(what, check, timeout=180):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except Exception as error:  # anything: not ready yet
            last = error
        else:
            last = None
        if time.monotonic() > deadline:
            raise SystemExit(f"FAIL: {what} (last error: {last})")
        time.sleep(1)


def healthy(container) -> bool:
    """The container's own health check (compose: /readyz) passes now."""
    check = subprocess.run(["podman", "healthcheck", "run", container], capture_output=True)
    return check.returncode == 0


@step("/readyz answers 200 through the proxy")
def check_ready(site):
    def ready():
        with site.request("/readyz", timeout=10) as response:
            return response.status == 200 and json.load(response)["status"] == "ready"

    wait_until("/readyz 200 through the proxy", ready)


@step("signed in to the portal over HTTPS (X-Forwarded-Proto reaches Django)")
def sign_in(site, password):
    with site.post_form("/accounts/login/", {"username": "alice", "password": password}) as page:
        if "/portal/" not in page.url:
            raise SystemExit(f"FAIL: sign-in ended on {page.url}")


@step("a portal report with an attachment is accepted")
def report(site, content) -> tuple[str, str]:
    fields = {
        "title": f"Image test {uuid.uuid4().hex[:8]}",
        "description": "Reported by scripts/image-test through the proxy.",
        "service": "",
        "impact": "low",
        "urgency": "low",
        "confirm_new": "True",
    }
    with site.post_form(
        "/portal/report/", fields, {"attachment": ("evidence.png", content)}
    ) as page:
        match = re.search(r"/portal/incidents/([^/]+)/submitted/", page.url)
        if not match:
            raise SystemExit(f"FAIL: the report ended on {page.url}")
    number = match.group(1)
    with site.request(f"/portal/incidents/{number}/") as page:
        link = re.search(rf"/portal/incidents/{number}/files/\d+/", page.read().decode())
    if not link:
        raise SystemExit("FAIL: the incident page shows no attachment")
    return number, link.group(0)


def download(site, link, expected: str):
    with site.request(link) as response:
        body = response.read()
    if hashlib.sha256(body).hexdigest() != expected:
        raise SystemExit(f"FAIL: {link} returned {len(body)} bytes that differ from the upload")


@step("the file downloads while only the other web container serves (each in turn)")
def download_from_each(site, link, expected, web):
    for stopped in web:
        podman("stop", "-t", "10", stopped)
        for _ in range(4):  # round robin would reach both; only the other one is up
            download(site, link, expected)
        podman("start", stopped)
        wait_until(f"{stopped} healthy again", lambda name=stopped: healthy(name))


@step("the acknowledgement mail was caught")
def acknowledgement_mail(mail_api, number):
    def caught():
        with urllib.request.urlopen(f"{mail_api}/api/v1/messages", timeout=5) as response:
            messages = json.load(response)["messages"]
        return any(
            f"[{number}] Received" in m["Subject"]
            and any(t["Address"] == "alice@example.com" for t in m["To"])
            for m in messages
        )

    wait_until(f"a mail '[{number}] Received' to alice", caught, timeout=120)


@step("an Alertmanager sample is accepted")
def alertmanager(site, web, sample):
    output = podman(
        "exec",
        web,
        "/app/deploy/entrypoint",
        "manage",
        "create_integration",
        "--kind",
        "alertmanager",
        "--name",
        f"image-test-{uuid.uuid4().hex[:6]}",
    )
    token = output.strip().splitlines()[-1]
    with open(sample, "rb") as handle:
        body = handle.read()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(
        site.base + "/api/v1/integrations/alertmanager/", data=body, headers=headers
    )
    with urllib.request.urlopen(request, context=site.context, timeout=30) as response:
        if not 200 <= response.status < 300:
            raise SystemExit(f"FAIL: Alertmanager sample answered {response.status}")


@step("a web container killed during a stream of requests: no failure beyond those in flight")
def kill_during_stream(site, victim, clients=4, seconds=20):
    results, lock, stop = [], threading.Lock(), threading.Event()

    def client():
        while not stop.is_set():
            started = time.monotonic()
            try:
                with site.request("/status/", timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except (urllib.error.URLError, OSError):
                ok = False
            with lock:
                results.append((started, ok))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 3)
    killed_at = time.monotonic()
    podman("kill", victim)
    time.sleep(seconds * 2 / 3)
    stop.set()
    for thread in threads:
        thread.join()
    failures = [t for t, ok in results if not ok]
    print(
        f"      {len(results)} requests, {len(failures)} failed "
        f"(at most {clients} were in flight at the kill)",
        flush=True,
    )
    late = [t for t in failures if t > killed_at + 2]  # started well after the kill
    if len(failures) > clients or late:
        raise SystemExit("FAIL: requests failed beyond those in flight at the kill")
    podman("start", victim)
    wait_until(f"{victim} healthy again", lambda: healthy(victim))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--mail-api", required=True)
    parser.add_argument("--web", nargs=2, required=True)
    parser.add_argument("--sample", required=True)
    args = parser.parse_args()
    site = Site(args.base, args.cafile)
    content = b"\x89PNG\r\n\x1a\n" + os.urandom(200_000)
    expected = hashlib.sha256(content).hexdigest()
    check_ready(site)
    sign_in(site, os.environ.get("ITSM_DEMO_PASSWORD", "itsm-demo-2026"))
    number, link = report(site, content)
    download(site, link, expected)
    download_from_each(site, link, expected, args.web)
    acknowledgement_mail(args.mail_api, number)
    alertmanager(site, args.web[0], args.sample)
    kill_during_stream(site, args.web[1])
    check_ready(site)
    print("All checks passed.")


if __name__ == "__main__":
    sys.exit(main())

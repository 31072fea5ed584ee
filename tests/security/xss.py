"""The stored-XSS corpus, a world of incidents carrying it (entered through every channel),
and a check that a rendered page holds none of it as live markup."""

import json
from html.parser import HTMLParser

# Each payload calls alert() with its own marker, so a page that runs one can be traced.
PAYLOADS = [
    '<script>alert("xss-script")</script>',
    '<img src=x onerror=alert("xss-img")>',
    '<svg/onload=alert("xss-svg")>',
    '"><script>alert("xss-attr-break")</script>',
    "'><img src=x onerror=alert('xss-single-quote')>",
    "<a href=\"javascript:alert('xss-js-link')\">click</a>",
    "<a href=\"JaVaScRiPt:alert('xss-mixed-case')\">click</a>",
    "<a href=\"javascript:javascript:alert('xss-double-scheme')\">click</a>",
    "<a href=\" &#106;avascript:alert('xss-entity')\">click</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">xss-data-url</a>',
    "<iframe src=\"javascript:alert('xss-iframe')\"></iframe>",
    '</textarea></title><script>alert("xss-close-tags")</script>',
    '<details open ontoggle=alert("xss-ontoggle")>',
    '<body onload=alert("xss-body")>',
    "{{ request.user.password }}{% debug %}",
]
MARKDOWN_PAYLOADS = [
    '[md-js](javascript:alert("xss-md-js"))',
    '[md-case](JaVaScRiPt:alert("xss-md-case"))',
    '[md-double](javascript:javascript:alert("xss-md-double"))',
    '[md-space]( javascript:alert("xss-md-space"))',
    "![md-data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '[md-data-link](data:text/html,<script>alert("xss-md-data")</script>)',
    '<a href="vbscript:msgbox(1)">xss-vbscript</a>',
    *PAYLOADS,
]
CORPUS = "\n".join(PAYLOADS)
TITLE = '<img src=x onerror=alert("xss-title")>'
NAME = '<svg onload=alert("xss-name")>'

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc"}
ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:")
DANGEROUS_TAGS = {"iframe", "object", "embed", "frame", "base"}


def _normalise(url: str) -> str:
    """How a browser reads a URL's scheme: control characters and spaces dropped."""
    return "".join(c for c in url if c > " " and c != "\x7f").lower()


def _inert_data_url(tag: str, url: str) -> bool:
    """A raster image or the empty favicon ("data:,"): data the browser never runs."""
    raster = url.startswith(("data:image/png", "data:image/gif", "data:image/jpeg"))
    return tag in ("img", "link") and (raster or url == "data:,")


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>: an event handler")
            url = _normalise(value) if name in URL_ATTRIBUTES else ""
            if url.startswith(ACTIVE_SCHEMES) and not _inert_data_url(tag, url):
                self.problems.append(f"<{tag} {name}={value!r}>: an active URL")
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>: embeds another document")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        self._in_script = tag == "script"
        script = dict(attrs) if tag == "script" else {}
        data_block = script.get("type") in ("application/json", "application/ld+json")
        if script is not None and tag == "script" and not data_block:
            src = script.get("src") or ""
            if not (src.startswith("/") and not src.startswith("//")):
                self.problems.append(f"<script {attrs}>: not a script of our own")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        # Every payload's marker is "xss-<name>"; the hyphen keeps a random CSRF token
        # (letters and digits only) that happens to contain "xss" from matching.
        if self._in_script and data.strip() and "xss-" in data:
            self.problems.append(f"<script>{data[:80]}</script>")


def live_markup(html: str) -> list[str]:
    """What in `html` a browser would run: event handlers, javascript:/data: URLs, inline or
    foreign scripts, frames. Escaped text is not markup and never counts."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def assert_inert(html: str, where: str = "") -> None:
    problems = live_markup(html)
    assert not problems, f"{where}: {problems}"


def alertmanager_payload() -> dict:
    """An Alertmanager delivery with HTML in label names and values and in annotations."""
    labels = {
        "alertname": '<script>alert("xss-alertname")</script>',
        "severity": "critical",
        "instance": '<img src=x onerror=alert("xss-label")>',
        "job": 'javascript:alert("xss-label-url")',
    }
    annotations = {
        "summary": '<svg/onload=alert("xss-summary")>',
        "description": CORPUS,
        "runbook_url": "javascript:alert('xss-runbook-url')",
    }
    return {
        "version": "4",
        "receiver": "itsm",
        "status": "firing",
        "groupKey": '{}:{alertname="<script>"}',
        "groupLabels": {"alertname": labels["alertname"]},
        "commonLabels": labels,
        "commonAnnotations": annotations,
        "externalURL": "javascript:alert('xss-external')",
        "truncatedAlerts": 0,
        "alerts": [
            {
                "status": "firing",
                "labels": labels,
                "annotations": annotations,
                "startsAt": "2026-11-27T04:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "javascript:alert('xss-generator')",
                "fingerprint": "f00d",
            }
        ],
    }


def event_payload() -> str:
    return json.dumps(
        {
            "event_action": "trigger",
            "dedup_key": '<script>alert("xss-dedup")</script>',
            "payload": {
                "summary": '<img src=x onerror=alert("xss-event-summary")>',
                "source": '"><script>alert("xss-source")</script>',
                "severity": "critical",
                "component": NAME,
                "custom_details": {"<b>key</b>": CORPUS},
            },
            "links": [{"href": "javascript:alert('xss-event-link')", "text": TITLE}],
        }
    )

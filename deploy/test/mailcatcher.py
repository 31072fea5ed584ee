"""A mail catcher for the image test: SMTP on 1025, and on 8025 the part of mailpit's API the
test reads (GET /api/v1/messages, newest first; GET /api/v1/message/<ID>)."""

import json
import threading
import time
import uuid
from email import message_from_bytes, policy
from email.utils import getaddresses
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

MESSAGES: list[dict] = []
LOCK = threading.Lock()


class Catch:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        entry = {
            "ID": uuid.uuid4().hex,
            "Subject": str(message.get("Subject", "")),
            "From": {"Address": envelope.mail_from},
            "To": [{"Address": address} for _, address in getaddresses([message.get("To", "")])],
            "Created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "Text": body.get_content() if body is not None else "",
        }
        with LOCK:
            MESSAGES.insert(0, entry)
        return "250 Message accepted"


class Api(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        with LOCK:
            messages = list(MESSAGES)
        if self.path.rstrip("/") == "/api/v1/messages":
            summary = [{k: v for k, v in m.items() if k != "Text"} for m in messages]
            return self._json({"total": len(messages), "messages": summary})
        if self.path.startswith("/api/v1/message/"):
            wanted = self.path.rsplit("/", 1)[-1]
            for message in messages:
                if message["ID"] == wanted:
                    return self._json(message)
        return self._json({"error": "not found"}, status=404)

    def _json(self, data, status=200):
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    Controller(Catch(), hostname="0.0.0.0", port=1025).start()  # noqa: S104 - container
    ThreadingHTTPServer(("0.0.0.0", 8025), Api).serve_forever()  # noqa: S104 - container

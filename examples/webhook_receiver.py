#!/usr/bin/env python3
"""Receives the TradeIn seller API's webhooks and checks each one as the
Standard Webhooks specification says, before trusting a byte of it:

- the signature: base64 HMAC-SHA256, keyed with the endpoint's secret (the
  base64 after `whsec_`), of `webhook-id.webhook-timestamp.body`, compared
  in constant time against each `v1,` signature of `webhook-signature`;
- the timestamp: within five minutes of now, so a captured delivery cannot
  be replayed later;
- the id: a delivery is retried with the same `webhook-id`, so one already
  handled is acknowledged and not handled twice.

    WEBHOOK_SECRET=whsec_... python3 examples/webhook_receiver.py 8088

Prints one line per delivery (`verified evt_12 order.received`, or why it
was refused) and answers 204, or 401 when the checks fail. Standard library
only.
"""

import base64
import hashlib
import hmac
import http.server
import json
import os
import sys
import time

TOLERANCE_SECONDS = 5 * 60
SECRET = base64.b64decode(os.environ["WEBHOOK_SECRET"].removeprefix("whsec_"))
seen = set()


def verify(headers, body, now=None):
    """The event if the delivery is genuine and fresh, else raises ValueError."""
    msg_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    if not msg_id or not timestamp.isdigit():
        raise ValueError("missing webhook-id or webhook-timestamp")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        raise ValueError("timestamp outside the tolerance: a replay?")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(SECRET, signed, hashlib.sha256).digest()).decode()
    for candidate in headers.get("webhook-signature", "").split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return json.loads(body)
    raise ValueError("no valid signature")


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            event = verify(headers, body)
        except ValueError as e:
            print(f"refused: {e}", flush=True)
            self.send_response(401)
            self.end_headers()
            return
        if event["id"] in seen:
            print(f"repeat {event['id']}", flush=True)
        else:
            seen.add(event["id"])
            print(f"verified {event['id']} {event['type']}", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8088
    http.server.HTTPServer(("127.0.0.1", port), Receiver).serve_forever()

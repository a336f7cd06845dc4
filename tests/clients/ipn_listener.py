"""An IPN and LCN listener written from the vendor's documentation, on Python's standard
library: the form's values in the order received, each prefixed with its length in UTF-8
bytes, HMAC'd with the secret key and checked against the three signatures; then the read
receipt (SHA-256). TCO_RECEIPT chooses a misbehaving answer for the retry tests: `none` (HTTP 200
without a receipt), `bad-hash`, or `characters` (lengths in characters, as the Python SDK's helper
counts them: wrong for non-ASCII values). Prints its port, appends a JSON line per message to
TCO_LISTENER_LOG."""

import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

SECRET = os.environ["TCO_SECRET"].encode()
LOG = os.environ["TCO_LISTENER_LOG"]
RECEIPT = os.environ.get("TCO_RECEIPT", "sha256")
SIGNATURES = {"HASH": hashlib.md5, "SIGNATURE_SHA2_256": hashlib.sha256, "SIGNATURE_SHA3_256": hashlib.sha3_256}


def serialize(values):
    if RECEIPT == "characters":
        return "".join(f"{len(value)}{value}" for value in values)
    return "".join(f"{len(value.encode())}{value}" for value in values)


def mac(source, digest):
    return hmac.new(SECRET, source.encode(), digest).hexdigest()


class Listener(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        fields = parse_qsl(body, keep_blank_values=True)
        source = serialize(value for name, value in fields if name not in SIGNATURES)
        given = dict((name, value) for name, value in fields if name in SIGNATURES)
        verified = {name: hmac.compare_digest(mac(source, digest), given.get(name, "")) for name, digest in SIGNATURES.items()}
        first = {}
        for name, value in fields:
            first.setdefault(name, value)
        lcn = "LICENSE_CODE" in first
        date = time.strftime("%Y%m%d%H%M%S", time.gmtime())
        if lcn:
            covered = [first["LICENSE_CODE"], first["EXPIRATION_DATE"], date]
        else:
            covered = [first["IPN_PID[]"], first["IPN_PNAME[]"], first["IPN_DATE"], date]
        receipt_hash = mac(serialize(covered), hashlib.sha256)
        if RECEIPT == "bad-hash":
            receipt_hash = "0" * 64
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({
                "listener": "python",
                "kind": "lcn" if lcn else "ipn",
                "event": first.get("DISPATCH_REASON") if lcn else first.get("ORDERSTATUS"),
                "subject": first.get("LICENSE_CODE") if lcn else first.get("REFNO"),
                "message_id": first.get("MESSAGE_ID"),
                "lines": sum(1 for name, _ in fields if name == "IPN_PID[]"),
                "verified": verified,
            }) + "\n")
        if RECEIPT == "none" or not all(verified.values()):
            answer = "OK" if RECEIPT == "none" else "signature mismatch"
        else:
            answer = f'<sig algo="sha256" date="{date}">{receipt_hash}</sig>'
        status = 200 if all(verified.values()) else 400
        encoded = answer.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(encoded)))
        self.end_headers()
        self.wfile.write(encoded)


server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("TCO_LISTENER_PORT", "0"))), Listener)
print(server.server_address[1], flush=True)
server.serve_forever()

"""What the zeep scripts share: every connection except to the local gateway refused (so the WSDL
must need nothing from elsewhere: the SOAP encoding schema it imports is the gateway's copy), the
gateway and merchant from the environment, a check that stops at the first surprise, and a strict
zeep client with a login."""

import hashlib
import hmac
import os
import socket
import sys
from datetime import datetime, timezone

_connect = socket.socket.connect


def loopback_only(sock, address):
    host = address[0] if isinstance(address, tuple) else address
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise OSError(f"networking is disabled for this process: {address}")
    return _connect(sock, address)


socket.socket.connect = loopback_only

import zeep  # noqa: E402  (after the network guard)

URL = os.environ["TCO_URL"]
CODE = os.environ["TCO_MERCHANT_CODE"]
SECRET = os.environ["TCO_MERCHANT_SECRET"]


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def strict_client():
    client = zeep.Client(f"{URL}/soap/6.0/?wsdl")
    check(client.settings.strict, "zeep runs in strict mode")
    return client


def array(items):
    """A list as zeep sends a SOAP-encoded array (the WSDL's lists are `soapenc:Array`s of `item`s)."""
    return {"item": list(items)}


def items(array_value):
    """A SOAP-encoded array as read: iterable, or None when absent."""
    return list(array_value or [])


def signed_now(digest=hashlib.md5):
    """The login's date and its HMAC with `digest`."""
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    message = f"{len(CODE.encode())}{CODE}{len(date.encode())}{date}".encode()
    return date, hmac.new(SECRET.encode(), message, digest).hexdigest()


def login(service):
    date, hash_ = signed_now()
    return service.login(CODE, date, hash_, zeep.xsd.SkipValue)

"""Checks a hosted cart's return URL as a merchant's return page would, from the vendor's
documentation alone: every query parameter but `signature`, sorted by name, each value (plain,
not URL-encoded) prefixed with its length in UTF-8 bytes, HMAC-SHA256 with the buy-link secret
word. Usage: return_check.py URL SECRET_WORD. Prints the parameters; fails on a mismatch."""

import hashlib
import hmac
import sys
from urllib.parse import parse_qsl, urlsplit

url, word = sys.argv[1], sys.argv[2]
parameters = parse_qsl(urlsplit(url).query, keep_blank_values=True)
given = dict(parameters).get("signature", "")
source = "".join(f"{len(value.encode())}{value}" for name, value in sorted(parameters) if name != "signature")
expected = hmac.new(word.encode(), source.encode(), hashlib.sha256).hexdigest()
print(dict(parameters))
if not hmac.compare_digest(expected, given):
    sys.exit(f"signature mismatch: expected {expected}, got {given}")
print("signature verified")

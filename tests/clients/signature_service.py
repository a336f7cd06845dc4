"""The cart signature service (POST /checkout/api/encrypt/generate/signature) checked from outside:
tokens built by PyJWT and by hand as the SDKs send them, every refusal, and each answer compared
with an independent implementation of the documented algorithm (Python's hmac). Prints
`N passed, N failed` and exits non-zero on any failure."""

import base64
import hashlib
import hmac
import json
import os
import sys
import time

import jwt
import requests

URL = os.environ["TCO_URL"] + "/checkout/api/encrypt/generate/signature"
MERCHANT = os.environ["TCO_MERCHANT_CODE"]
WORD = os.environ["TCO_SECRET_WORD"]
OTHER = os.environ["TCO_OTHER_MERCHANT"]

SIGNED = {"return-url", "return-type", "expiration", "order-ext-ref", "item-ext-ref", "customer-ref",
          "customer-ext-ref", "currency", "prod", "price", "qty", "tangible", "type", "opt", "description",
          "recurrence", "duration", "renewal-price", "lock"}
PRODUCT_MEMBERS = {"price": "price", "tangible": "tangible", "type": "type", "description": "description",
                   "recurrence": "recurrence", "duration": "duration", "renewalPrice": "renewal-price",
                   "externalReference": "item-ext-ref"}

results = {"passed": 0, "failed": 0}


def check(condition, label):
    results["passed" if condition else "failed"] += 1
    print(("ok   " if condition else "FAIL ") + label)


def text(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    return value if isinstance(value, str) else json.dumps(value)


def expected_signature(payload, word=WORD):
    """docs/signature.md, written again: flatten, keep the signed parameters, sort by name, prefix
    each value with its length in bytes, concatenate, HMAC-SHA256 with the secret word."""
    params = {k: text(v) for k, v in payload.items() if k in SIGNED and v is not None}
    products = payload.get("products") or []
    columns = {}
    for index, product in enumerate(products):
        def put(name, value):
            columns.setdefault(name, [""] * len(products))[index] = value
        put("prod", text(product.get("code") or product.get("name")))
        put("qty", text(product.get("quantity", 1)))
        if product.get("options") is not None:
            put("opt", ",".join(text(option) for option in product["options"]))
        for member, name in PRODUCT_MEMBERS.items():
            if product.get(member) is not None:
                put(name, text(product[member]))
    params.update({name: ";".join(values) for name, values in columns.items()})
    message = "".join(str(len(params[name].encode())) + params[name] for name in sorted(params))
    return hmac.new(word.encode(), message.encode(), hashlib.sha256).hexdigest()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_built(claims, word=WORD, alg="HS512"):
    """A JWT as the .NET and Python SDKs build it: claims with string iat/exp, signed by hand."""
    header = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    digest = hashlib.sha512 if alg == "HS512" else hashlib.sha256
    signature = hmac.new(word.encode(), f"{header}.{body}".encode(), digest).digest()
    return f"{header}.{body}.{b64(signature)}"


def post(token, payload, raw=None):
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token is not None:
        headers["merchant-token"] = token
    return requests.post(URL, data=raw if raw is not None else json.dumps(payload), headers=headers, timeout=10)


now = int(time.time())
pyjwt_token = jwt.encode({"sub": MERCHANT, "iat": now, "exp": now + 1800}, WORD, algorithm="HS512")
string_token = hand_built({"sub": MERCHANT, "iat": str(now - 10), "exp": str(now + 3600)})
no_exp_token = jwt.encode({"sub": MERCHANT, "iat": now - 5}, WORD, algorithm="HS512")

payloads = [
    {"merchant": MERCHANT, "currency": "USD", "lock": 1, "products": [{"code": "74B8E17CC0", "quantity": 3}]},
    {"merchant": MERCHANT, "currency": "USD", "expiration": 2524608000, "products": [{"code": "74B8E17CC0"}]},
    {"merchant": MERCHANT, "currency": "EUR", "products": [{"code": "A", "quantity": 2, "options": ["o1", "o2"]},
                                                         {"code": "B"}], "src": "phpLibrary", "test": 1},
    {"merchant": MERCHANT, "dynamic": 1, "currency": "USD", "return-url": "https://shop.example/thanks?a=1&b=é",
     "return-type": "redirect", "order-ext-ref": "ORD-7", "customer-ref": 42,
     "products": [{"name": "Dynamic thing", "price": 9.5, "tangible": True, "type": "PRODUCT",
                   "recurrence": "1:MONTH", "duration": "12:MONTH", "renewalPrice": 8,
                   "externalReference": "ext-1"}],
     "billing_address": {"name": "Ada", "country": "US"}, "mode": "DYNAMIC"},
    {"merchant": MERCHANT, "currency": "USD"},
    {"currency": "GBP", "lock": True, "products": [{"code": "X", "quantity": "4"}]},
]

for index, payload in enumerate(payloads):
    for name, token in [("PyJWT", pyjwt_token), ("string iat/exp", string_token), ("no exp", no_exp_token)]:
        response = post(token, payload)
        ok = response.status_code == 200 and response.json().get("signature") == expected_signature(payload)
        check(ok, f"payload {index} with a {name} token: {response.status_code} {response.text[:90]}")
signature = post(pyjwt_token, payloads[0]).json()["signature"]
check(len(signature) == 64 and signature == signature.lower(), "64 lowercase hex digits")
check(post(pyjwt_token, payloads[0]).json()["signature"] == signature, "the same payload, the same signature")
check(requests.post(URL + "/", data=json.dumps(payloads[0]),
                    headers={"merchant-token": pyjwt_token, "Content-Type": "application/json"},
                    timeout=10).json().get("signature") == signature, "a trailing slash is the same endpoint")

refusals = [
    ("no token", None),
    ("not a JWT", "abc"),
    ("a wrong secret", jwt.encode({"sub": MERCHANT, "iat": now}, "not-the-word", algorithm="HS512")),
    ("HS256 instead of HS512", hand_built({"sub": MERCHANT, "iat": now}, alg="HS256")),
    ("a future iat", jwt.encode({"sub": MERCHANT, "iat": now + 120, "exp": now + 600}, WORD, algorithm="HS512")),
    ("an expired exp", jwt.encode({"sub": MERCHANT, "iat": now - 600, "exp": now - 60}, WORD, algorithm="HS512")),
    ("no exp, issued over 30 minutes ago", jwt.encode({"sub": MERCHANT, "iat": now - 1900}, WORD, algorithm="HS512")),
    ("no iat", jwt.encode({"sub": MERCHANT, "exp": now + 600}, WORD, algorithm="HS512")),
    ("no sub", jwt.encode({"iat": now}, WORD, algorithm="HS512")),
    ("another merchant's sub", jwt.encode({"sub": OTHER, "iat": now}, WORD, algorithm="HS512")),
    ("an unknown merchant", jwt.encode({"sub": "NOBODY", "iat": now}, WORD, algorithm="HS512")),
]
for label, token in refusals:
    response = post(token, payloads[0])
    body = response.json()
    check(response.status_code == 401 and body.get("error_code") == "INVALID_MERCHANT_TOKEN" and body.get("message"),
          f"401 for {label}: {response.status_code} {response.text[:100]}")

foreign = dict(payloads[0], merchant=OTHER)
response = post(pyjwt_token, foreign)
check(response.status_code == 401, f"401 for a payload of another merchant: {response.status_code}")

malformed = [
    ("a body that is not JSON", "{not json"),
    ("a JSON array", "[1, 2]"),
    ("products not a list", json.dumps({"products": {"code": "A"}})),
    ("a product without a code", json.dumps({"products": [{"quantity": 1}]})),
    ("a zero quantity", json.dumps({"products": [{"code": "A", "quantity": 0}]})),
    ("an object as currency", json.dumps({"currency": {"code": "USD"}})),
]
for label, raw in malformed:
    response = post(pyjwt_token, None, raw=raw)
    check(response.status_code == 400 and response.json().get("error_code") == "MALFORMED_REQUEST",
          f"400 for {label}: {response.status_code} {response.text[:100]}")

print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)

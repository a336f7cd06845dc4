"""REST from Python with requests: create, read, update and search a customer, signing every
request with X-Avangate-Authentication. Run: python examples/python/rest_requests.py."""

import hashlib
import hmac
import os
from datetime import datetime, timezone

import requests

BASE = os.environ.get("TCO_URL", "http://127.0.0.1:8080") + "/rest/6.0"
CODE, SECRET = "TCODEMO", "tco-demo-secret"


def headers():
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    digest = hmac.new(SECRET.encode(), f"{len(CODE)}{CODE}{len(date)}{date}".encode(), hashlib.sha3_256).hexdigest()
    auth = f'code="{CODE}" date="{date}" hash="{digest}" algo="sha3-256"'
    return {"X-Avangate-Authentication": auth, "Accept": "application/json"}


customer = {"FirstName": "Katherine", "LastName": "Johnson", "Address1": "1 Langley Blvd", "City": "Hampton",
            "Zip": "23681", "CountryCode": "US", "Email": "katherine@example.com"}
response = requests.post(f"{BASE}/customers/", json=customer, headers=headers(), timeout=10)
response.raise_for_status()
reference = response.json()
print(f"created customer {reference}")

existing = requests.get(f"{BASE}/customers/{reference}/", headers=headers(), timeout=10).json()
existing["City"] = "Newport News"
requests.put(f"{BASE}/customers/{reference}/", json=existing, headers=headers(), timeout=10).raise_for_status()

found = requests.get(f"{BASE}/customers/", params={"Email": "katherine@example.com"}, headers=headers(), timeout=10)
found.raise_for_status()
print(f"found {found.json()['Pagination']['Count']} customer(s), city {found.json()['Items'][0]['City']}")

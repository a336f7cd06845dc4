"""The vendor's JSON-RPC flow from Python, with requests and jsonrpcclient: login,
createCustomer, getCustomerInformation, updateCustomerInformation, then a batch mixing a
success, an error and a notification. Exits non-zero on the first surprise."""

import hashlib
import hmac
import os
import sys
from datetime import datetime, timezone

import requests
from jsonrpcclient import Error, Ok, notification, parse, request

URL = os.environ["TCO_RPC_URL"]
CODE = os.environ["TCO_MERCHANT_CODE"]
SECRET = os.environ["TCO_MERCHANT_SECRET"]


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def call(method, *params):
    response = requests.post(URL, json=request(method, params=params), timeout=10)
    return parse(response.json())


date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
message = f"{len(CODE.encode())}{CODE}{len(date.encode())}{date}"
digest = hmac.new(SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()
login = call("login", CODE, date, digest, "sha256")
check(isinstance(login, Ok), f"login with sha256: {login}")
session = login.result

customer = {
    "AvangateCustomerReference": None, "ExternalCustomerReference": f"PY{os.getpid()}",
    "FirstName": "Grace", "LastName": "Hopper", "Company": None, "FiscalCode": None,
    "Address1": "1 Navy Way", "Address2": None, "City": "Arlington", "State": "Virginia",
    "Zip": "22201", "CountryCode": "US", "Phone": None, "Fax": None, "Email": "grace@example.com",
    "ExistingCards": None, "Enabled": None, "Trial": None, "Language": "en",
}
created = call("createCustomer", session, customer)
check(isinstance(created, Ok) and isinstance(created.result, int), f"createCustomer: {created}")
reference = created.result

read = call("getCustomerInformation", session, reference)
check(isinstance(read, Ok) and read.result["ExternalCustomerReference"] == customer["ExternalCustomerReference"],
      "getCustomerInformation by reference")
check(read.result["CountryCode"] == "us", "CountryCode lowercase")

changed = dict(read.result, City="Washington")
updated = call("updateCustomerInformation", session, changed, True)
check(isinstance(updated, Ok) and updated.result is True, "updateCustomerInformation returns true")

batch = [
    request("getCustomerInformation", params=(session, 0, customer["ExternalCustomerReference"])),
    request("getCustomerInformation", params=(session, 1)),
    notification("searchCustomers", params=(session,)),
]
answers = list(parse(requests.post(URL, json=batch, timeout=10).json()))
check(len(answers) == 2, f"a batch answers its two calls, not the notification: {answers}")
found = [answer for answer in answers if isinstance(answer, Ok)]
failed = [answer for answer in answers if isinstance(answer, Error)]
check(len(found) == 1 and found[0].result["City"] == "Washington", "the batch's success sees the update")
check(len(failed) == 1 and failed[0].data == {"error_code": "NOT_FOUND_CUSTOMER"}, f"the batch's error: {failed}")

expired = call("searchCustomers", "no-such-session")
check(isinstance(expired, Error) and expired.code == 10001, f"invalid session is 10001: {expired}")
print("Python JSON-RPC flow passed")

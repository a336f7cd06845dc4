"""SOAP from Python with zeep: log in, then create, read, update and search a customer.
Run: python examples/python/soap_zeep.py (pip install zeep)."""

import hashlib
import hmac
import os
from datetime import datetime, timezone

import zeep

URL = os.environ.get("TCO_URL", "http://127.0.0.1:8080")
CODE, SECRET = "TCODEMO", "tco-demo-secret"

client = zeep.Client(f"{URL}/soap/6.0/?wsdl")
date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
digest = hmac.new(SECRET.encode(), f"{len(CODE)}{CODE}{len(date)}{date}".encode(), hashlib.sha256).hexdigest()
session = client.service.login(CODE, date, digest, "sha256")

Customer = client.get_type("ns0:Customer")
customer = Customer(FirstName="Grace", LastName="Hopper", Address1="1 Navy Way", City="Arlington",
                    Zip="22201", CountryCode="US", Email="grace@example.com")
reference = client.service.createCustomer(session, customer)
print(f"created customer {reference}")

existing = client.service.getCustomerInformation(session, reference, zeep.xsd.SkipValue)
existing.City = "Washington"
client.service.updateCustomerInformation(session, existing, False)

found = client.service.searchCustomers(session, {"Email": "grace@example.com"})
print(f"found {found.Pagination.Count} customer(s), city {found.Items[0].City}")

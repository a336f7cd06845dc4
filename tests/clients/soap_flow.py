"""The SOAP flow from Python with zeep in its default strict mode, offline: every connection
except to the local gateway is refused, so the WSDL must be self-contained. Exits non-zero on
the first surprise."""

import hashlib
import os

from offline_zeep import CODE, check, items, login, signed_now, strict_client  # first: it refuses every connection but the gateway's

import zeep  # noqa: E402
from zeep.exceptions import Fault  # noqa: E402

client = strict_client()
service = client.service

session = login(service)
check(isinstance(session, str) and len(session) == 40, "login (md5, algo left out)")
session = service.login(CODE, *signed_now(hashlib.sha3_256), "sha3-256")
check(len(session) == 40, "login (sha3-256)")

Customer = client.get_type("ns0:Customer")
external = f"ZEEP{os.getpid()}"
customer = Customer(
    ExternalCustomerReference=external, FirstName="Grace", LastName="Hopper", Address1="1 Navy Way",
    City="Arlington", State="Virginia", Zip="22201", CountryCode="US", Email="grace@example.com", Language="en",
)
reference = service.createCustomer(session, customer)
check(isinstance(reference, int), f"createCustomer returns {reference}")

read = service.getCustomerInformation(session, reference, zeep.xsd.SkipValue)
check(read.ExternalCustomerReference == external and read.CountryCode == "us", "getCustomerInformation by internal")
read = service.getCustomerInformation(session, 0, external)
check(read.AvangateCustomerReference == str(reference), "getCustomerInformation by external")
check(items(read.ExistingCards) == [] and read.Enabled is False and read.Company is None, "empty cards, inactive, null company")

read.City = "Washington"
read.Credit = client.get_type("ns0:CustomerCredit")(Limit=51.0, Remaining=21.0, Currency="EUR")
check(service.updateCustomerInformation(session, read, True) is True, "updateCustomerInformation")
found = service.searchCustomers(session, {"Email": "GRACE@example.com", "Pagination": {"Page": 1, "Limit": 10}})
check(found.Pagination.Count == 1 and found.Items[0].City == "Washington", "searchCustomers sees the update")
check(found.Items[0].Credit.Currency == "EUR" and found.Items[0].Credit.Limit == 51.0, "the credit is stored")

link = service.getSingleSignOnInCart(session, external, "ExternalCustomerReference", "https://shop.example/cart", 60, "")
check("logintoken=" in link, "getSingleSignOnInCart")
token = link.split("logintoken=")[1]
check(service.getCustomerInformationBySSOToken(session, token).AvangateCustomerReference == str(reference),
      "getCustomerInformationBySSOToken")

try:
    service.searchCustomers("not-a-session", zeep.xsd.SkipValue)
    check(False, "an invalid session raises a Fault")
except Fault as fault:
    check(fault.code == "INVALID_SESSION", f"Fault code INVALID_SESSION ({fault.message})")
print("zeep SOAP flow passed")

"""The catalog and order operations from Python with zeep in strict mode, offline: every new answer must
parse against the generated WSDL. Exits non-zero on the first surprise."""

from decimal import Decimal

from offline_zeep import array, check, items, login, strict_client  # first: it refuses every connection but the gateway's

import zeep  # noqa: E402
from zeep.exceptions import Fault  # noqa: E402

client = strict_client()
service = client.service
session = login(service)

currencies = service.getAvailableCurrencies(session, zeep.xsd.SkipValue, zeep.xsd.SkipValue)
check([c.Code for c in currencies] == ["USD", "EUR", "GBP"], "getAvailableCurrencies")
check(currencies[0].ISO3DigitCode == "840" and currencies[0].Decimals == "2", "ISO3DigitCode and Decimals are strings")

check(service.addProductGroup(session, {"Name": "Zeep group", "Description": "from zeep"}) is True, "addProductGroup")
groups = service.getProductGroups(session)
check(len(groups) == 1 and groups[0].Name == "Zeep group" and len(groups[0].Code) == 10, "getProductGroups")
group = service.getProductGroup(session, groups[0].Code)
check(group.TemplateName == "Default Template" and group.Enabled is True, "getProductGroup")
group.Enabled = False
check(service.updateProductGroup(session, group) is True, "updateProductGroup")

users = {"Code": "ZUSERS", "Name": "Users", "Type": "INTERVAL", "Required": True, "Options": array([
    {"Code": "U5", "Name": "1-5", "ScaleMin": 1, "ScaleMax": 5},
    {"Code": "U10", "Name": "6-10", "ScaleMin": 6, "ScaleMax": 10,
     "PriceImpact": {"Impact": "ADD", "Method": "FIXED", "Amounts": array([{"Currency": "USD", "Amount": Decimal("10.50")}])}},
])}
check(service.addPriceOptionGroup(session, users) is True, "addPriceOptionGroup")
options = service.getPriceOptionGroup(session, "ZUSERS")
check(options.Options[1].PriceImpact.Amounts[0].Amount == Decimal("10.5"), "option amounts are decimals")

product = {
    "ProductCode": "ZEEP1", "ProductName": "Zeep plan", "ProductGroupCode": group.Code,
    "SubscriptionInformation": {"BillingCycle": 1, "BillingCycleUnits": "M"},
    "PricingConfigurations": array([{"Name": "Standard", "DefaultCurrency": "USD",
                                     "Prices": {"Regular": array([{"Amount": Decimal("49.99"), "Currency": "USD"}])},
                                     "PriceOptions": array([{"Code": "ZUSERS", "Required": True}])}]),
}
check(service.addProduct(session, product) is True, "addProduct")
read = service.getProductByCode(session, "ZEEP1")
check(read.GroupName == "Zeep group" and read.PricingConfigurations[0].Prices.Regular[0].Amount == Decimal("49.99"),
      "getProductByCode")
check(service.getProductById(session, read.AvangateId).ProductCode == "ZEEP1", "getProductById")
read.ProductName = "Zeep plan, renamed"
check(service.updateProduct(session, read) is True, "updateProduct")
found = service.searchProducts(session, {"Name": "renamed", "Pagination": {"Page": 1, "Limit": 10}})
check(found.Pagination.Count == 1 and found.Items[0].ProductCode == "ZEEP1", "searchProducts")
check([g.Code for g in service.getAssignedPriceOptionGroups(session, "ZEEP1")] == ["ZUSERS"], "getAssignedPriceOptionGroups")
check(service.assignProductGroup(session, "ZEEP1", group.Code) is True, "assignProductGroup")

# An rpc part cannot be declared nillable: zeep reads the nil answer as an empty schema.
none = service.getProductUpgradeSchema(session, "ZEEP1")
check(none is None or (none.UpgradeSettings is None and not none.AllowUpgradeFrom), f"getProductUpgradeSchema without one is nil: {none}")
schema = {"UpgradeSettings": {"PricingScheme": 1, "SubscriptionUpgradeType": 3, "UseProductCatalogPricing": False},
          "AllowUpgradeFrom": array(["ZEEP1"])}
stored = service.setProductUpgradeSchema(session, "ZEEP1", schema)
check(stored.UpgradeSettings.SubscriptionUpgradeType == 3 and items(stored.AllowUpgradeFrom) == ["ZEEP1"], "setProductUpgradeSchema")
check(service.getProductUpgradeSchema(session, "ZEEP1").UpgradeSettings.PricingScheme == 1, "getProductUpgradeSchema")

try:
    service.getProductByCode(session, "NOPE")
    check(False, "an unknown product raises a Fault")
except Fault as fault:
    check(fault.code == "PRODUCT_NOT_FOUND", f"Fault code PRODUCT_NOT_FOUND ({fault.message})")

# Orders: the Order answer, with its items, prices and subscriptions, parses strictly.
billing = {"FirstName": "Zed", "LastName": "Zeep", "Email": "zed@example.com", "Address1": "1 Python Way",
           "City": "Amsterdam", "Zip": "1011", "CountryCode": "NL"}
order = {"Currency": "usd", "Items": array([{"Code": "ZEEP1", "Quantity": 1, "PriceOptions": array(["U10"])}]),
         "BillingDetails": billing,
         "PaymentDetails": {"Type": "TEST", "Currency": "usd", "PaymentMethod": {
             "CardNumber": "4111111111111111", "ExpirationMonth": "12", "ExpirationYear": "2030", "HolderName": "Zed Zeep",
             "RecurringEnabled": True}}}
placed = service.placeOrder(session, order)
# zeep reads a nil complex element as an object of nils, as with the nil upgrade schema above.
check(len(placed.RefNo) == 9 and placed.Status == "AUTHRECEIVED" and placed.Errors.CARD_PAYMENT_ERROR is None, "placeOrder")
check(placed.Items[0].Price.UnitNetPrice == Decimal("60.49") and placed.GrossPrice == Decimal("60.49"),
      "order prices are decimals, the option's impact included")
check(len(placed.Items[0].ProductDetails.Subscriptions[0].SubscriptionReference) == 10, "the order's subscription")
check(placed.PaymentDetails.PaymentMethod.LastDigits == "1111" and placed.PaymentDetails.PaymentMethod.CardNumber is None,
      "only the card's last digits are answered")
check(service.getOrder(session, placed.RefNo) == placed, "getOrder")
check(service.isValidOrderReference(session, placed.RefNo) is True, "isValidOrderReference")
reuse = dict(order, BillingDetails={"Email": "ZED@example.com"},
             PaymentDetails={"Type": "PREVIOUS_ORDER", "PaymentMethod": {"RefNo": placed.RefNo}})
again = service.placeOrder(session, reuse)
check(again.BillingDetails.City == "Amsterdam" and again.PaymentDetails.PaymentMethod.RefNo == placed.RefNo,
      "placeOrder with PREVIOUS_ORDER")
declined = dict(order, PaymentDetails=dict(order["PaymentDetails"], PaymentMethod=dict(
    order["PaymentDetails"]["PaymentMethod"], CardNumber="4000000000000002")))
pending = service.placeOrder(session, declined)
check(pending.Status == "PENDING" and pending.Errors.CARD_PAYMENT_ERROR.startswith("Couldn't"), "a declined card")
try:
    service.getOrder(session, "123456789")
    check(False, "an unknown order raises a Fault")
except Fault as fault:
    check(fault.code == "ORDER_NOT_FOUND", f"Fault code ORDER_NOT_FOUND ({fault.message})")
print("zeep catalog and order flow passed")

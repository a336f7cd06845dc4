#!/usr/bin/env bash
# JSON-RPC with curl: log in, then create, read, update and search a customer.
set -euo pipefail
URL=${TCO_URL:-http://127.0.0.1:8080}/rpc/6.0/
CODE=${TCO_MERCHANT_CODE:-TCODEMO}
SECRET=${TCO_MERCHANT_SECRET:-tco-demo-secret}

rpc() { curl -sS --fail-with-body "$URL" -H 'Content-Type: application/json' -H 'Accept: application/json' -d "$1"; }

DATE=$(date -u '+%Y-%m-%d %H:%M:%S')
HASH=$(printf '%s' "${#CODE}${CODE}${#DATE}${DATE}" | openssl dgst -md5 -hmac "$SECRET" | sed 's/^.*= //')
SESSION=$(rpc "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"login\",\"params\":[\"$CODE\",\"$DATE\",\"$HASH\"]}" \
  | sed 's/.*"result":"\([0-9a-f]*\)".*/\1/')
EXT="RPC-EXAMPLE-$$"
# customer CITY [REFERENCE]: the customer object, naming itself when a reference is given.
customer() {
  echo "{${2:+\"AvangateCustomerReference\":$2,}\"ExternalCustomerReference\":\"$EXT\",\"FirstName\":\"Ada\",
    \"LastName\":\"Lovelace\",\"Address1\":\"12 St James's Square\",\"City\":\"$1\",\"Zip\":\"SW1Y 4JH\",
    \"CountryCode\":\"GB\",\"Email\":\"ada@example.com\",\"Language\":\"en\"}"
}
REF=$(rpc "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"createCustomer\",\"params\":[\"$SESSION\",$(customer London)]}" \
  | sed 's/.*"result":\([0-9]*\).*/\1/')
echo "created customer $REF"
rpc "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"getCustomerInformation\",\"params\":[\"$SESSION\",0,\"$EXT\"]}"
echo
rpc "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"updateCustomerInformation\",\"params\":[\"$SESSION\",$(customer Cambridge "$REF"),false]}"
echo
rpc "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"searchCustomers\",\"params\":[\"$SESSION\",{\"Email\":\"ada@example.com\"}]}"
echo

#!/usr/bin/env bash
# Log in over JSON-RPC, then create and read a customer, with curl.
set -euo pipefail
URL=${TCO_URL:-http://127.0.0.1:8080}/rpc/6.0/
CODE=${TCO_MERCHANT_CODE:-TCODEMO}
SECRET=${TCO_MERCHANT_SECRET:-tco-demo-secret}

rpc() { curl -sS --fail-with-body "$URL" -H 'Content-Type: application/json' -H 'Accept: application/json' -d "$1"; }

DATE=$(date -u '+%Y-%m-%d %H:%M:%S')
HASH=$(printf '%s' "${#CODE}${CODE}${#DATE}${DATE}" | openssl dgst -md5 -hmac "$SECRET" | sed 's/^.*= //')
SESSION=$(rpc "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"login\",\"params\":[\"$CODE\",\"$DATE\",\"$HASH\"]}" \
  | sed 's/.*"result":"\([0-9a-f]*\)".*/\1/')
rpc "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"createCustomer\",\"params\":[\"$SESSION\",
     {\"ExternalCustomerReference\":\"RPC-EXAMPLE-$$\",\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\",
      \"Address1\":\"12 St James's Square\",\"City\":\"London\",\"Zip\":\"SW1Y 4JH\",\"CountryCode\":\"GB\",
      \"Email\":\"ada@example.com\",\"Language\":\"en\"}]}"
echo
rpc "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"getCustomerInformation\",\"params\":[\"$SESSION\",0,\"RPC-EXAMPLE-$$\"]}"
echo

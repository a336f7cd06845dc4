#!/usr/bin/env bash
# REST with curl: create, read, update and search a customer, signing each request with openssl.
set -euo pipefail
BASE=${TCO_URL:-http://127.0.0.1:8080}
CODE=${TCO_MERCHANT_CODE:-TCODEMO}
SECRET=${TCO_MERCHANT_SECRET:-tco-demo-secret}

# X-Avangate-Authentication: HMAC-MD5 of len(code)+code+len(date)+date, keyed with the secret.
auth() {
  local date hash
  date=$(date -u '+%Y-%m-%d %H:%M:%S')
  hash=$(printf '%s' "${#CODE}${CODE}${#date}${date}" | openssl dgst -md5 -hmac "$SECRET" | sed 's/^.*= //')
  echo "X-Avangate-Authentication: code=\"$CODE\" date=\"$date\" hash=\"$hash\""
}

REF=$(curl -sS --fail-with-body -X POST "$BASE/rest/6.0/customers/" \
  -H "$(auth)" -H 'Content-Type: application/json' -H 'Accept: application/json' \
  -d '{"FirstName":"John","LastName":"Doe","Address1":"1 Main St","City":"Austin",
       "Zip":"73301","CountryCode":"US","Email":"john.doe@example.com","Language":"en"}')
echo "created customer $REF"
curl -sS --fail-with-body "$BASE/rest/6.0/customers/$REF/" -H "$(auth)" -H 'Accept: application/json'
echo
curl -sS --fail-with-body -X PUT "$BASE/rest/6.0/customers/$REF/" \
  -H "$(auth)" -H 'Content-Type: application/json' -H 'Accept: application/json' \
  -d '{"FirstName":"John","LastName":"Doe","Address1":"1 Main St","City":"Dallas",
       "Zip":"75201","CountryCode":"US","Email":"john.doe@example.com","Language":"en"}'
echo " <- updated"
curl -sS --fail-with-body "$BASE/rest/6.0/customers/?Email=john.doe%40example.com&Limit=5" \
  -H "$(auth)" -H 'Accept: application/json'
echo

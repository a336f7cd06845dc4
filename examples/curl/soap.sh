#!/usr/bin/env bash
# SOAP with curl and raw SOAP 1.1 envelopes: log in, then create, read, update and search.
set -euo pipefail
URL=${TCO_URL:-http://127.0.0.1:8080}/soap/6.0/
CODE=${TCO_MERCHANT_CODE:-TCODEMO}
SECRET=${TCO_MERCHANT_SECRET:-tco-demo-secret}

# soap OPERATION PARAMETERS-XML: posts one envelope and prints the answer.
soap() {
  curl -sS "$URL" -H 'Content-Type: text/xml; charset=utf-8' -H "SOAPAction: \"urn:order#$1\"" --data-binary \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"urn:order\">
  <SOAP-ENV:Body><ns1:$1>$2</ns1:$1></SOAP-ENV:Body>
</SOAP-ENV:Envelope>"
}
result() { sed 's/.*<return>\(.*\)<\/return>.*/\1/'; }

DATE=$(date -u '+%Y-%m-%d %H:%M:%S')
HASH=$(printf '%s' "${#CODE}${CODE}${#DATE}${DATE}" | openssl dgst -md5 -hmac "$SECRET" | sed 's/^.*= //')
SESSION=$(soap login "<merchantCode>$CODE</merchantCode><date>$DATE</date><hash>$HASH</hash>" | result)
FIELDS="<FirstName>Grace</FirstName><LastName>Hopper</LastName><Address1>1 Navy Way</Address1>
  <City>Arlington</City><Zip>22201</Zip><CountryCode>US</CountryCode><Email>grace@example.com</Email>"
REF=$(soap createCustomer "<sessionID>$SESSION</sessionID><Customer>$FIELDS</Customer>" | result)
echo "created customer $REF"
soap getCustomerInformation "<sessionID>$SESSION</sessionID><AvangateCustomerReference>$REF</AvangateCustomerReference>"
echo
soap updateCustomerInformation "<sessionID>$SESSION</sessionID><Customer><AvangateCustomerReference>$REF</AvangateCustomerReference>${FIELDS/Arlington/Washington}</Customer>"
echo
soap searchCustomers "<sessionID>$SESSION</sessionID><SearchOptions><Email>grace@example.com</Email></SearchOptions>"
echo

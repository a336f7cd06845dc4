"""Requests the Instant Search Order Export as a merchant's script would, from the vendor's
description alone: the parameters in their order, HASH = HMAC-SHA256 (or MD5) with the secret key
over each value prefixed with its length in UTF-8 bytes. Usage:
ise_export.py URL MERCHANT SECRET 'NAME=VALUE&…' [sha256|md5] [REQ_DATE offset in seconds] [get|post]
Prints the HTTP status, then the body."""

import hashlib
import hmac
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SIGNED = ["MERCHANT", "STARTDATE", "ENDDATE", "ORDERSTATUS", "REQ_DATE", "PRODUCT_ID", "COUNTRY_CODE",
          "FILTER_STRING", "FILTER_FIELD"]

url, merchant, secret, given = sys.argv[1], sys.argv[2], sys.argv[3], dict(urllib.parse.parse_qsl(sys.argv[4]))
algorithm = sys.argv[5] if len(sys.argv) > 5 else "sha256"
offset = int(sys.argv[6]) if len(sys.argv) > 6 else 0
method = sys.argv[7] if len(sys.argv) > 7 else "get"
parameters = {name: "" for name in SIGNED}
parameters.update(given)
parameters["MERCHANT"] = merchant
parameters["REQ_DATE"] = time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() + offset))
source = "".join(f"{len(parameters[name].encode())}{parameters[name]}" for name in SIGNED)
digest = hashlib.md5 if algorithm == "md5" else hashlib.sha256
parameters["HASH"] = hmac.new(secret.encode(), source.encode(), digest).hexdigest()
parameters["SIGNATURE_ALG"] = algorithm
query = urllib.parse.urlencode(parameters)
if method == "post":
    request = urllib.request.Request(f"{url}/action/ise", data=query.encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
else:
    request = urllib.request.Request(f"{url}/action/ise?{query}")
try:
    with urllib.request.urlopen(request, timeout=30) as reply:
        print(reply.status)
        print(reply.read().decode(), end="")
except urllib.error.HTTPError as error:
    print(error.code)
    print(error.read().decode(), end="")

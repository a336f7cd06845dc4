"""Scrapes /metrics after the test's calls and parses it with the Prometheus project's own
OpenMetrics parser (prometheus-client): it must parse, and count the calls the test made."""

import os
import sys

import requests
from prometheus_client.openmetrics.parser import text_string_to_metric_families

response = requests.get(os.environ["TCO_URL"] + "/metrics", timeout=10)
response.raise_for_status()
families = {family.name: family for family in text_string_to_metric_families(response.text)}


def sample(family, **labels):
    for found in families[family].samples:
        if all(found.labels.get(name) == value for name, value in labels.items()):
            return found.value
    sys.exit(f"FAILED: no {family} sample with {labels}")


expected = int(os.environ["TCO_EXPECTED_SEARCHES"])
searches = sample("tco_api_calls", protocol="jsonrpc", operation="searchCustomers", outcome="ok")
assert searches == expected, f"{searches} searches counted, {expected} made"
print(f"ok: {searches:.0f} JSON-RPC searchCustomers counted")
assert sample("tco_api_calls", protocol="soap", operation="login", outcome="ok") == 1
print("ok: the SOAP login counted")
assert families["tco_api_call_duration_seconds"].type == "histogram"
count = sample("tco_api_call_duration_seconds", protocol="jsonrpc", operation="searchCustomers")
print("ok: latency histogram present")
for gauge in ["tco_live_sessions", "tco_journal_bytes", "tco_store_connections"]:
    assert families[gauge].type == "gauge", gauge
assert sample("tco_live_sessions") == 2, "two logins, two live sessions"
assert families["tco_store_errors"].type == "counter"
print("ok: gauges and counters typed as Prometheus expects")

"""Search latency as a merchant's data grows (issue 28), on SQLite and PostgreSQL, in one run:

1. Orders placed through the API (JSON-RPC placeOrder, each a new buyer, customer and subscription):
   every search's median latency at 1,000 and at 50,000 orders, and the growth between.
2. Generated orders (`tco-gateway generate`: copies of the demo order through the store): the same
   searches at 10,000, 100,000 and 1,000,000 orders.

Each figure is the median of sequential calls (one client, no load), each with other values than the
one before (another buyer's e-mail, another page size, another page) and after an (untimed) order
placed, so that SQLite's read cache answers none of them. PostgreSQL's tables are vacuumed and analyzed after each loading, as
autovacuum does after such inserts. Writes target/bench/searches.md and searches.json.

Run it with scripts/bench-searches.sh, which builds the release binary.
"""

import argparse
import concurrent.futures
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CODE, GATEWAY, ORDER, OUT, free_port, rest_header, signature, wait_http  # noqa: E402

CALLS = 41
# The untimed orders placed between measured calls (their buyers numbered apart from the others').
EXTRA = itertools.count(10_000_000)
# As the generated buyers (crates/tco-store/src/generate.rs): one in eight from each.
COUNTRIES = ("US", "GB", "DE", "FR", "RO", "NL", "IT", "ES")


class Gateway:
    """A release gateway on `database`, with a JSON-RPC session."""

    def __init__(self, database):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(GATEWAY), "--listen", f"127.0.0.1:{self.port}", "--database", database, "--log", "warn",
             "--order-completion-secs", "0", "--session-ttl-secs", "86400"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_http(f"{self.url}/health")
        date, digest = signature()
        self.session = self.rpc("login", [CODE, date, digest])
        self.id = 0

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def rpc(self, method, params):
        body = json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": 1}).encode()
        request = urllib.request.Request(f"{self.url}/rpc/6.0/", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def call(self, method, *params):
        return self.rpc(method, [self.session, *params])

    def rest(self, path, **query):
        url = f"{self.url}/rest/6.0{path}?{urllib.parse.urlencode(query)}"
        request = urllib.request.Request(url, headers={"X-Avangate-Authentication": rest_header(), "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


def place(gateway, first, count, threads=8):
    """Places orders first+1 … first+count through JSON-RPC, each by a new buyer."""
    def one(n):
        order = json.loads(json.dumps(ORDER))
        order["BillingDetails"]["Email"] = f"buyer{n}@example.com"
        order["BillingDetails"]["CountryCode"] = COUNTRIES[n % len(COUNTRIES)]
        order["ExternalReference"] = f"API-{n}"
        return gateway.call("placeOrder", order)

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(one, range(first + 1, first + count + 1)):
            pass


def median_ms(calls, write):
    """The median of `calls` (each a function of its index), in ms. Before each, `write` (untimed)
    changes the data, so that no answer comes from SQLite's read cache: a search is measured as
    it costs after the data changed."""
    times = []
    for index in range(CALLS):
        write()
        started = time.perf_counter()
        calls(index)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def searches(gateway, orders, buyers):
    """Each search's median latency, in ms. `buyers`: how to name the n-th buyer's e-mail."""
    total_subscriptions = gateway.rest("/subscriptions/", Limit=1)["Pagination"]["Count"]
    deep = max(1, total_subscriptions // 10 // 10)
    refs = [order["RefNo"] for order in gateway.rest("/orders/", Limit=CALLS)["Items"]]
    customer = gateway.call("searchCustomers", {"Email": buyers(orders // 2)})["Items"][0]["AvangateCustomerReference"]
    pick = lambda index: buyers(1 + (index * 7919) % orders)  # noqa: E731  (spread over all buyers)
    write = lambda: place(gateway, next(EXTRA), 1, threads=1)  # noqa: E731
    measured = {
        "getOrder": lambda i: gateway.call("getOrder", refs[i % len(refs)]),
        "searchCustomers by e-mail": lambda i: gateway.call("searchCustomers", {"Email": pick(i)}),
        "searchCustomers page 1": lambda i: gateway.call("searchCustomers", {"Pagination": {"Page": 1, "Limit": 10 + i}}),
        "searchCustomers by country (1 in 8)": lambda i: gateway.call(
            "searchCustomers", {"CountryCode": "GB", "Pagination": {"Page": 1, "Limit": 10 + i}}),
        "searchSubscriptions by exact e-mail": lambda i: gateway.call(
            "searchSubscriptions", {"CustomerEmail": pick(i), "ExactMatchEmail": True}),
        "searchSubscriptions by customer": lambda i: gateway.call(
            "searchSubscriptions", {"AvangateCustomerReference": customer, "Pagination": {"Page": 1, "Limit": 10 + i}}),
        "REST orders page 1 (last 7 days)": lambda i: gateway.rest("/orders/", Limit=10 + i),
        "REST orders page 1 (all time)": lambda i: gateway.rest("/orders/", Newer="2000-01-01", Limit=10 + i),
        "searchOrders by ExternalRefNo": lambda i: gateway.call(
            "searchOrders", {"ExternalRefNo": f"API-{1 + i}", "Newer": "2000-01-01"}),
        "REST subscriptions page 1": lambda i: gateway.rest("/subscriptions/", Limit=10 + i),
        "REST subscriptions page N/10": lambda i: gateway.rest("/subscriptions/", Page=deep + i, Limit=10),
    }
    return {name: median_ms(call, write) for name, call in measured.items()}


def fresh_database(backend, postgres, name):
    if backend == "sqlite":
        path = OUT / f"searches-{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return str(path), None
    schema = f"tco_searches_{name}_{os.getpid()}"
    subprocess.run(["psql", postgres, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"], check=True)
    return f"{postgres}?options[search_path]={schema}", schema


def drop(postgres, schema):
    if schema:
        subprocess.run(["psql", postgres, "-qc", f"DROP SCHEMA {schema} CASCADE"], check=True, stderr=subprocess.DEVNULL)


TABLES = ("tco_customers", "tco_orders", "tco_subscriptions", "tco_cards", "tco_counts")


def vacuum(postgres, schema):
    """What autovacuum does after such inserts: statistics, and the visibility map that lets a walk
    of an index skip the table."""
    if schema:
        tables = ", ".join(f"{schema}.{table}" for table in TABLES)
        subprocess.run(["psql", postgres, "-qc", f"VACUUM ANALYZE {tables}"], check=True)


def through_the_api(backend, options):
    database, schema = fresh_database(backend, options.postgres, "api")
    gateway = Gateway(database)
    try:
        results = {}
        placed = 0
        for size in options.api_sizes:
            started = time.monotonic()
            place(gateway, placed, size - placed)
            print(f"  {backend}: {size} orders placed through the API ({time.monotonic() - started:.0f} s)", flush=True)
            placed = size
            vacuum(options.postgres, schema)
            results[size] = searches(gateway, size, lambda n: f"buyer{n}@example.com")
        return results
    finally:
        gateway.stop()
        drop(options.postgres, schema)


def generated(backend, options):
    database, schema = fresh_database(backend, options.postgres, "generated")
    try:
        results = {}
        present = 0
        for size in options.generated_sizes:
            started = time.monotonic()
            subprocess.run([str(GATEWAY), "generate", "--orders", str(size - present), "--database", database],
                           check=True, stderr=subprocess.DEVNULL)
            seconds = time.monotonic() - started
            print(f"  {backend}: generated up to {size} orders ({seconds:.0f} s)", flush=True)
            present = size
            vacuum(options.postgres, schema)
            gateway = Gateway(database)
            try:
                results[size] = searches(gateway, size, lambda n: f"buyer{n}@example.com")
                results[size]["(generation, s)"] = seconds
            finally:
                gateway.stop()
        return results
    finally:
        drop(options.postgres, schema)


def table(results, sizes, growth_from, growth_to):
    names = [name for name in next(iter(results.values())) if not name.startswith("(")]
    lines = ["| Search | " + " | ".join(f"{size:,}" for size in sizes) + f" | growth {growth_from:,} → {growth_to:,} |",
             "|---|" + "---:|" * (len(sizes) + 1)]
    for name in names:
        cells = [f"{results[size][name]:.2f}" for size in sizes]
        growth = results[growth_to][name] / results[growth_from][name]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | ×{growth:.2f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres", default=os.environ.get("TCO_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--api-sizes", default="1000,50000")
    parser.add_argument("--generated-sizes", default="10000,100000,1000000")
    options = parser.parse_args()
    options.api_sizes = [int(size) for size in options.api_sizes.split(",") if size]
    options.generated_sizes = [int(size) for size in options.generated_sizes.split(",") if size]
    OUT.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    report = [f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC at commit `{commit}` on {platform.processor() or platform.machine()}, "
              f"{os.cpu_count()} cores; medians of {CALLS} sequential calls, in ms."]
    everything = {}
    for backend in options.backends.split(","):
        print(f"{backend}:", flush=True)
        if options.api_sizes:
            api = through_the_api(backend, options)
            everything[f"{backend} api"] = api
            sizes = options.api_sizes
            report += [f"\n### {backend}: orders placed through the API\n", table(api, sizes, sizes[0], sizes[-1])]
        if options.generated_sizes:
            gen = generated(backend, options)
            everything[f"{backend} generated"] = gen
            sizes = options.generated_sizes
            load = ", ".join(f"{size:,} in {gen[size]['(generation, s)']:.0f} s" for size in sizes)
            report += [f"\n### {backend}: generated orders (loaded: {load})\n", table(gen, sizes, sizes[0], sizes[-1])]
    (OUT / "searches.md").write_text("\n".join(report) + "\n")
    (OUT / "searches.json").write_text(json.dumps(everything, indent=1))
    print("\n".join(report))


if __name__ == "__main__":
    if not GATEWAY.exists() or shutil.which("psql") is None:
        sys.exit("run scripts/bench-searches.sh: it builds the release binary and installs psql")
    main()

"""The gateway benchmark, one run: closed-loop load with wrk at several connection counts for each
operation over REST, JSON-RPC and SOAP, on SQLite and PostgreSQL, next to a baseline (a minimal axum
server with a fixed answer) and a peer (Prism mocking the generated OpenAPI document, docs/openapi.json), plus the disk's
fsync rate, the server's RSS, CPU time per request and start-up time. Writes target/bench/results.md,
results.json and chart.png.

Run it with scripts/bench.sh, which installs wrk, Prism and matplotlib and builds the release binaries.
"""

import argparse
import hashlib
import hmac
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "bench"
GATEWAY = ROOT / "target" / "release" / "tco-gateway"
BASELINE = ROOT / "target" / "release" / "tco-bench-baseline"
PRISM = OUT / "prism" / "node_modules" / ".bin" / "prism"
CODE, SECRET = "TCODEMO", "tco-demo-secret"

CUSTOMER = {
    "FirstName": "Ada", "LastName": "Lovelace", "Address1": "12 St James's Square", "City": "London",
    "Zip": "SW1Y 4JH", "CountryCode": "GB", "Email": "ada@example.com", "Language": "en",
}
# An order of the demo plan by test card: a new customer, a subscription and a card in one write.
ORDER = {
    "Currency": "usd", "Items": [{"Code": "my_subscription_1", "Quantity": 1}],
    "BillingDetails": {**{key: CUSTOMER[key] for key in ("FirstName", "LastName", "Address1", "City", "Zip", "CountryCode", "Email")}},
    "PaymentDetails": {"Type": "TEST", "Currency": "usd", "PaymentMethod": {
        "CardNumber": "4111111111111111", "ExpirationMonth": "12", "ExpirationYear": "2030", "HolderName": "Ada Lovelace"}},
}
DEMO_ORDER = "670174996"
CUSTOMER_XML = "".join(f"<{key}>{value}</{key}>" for key, value in CUSTOMER.items()).replace("'", "&apos;")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, timeout=30.0, accept=(200,)):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status in accept:
                    return
        except Exception:
            time.sleep(0.005)
    raise RuntimeError(f"{url} did not answer")


def http(method, url, body=None, headers=None):
    request = urllib.request.Request(url, data=body.encode() if body else None, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def signature():
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    digest = hmac.new(SECRET.encode(), f"{len(CODE)}{CODE}{len(date)}{date}".encode(), hashlib.md5).hexdigest()
    return date, digest


def rest_header():
    date, digest = signature()
    return f'code="{CODE}" date="{date}" hash="{digest}"'


def envelope(operation, params):
    return (
        '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:ns1="urn:order"><SOAP-ENV:Body><ns1:{operation}>{params}</ns1:{operation}></SOAP-ENV:Body></SOAP-ENV:Envelope>'
    )


def context_switches(pid):
    """Voluntary and involuntary context switches of all the process's threads so far."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue  # the thread ended
        total += sum(int(value) for value in re.findall(r"ctxt_switches:\s+(\d+)", text))
    return total


def process_stats(pid):
    """(CPU seconds used, peak RSS in kB, current RSS in kB) of a process."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    status = Path(f"/proc/{pid}/status").read_text()
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    current = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return cpu, peak, current


LUA = """
wrk.method = {method}
wrk.body = {body}
{headers}
done = function(summary, latency, requests)
  io.write(string.format('\\nRESULT {{"requests": %d, "errors": %d, "duration_us": %d, "p50": %d, "p99": %d, "p999": %d, "non2xx": %d}}\\n',
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9), summary.errors.status))
end
"""


def lua_string(text):
    return "[==[" + text + "]==]" if text is not None else "nil"


def load(url, connections, duration, method="GET", body=None, headers=None, pid=None):
    """Closed-loop load with wrk; returns requests/s, latency percentiles (ms) and CPU per request."""
    headers = headers or {}
    script = LUA.format(
        method=lua_string(method),
        body=lua_string(body),
        headers="\n".join(f"wrk.headers[ {lua_string(k)} ] = {lua_string(v)}" for k, v in headers.items()),
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    before = process_stats(pid) if pid else None
    switches = context_switches(pid) if pid else None
    threads = max(1, min(connections, 2))
    completed = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration))}s", "-s", file.name, url],
        capture_output=True, text=True, check=True,
    )
    os.unlink(file.name)
    if "RESULT" not in completed.stdout:
        raise RuntimeError(f"wrk gave no result for {method} {url}:\n{completed.stdout}\n{completed.stderr}")
    result = json.loads(completed.stdout.split("RESULT", 1)[1].strip().splitlines()[0])
    seconds = result["duration_us"] / 1e6
    figures = {
        "rps": result["requests"] / seconds,
        "p50_ms": result["p50"] / 1000,
        "p99_ms": result["p99"] / 1000,
        "p999_ms": result["p999"] / 1000,
        "errors": result["errors"] + result["non2xx"],
    }
    if pid:
        after = process_stats(pid)
        figures["cpu_us_per_request"] = (after[0] - before[0]) * 1e6 / max(result["requests"], 1)
        figures["switches_per_request"] = (context_switches(pid) - switches) / max(result["requests"], 1)
    return figures


def fsync_rate(directory, seconds=3.0):
    path = Path(directory) / "fsync-probe"
    count = 0
    with open(path, "wb") as file:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            file.write(b"x" * 512)
            file.flush()
            os.fsync(file.fileno())
            count += 1
    path.unlink()
    return count / seconds


class Gateway:
    def __init__(self, database, data_dir):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        self.process = subprocess.Popen(
            [str(GATEWAY), "--listen", f"127.0.0.1:{port}", "--database", database],
            cwd=data_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_http(f"{self.base}/health", accept=(200,))
        self.startup_ms = (time.monotonic() - started) * 1000

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def scenarios(gateway, seeded):
    """Each scenario: (name, kind, method, path, body, headers)."""
    auth = {"X-Avangate-Authentication": rest_header(), "Accept": "application/json"}
    json_headers = {"Content-Type": "application/json", "Accept": "application/json"}
    date, digest = signature()
    login_rpc = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "login", "params": [CODE, date, digest]})
    session = json.loads(http("POST", f"{gateway.base}/rpc/6.0/", login_rpc, json_headers))["result"]
    soap_headers = {"Content-Type": "text/xml; charset=utf-8"}
    login_soap = envelope("login", f"<merchantCode>{CODE}</merchantCode><date>{date}</date><hash>{digest}</hash>")
    return [
        ("REST GET customer", "read", "GET", f"/rest/6.0/customers/{seeded}/", None, auth),
        ("REST POST customer", "create", "POST", "/rest/6.0/customers/", json.dumps(CUSTOMER), {**auth, "Content-Type": "application/json"}),
        ("JSON-RPC getCustomerInformation", "read", "POST", "/rpc/6.0/",
         json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getCustomerInformation", "params": [session, seeded]}), json_headers),
        ("JSON-RPC createCustomer", "create", "POST", "/rpc/6.0/",
         json.dumps({"jsonrpc": "2.0", "id": 1, "method": "createCustomer", "params": [session, CUSTOMER]}), json_headers),
        ("SOAP getCustomerInformation", "read", "POST", "/soap/6.0/",
         envelope("getCustomerInformation", f"<sessionID>{session}</sessionID><AvangateCustomerReference>{seeded}</AvangateCustomerReference>"), soap_headers),
        ("SOAP createCustomer", "create", "POST", "/soap/6.0/",
         envelope("createCustomer", f"<sessionID>{session}</sessionID><Customer>{CUSTOMER_XML}</Customer>"), soap_headers),
        ("REST GET order", "read", "GET", f"/rest/6.0/orders/{DEMO_ORDER}/", None, auth),
        ("REST POST order", "create", "POST", "/rest/6.0/orders/", json.dumps(ORDER), {**auth, "Content-Type": "application/json"}),
        ("JSON-RPC getOrder", "read", "POST", "/rpc/6.0/",
         json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getOrder", "params": [session, DEMO_ORDER]}), json_headers),
        ("JSON-RPC placeOrder", "create", "POST", "/rpc/6.0/",
         json.dumps({"jsonrpc": "2.0", "id": 1, "method": "placeOrder", "params": [session, ORDER]}), json_headers),
        ("JSON-RPC login", "login", "POST", "/rpc/6.0/", login_rpc, json_headers),
        ("SOAP login", "login", "POST", "/soap/6.0/", login_soap, soap_headers),
    ]


def seed(gateway, count):
    headers = {"X-Avangate-Authentication": rest_header(), "Content-Type": "application/json"}
    first = None
    for index in range(count):
        reference = int(http("POST", f"{gateway.base}/rest/6.0/customers/", json.dumps({**CUSTOMER, "ExternalCustomerReference": f"SEED-{index}"}), headers))
        first = first or reference
    return first


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=8, help="seconds per measurement")
    parser.add_argument("--connections", default="1,16,64")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres", default=os.environ.get("TCO_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--seed", type=int, default=1000, help="customers created before measuring")
    parser.add_argument("--rounds", type=int, default=1, help="run every gateway scenario this many times (reads after the creates of earlier rounds)")
    parser.add_argument("--only", default="", help="run only the gateway scenarios whose name contains this")
    parser.add_argument("--skip-peers", action="store_true", help="skip the baseline and Prism (for quick checks)")
    options = parser.parse_args()
    connections = [int(c) for c in options.connections.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    results = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, {platform.platform()}",
        "cpu": next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?"),
        "duration_s": options.duration,
        "connections": connections,
        "runs": [],
    }
    work = Path(tempfile.mkdtemp(prefix="tco-bench-"))
    try:
        results["fsync_per_s"] = fsync_rate(work)
        print(f"fsync: {results['fsync_per_s']:.0f}/s", flush=True)

        if not options.skip_peers:
            measure_peers(results, connections, options.duration)

        for backend in options.backends.split(","):
            if backend == "postgres":
                schema = f"tco_bench_{os.getpid()}"
                subprocess.run(["psql", options.postgres, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"], check=True)
                database = f"{options.postgres}?options[search_path]={schema}"
            else:
                database = str(work / f"{backend}.db")
            gateway = Gateway(database, work)
            _, _, idle = process_stats(gateway.process.pid)
            results.setdefault("startup_ms", {})[backend] = gateway.startup_ms
            results.setdefault("idle_rss_kb", {})[backend] = idle
            print(f"{backend}: started in {gateway.startup_ms:.1f} ms, idle RSS {idle} kB", flush=True)
            seeded = seed(gateway, options.seed)
            if backend == "postgres":
                # As a deployment's autovacuum would; the gateway also analyzes its tables itself.
                tables = ", ".join(f"{schema}.{table}" for table in ("tco_customers", "tco_cards", "tco_sessions", "tco_sso_grants"))
                subprocess.run(["psql", options.postgres, "-qc", f"ANALYZE {tables}"], check=True)
            for round_number in range(1, options.rounds + 1):
                for name, kind, method, path, body, headers in scenarios(gateway, seeded):
                    if options.only and not any(part.lower() in name.lower() for part in options.only.split("|")):
                        continue
                    for count in connections:
                        figures = load(f"{gateway.base}{path}", count, options.duration, method, body, headers, pid=gateway.process.pid)
                        results["runs"].append({"target": f"gateway/{backend}", "scenario": name, "kind": kind, "connections": count, "round": round_number, **figures})
                        print(f"{backend} round {round_number} {name} c={count}: {figures['rps']:.0f}/s p99 {figures['p99_ms']:.2f} ms", flush=True)
                        if kind != "read" and backend == "postgres":
                            # Thousands of commits leave PostgreSQL flushing for seconds, which would be
                            # charged to the next measurement: let it settle first.
                            subprocess.run(["psql", options.postgres, "-qc", "CHECKPOINT"], check=True)
            _, peak, _ = process_stats(gateway.process.pid)
            results.setdefault("peak_rss_kb", {})[backend] = peak
            gateway.stop()
            if backend == "postgres":
                subprocess.run(["psql", options.postgres, "-qc", f"DROP SCHEMA {schema} CASCADE"], check=True, stderr=subprocess.DEVNULL)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    (OUT / "results.md").write_text(report(results))
    chart(results)
    print((OUT / "results.md").read_text())


def measure_peers(results, connections, duration):
    """The baseline (fixed answer) and Prism (mocking the vendor's OpenAPI) under the same load."""
    baseline = subprocess.Popen([str(BASELINE), "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    baseline_url = baseline.stdout.readline().split()[-1]
    for count in connections:
        figures = load(f"{baseline_url}/", count, duration, pid=baseline.pid)
        results["runs"].append({"target": "baseline", "scenario": "fixed JSON", "kind": "read", "connections": count, **figures})
        print(f"baseline c={count}: {figures['rps']:.0f}/s", flush=True)
    baseline.terminate()

    if PRISM.exists():
        port = free_port()
        prism = subprocess.Popen([str(PRISM), "mock", str(ROOT / "docs" / "openapi.json"), "-h", "127.0.0.1", "-p", str(port)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            headers = {"X-Avangate-Authentication": "x", "Accept": "application/json"}
            wait_http_prism(port, headers)
            for count in connections:
                for name, method, body in [("REST GET customer", "GET", None), ("REST POST customer", "POST", json.dumps(CUSTOMER))]:
                    path = "/customers/123/" if method == "GET" else "/customers/"
                    figures = load(f"http://127.0.0.1:{port}{path}", count, duration, method, body,
                                   {**headers, "Content-Type": "application/json"} if body else headers)
                    results["runs"].append({"target": "prism", "scenario": name, "kind": "read" if method == "GET" else "create", "connections": count, **figures})
                    print(f"prism {name} c={count}: {figures['rps']:.0f}/s", flush=True)
        finally:
            prism.terminate()


def wait_http_prism(port, headers):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            http("GET", f"http://127.0.0.1:{port}/customers/1/", headers=headers)
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError("Prism did not start")


def report(results):
    runs = results["runs"]
    baseline = {r["connections"]: r["rps"] for r in runs if r["target"] == "baseline"}
    prism = {(r["scenario"], r["connections"]): r["rps"] for r in runs if r["target"] == "prism"}
    lines = [
        f"Run {results['date']} on {results['cpu']} ({results['machine']}), {results['duration_s']:g} s per figure, wrk closed loop.",
        "",
        f"- Disk fsync rate: {results['fsync_per_s']:.0f}/s",
        f"- Start-up to first answer: " + ", ".join(f"{b} {ms:.1f} ms" for b, ms in results.get("startup_ms", {}).items()),
        f"- RSS idle: " + ", ".join(f"{b} {kb / 1024:.1f} MB" for b, kb in results.get("idle_rss_kb", {}).items())
        + "; peak under load: " + ", ".join(f"{b} {kb / 1024:.1f} MB" for b, kb in results.get("peak_rss_kb", {}).items()),
        "",
        "| Target | Scenario | Conns | req/s | × baseline | × Prism | p50 ms | p99 ms | p99.9 ms | CPU µs/req | switches/req | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        ratio = r["rps"] / baseline[r["connections"]] if baseline.get(r["connections"]) else float("nan")
        peer = prism.get((r["scenario"], r["connections"]))
        versus = f"{r['rps'] / peer:.1f}" if peer and r["target"].startswith("gateway") else ""
        cpu = f"{r['cpu_us_per_request']:.0f}" if "cpu_us_per_request" in r else ""
        switches = f"{r['switches_per_request']:.2f}" if "switches_per_request" in r else ""
        label = r["scenario"] + (f" (round {r['round']})" if r.get("round", 1) > 1 else "")
        lines.append(
            f"| {r['target']} | {label} | {r['connections']} | {r['rps']:.0f} | {ratio:.2f} | {versus} | "
            f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['p999_ms']:.2f} | {cpu} | {switches} | {r['errors']} |"
        )
    rounds = {}
    for r in runs:
        if r["kind"] == "read" and r.get("round"):
            rounds.setdefault((r["target"], r["scenario"], r["connections"]), []).append(r["rps"])
    spread = [(key, max(v) / min(v)) for key, v in rounds.items() if len(v) > 1 and min(v) > 0]
    if spread:
        worst = max(spread, key=lambda item: item[1])
        lines += ["", f"Reads across {max(len(v) for v in rounds.values())} rounds: the widest spread is {worst[0][0]} {worst[0][1]} "
                  f"c={worst[0][2]}, max/min {worst[1]:.2f}; "
                  + ", ".join(f"{target} ≤ {max(ratio for key, ratio in spread if key[0] == target):.2f}" for target in sorted({key[0] for key, _ in spread}))]
    creates = [r for r in runs if r["kind"] == "create" and r["target"] == "gateway/sqlite"]
    if creates:
        lines += ["", "Durable creates on SQLite as a share of the disk's fsync rate: "
                  + ", ".join(f"{r['scenario']} c={r['connections']}: {r['rps'] / results['fsync_per_s']:.2f}" for r in creates)]
    return "\n".join(lines) + "\n"


def chart(results):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is missing: no chart", file=sys.stderr)
        return
    top = max(results["connections"])
    runs = [r for r in results["runs"] if r["connections"] == top]
    labels = [f"{r['target']}\n{r['scenario']}" for r in runs]
    colors = ["#888888" if r["target"] == "baseline" else "#d62728" if r["target"] == "prism" else
              "#1f77b4" if r["target"].endswith("sqlite") else "#2ca02c" for r in runs]
    figure, axis = plt.subplots(figsize=(12, 0.42 * len(runs) + 1.5))
    axis.barh(range(len(runs)), [r["rps"] for r in runs], color=colors)
    axis.set_yticks(range(len(runs)), labels, fontsize=7)
    axis.invert_yaxis()
    axis.set_xlabel(f"requests/s at {top} connections (grey: baseline, red: Prism, blue: SQLite, green: PostgreSQL)")
    axis.set_title(f"tco-gateway, {results['date']}, {results['cpu']}")
    figure.tight_layout()
    figure.savefig(OUT / "chart.png", dpi=110)


if __name__ == "__main__":
    main()

"""The Instant Search Order Export at scale (issue 30): orders generated through the store
(`tco-gateway generate`, spread over a year), then the year's export streamed as CSV by a client
that signs it as §6 says — its time, size and rows, and the gateway's resident memory before and at
its peak (VmHWM), at 10,000, 100,000 and 1,000,000 orders on SQLite (or the sizes given as arguments). The export holds one page of 500 orders
at a time, so its memory should not grow with the orders.

Run it with scripts/bench-export.sh, which builds the release binary. Writes target/bench/export.md.
"""

import hashlib
import hmac
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CODE, GATEWAY, OUT, SECRET, free_port, wait_http  # noqa: E402

SIGNED = ["MERCHANT", "STARTDATE", "ENDDATE", "ORDERSTATUS", "REQ_DATE", "PRODUCT_ID", "COUNTRY_CODE",
          "FILTER_STRING", "FILTER_FIELD"]


def memory_kib(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def export_query():
    today = datetime.now(timezone.utc)
    parameters = {name: "" for name in SIGNED}
    parameters.update(MERCHANT=CODE, STARTDATE=(today - timedelta(days=366)).strftime("%Y-%m-%d"),
                      ENDDATE=today.strftime("%Y-%m-%d"), ORDERSTATUS="ALL", REQ_DATE=today.strftime("%Y%m%d%H%M%S"))
    source = "".join(f"{len(parameters[name].encode())}{parameters[name]}" for name in SIGNED)
    parameters["HASH"] = hmac.new(SECRET.encode(), source.encode(), hashlib.sha256).hexdigest()
    return urllib.parse.urlencode(parameters)


def measure(size):
    with tempfile.TemporaryDirectory() as directory:
        database = str(Path(directory) / "export.db")
        started = time.monotonic()
        subprocess.run([str(GATEWAY), "generate", "--orders", str(size), "--database", database],
                       check=True, stderr=subprocess.DEVNULL)
        generated = time.monotonic() - started
        port = free_port()
        process = subprocess.Popen([str(GATEWAY), "--listen", f"127.0.0.1:{port}", "--database", database,
                                    "--log", "warn"])
        try:
            url = f"http://127.0.0.1:{port}"
            wait_http(f"{url}/health")
            before = memory_kib(process.pid, "VmRSS")
            started = time.monotonic()
            rows, size_bytes = 0, 0
            with urllib.request.urlopen(f"{url}/action/ise?{export_query()}", timeout=600) as reply:
                assert reply.status == 200, reply.status
                for line in reply:
                    rows += 1
                    size_bytes += len(line)
            seconds = time.monotonic() - started
            peak = memory_kib(process.pid, "VmHWM")
        finally:
            process.terminate()
            process.wait()
        return {"orders": size, "generated_s": generated, "export_s": seconds, "rows": rows - 1,
                "mib": size_bytes / 1048576, "rss_before_mib": before / 1024, "rss_peak_mib": peak / 1024}


def main():
    sizes = [int(size) for size in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    results = [measure(size) for size in sizes]
    lines = ["| Orders | CSV rows | CSV size | export time | gateway RSS before | gateway peak RSS |",
             "|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['orders']:,} | {r['rows']:,} | {r['mib']:.1f} MiB | {r['export_s']:.1f} s | "
                     f"{r['rss_before_mib']:.0f} MiB | {r['rss_peak_mib']:.0f} MiB |")
    text = "\n".join(lines)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "export.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Many concurrent streams through the gateway: errors, peak memory, memory afterwards.

Starts the lifecycle script's asyncio fake upstream (its own process; model `long` answers 100
chunks 100 ms apart, ~10 s), the gateway on a config of its own (no database, no access log),
opens N streaming requests at once over raw sockets, samples the gateway's resident memory every
100 ms, and reads it again `--settle` seconds (default 5) after the last stream ended. Exit status 1 if any stream failed.

    scripts/stream-load.py .build/release/switchyard [--streams 10000]
"""
import argparse
import asyncio
import collections
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_matrix import free_port  # noqa: E402
from lifecycle_e2e import PeakRSS, load, rss_mib, start, start_upstream, wait_ready  # noqa: E402


WARM_STREAMS = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--streams", type=int, default=10_000)
    parser.add_argument("--settle", type=float, default=5, help="seconds to wait before the last RSS reading")
    args = parser.parse_args()
    up = start_upstream()
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "gateway.yaml")
        port = free_port()
        with open(config, "w") as f:
            f.write(f"""server:
  port: {port}
  access_log: false
  max_client_connections: {args.streams + 100}
  header_timeout: 60s   # thousands of clients (and a Python upstream) at once on a loaded
  connect_timeout: 60s  # machine are slow to send and to accept
database: {{url: none}}
providers:
  up: {{kind: openai, api_base: "http://127.0.0.1:{up}/v1", api_key: sk-x, max_connections: {args.streams + 100}}}
models:
  long: {{provider: up, model: slow-100}}
  warm: {{provider: up, model: slow-5}}
""")
        gateway = start(args.binary, config)
        try:
            wait_ready(port, gateway)
            # "Before" is the idle memory of a gateway that has served (as the bench's idle RSS,
            # read after the first answer): a few streams load what the first requests load.
            asyncio.run(load(port, WARM_STREAMS, "warm", []))
            time.sleep(2)
            before = rss_mib(gateway.pid)
            started_at = time.time()
            with PeakRSS(gateway.pid) as rss:
                outcomes = asyncio.run(load(port, args.streams, "long", []))
            elapsed = time.time() - started_at
            peak = rss.peak
            time.sleep(args.settle)
            after = rss_mib(gateway.pid)
        finally:
            crashed = gateway.poll()
            gateway.terminate()
            gateway.wait(timeout=60)
            if crashed is not None:
                print(f"the gateway exited during the load (status {crashed}); its last lines:")
                with open(config + ".log") as log:
                    print("".join(log.readlines()[-15:]))
    counts = collections.Counter(outcomes)
    errors = args.streams - counts["done"]
    print(f"{args.streams} concurrent streams of 100 chunks (~10 s each): {counts['done']} complete, {errors} failed "
          f"{dict(counts) if errors else ''} in {elapsed:.1f} s")
    print(f"gateway RSS: {before:.1f} MiB before, peak {peak:.1f} MiB, {after:.1f} MiB {args.settle:g} s after "
          f"({(after - before) / before * 100:+.1f} %)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What `serve` takes from the machine at start, against the built binary.

1. Event loops: pinned to one CPU (`taskset -c 0`), the gateway runs one NIO event loop and says
   so in its log; unpinned, one per CPU (skipped on a one-CPU machine or without taskset).
2. Descriptors: a soft limit below the hard one is raised to the hard one.
3. A hard limit too small for the connection caps (1,024 descriptors; one provider with
   `max_connections: 100`; `max_client_connections` left at 10,000): the start warns that the
   client cap is lowered to 1,024 - 256 reserved - 100 upstream = 668, serves, answers the
   669th open connection 503, and accepts again once others closed.
4. Memory after a burst: 2,000 concurrent streams raise the resident set by about 100 MiB; 15 s
   after they ended (`MemoryTrim` looks every 10 s) less than a quarter of that is still held
   (without it, nearly all of it: glibc keeps what it freed).

    scripts/resources_e2e.py [path/to/switchyard]
"""
import asyncio
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_matrix import free_port, raw  # noqa: E402
from lifecycle_e2e import PeakRSS, check, finish, load, request, rss_mib, start_upstream, wait_ready  # noqa: E402

BURST = 2000


def write_config(path, upstream_port, port, pool=100):
    with open(path, "w") as f:
        f.write(f"""server:
  port: {port}
  access_log: false
  header_timeout: 60s
database: {{url: none}}
providers:
  up: {{kind: openai, api_base: "http://127.0.0.1:{upstream_port}/v1", api_key: sk-x, max_connections: {pool}}}
models:
  fast: {{provider: up, model: fast}}
  warm: {{provider: up, model: slow-5}}
  burst: {{provider: up, model: slow-20}}
""")


def serve(binary, config, prefix=(), nofile=None):
    """Starts `serve`, optionally under a command prefix and with RLIMIT_NOFILE (soft, hard)."""
    log = open(config + ".log", "w")

    def limit():
        if nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, nofile)
    return subprocess.Popen([*prefix, binary, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT,
                            text=True, preexec_fn=limit)


def stop(gateway, config):
    gateway.terminate()
    gateway.wait(timeout=20)
    with open(config + ".log") as f:
        return f.read()


def event_loops(pid):
    names = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return sum(1 for name in names if name.startswith("NIO-SGLTN-") and not name.startswith("NIO-SGLTN-TP"))


def open_files(pid):
    with open(f"/proc/{pid}/limits") as f:
        line = next(l for l in f if l.startswith("Max open files"))
    soft, hard = line.split()[3:5]
    return int(soft), int(hard)


def chat(port):
    return request(port, "POST", "/v1/chat/completions", {"model": "fast", "messages": [{"role": "user", "content": "hi"}]})[0]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/switchyard"
    # This script holds several hundred sockets itself.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    up = start_upstream()
    cpus = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "gateway.yaml")

        # 1. Event loops by CPU affinity.
        if cpus >= 2 and shutil.which("taskset"):
            port = free_port()
            write_config(config, up, port)
            gateway = serve(binary, config, prefix=("taskset", "-c", "0"))
            wait_ready(port, gateway)
            loops = event_loops(gateway.pid)
            served = chat(port)
            log = stop(gateway, config)
            check(loops == 1 and served == 200, f"pinned to one CPU: {loops} event loop(s), a request answers {served}")
            check("1 event loop: the CPUs this process may run on" in log, "the log says why")
            port = free_port()
            write_config(config, up, port)
            gateway = serve(binary, config)
            wait_ready(port, gateway)
            loops = event_loops(gateway.pid)
            stop(gateway, config)
            check(loops == min(cpus, os.cpu_count()), f"unpinned: {loops} event loops on {cpus} CPUs")
        else:
            print(f"skip event loops by affinity: {cpus} CPU(s), taskset {'found' if shutil.which('taskset') else 'missing'}")

        # 2. The soft limit raised to the hard one.
        if hard >= 2048:
            port = free_port()
            write_config(config, up, port)
            gateway = serve(binary, config, nofile=(512, hard))
            wait_ready(port, gateway)
            limits = open_files(gateway.pid)
            log = stop(gateway, config)
            check(limits == (hard, hard) and "lowered" not in log, f"a soft limit of 512 is raised to the hard limit: {limits}")

        # 3. A hard limit the caps do not fit in.
        port = free_port()
        write_config(config, up, port)
        gateway = serve(binary, config, nofile=(1024, 1024))
        wait_ready(port, gateway)
        check(chat(port) == 200, "under a 1,024-descriptor limit the gateway serves")
        held = []
        try:
            for _ in range(667):  # plus this check's own connection: 668
                held.append(socket.create_connection(("127.0.0.1", port)))
            time.sleep(1.5)  # every one accepted and counted
            status, _, _ = raw(port, b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n", wait=2)
            check(status != 503, f"the 668th open connection is served ({status})")
            time.sleep(1.0)  # that connection's close counted before the next opens
            held.append(socket.create_connection(("127.0.0.1", port)))
            time.sleep(1.0)
            status, _, closed = raw(port, b"", wait=3.0)
            check(status == 503 and closed, f"with 668 open, the 669th gets 503 ({status})")
        finally:
            for sock in held:
                sock.close()
        time.sleep(0.5)
        check(chat(port) == 200, "and connections are accepted again once others closed")
        log = stop(gateway, config)
        lowered = re.search(r"server\.max_client_connections lowered from (\d+) to (\d+): the descriptor limit \(ulimit -n\) is (\d+)", log)
        check(lowered is not None and lowered.groups() == ("10000", "668", "1024"),
              f"the start warns: {lowered.group(0) if lowered else 'no warning'}")
        check(gateway.returncode == 0, f"and stops cleanly (exit {gateway.returncode})")

        # 4. Memory after a burst of streams.
        port = free_port()
        write_config(config, up, port, pool=BURST + 100)
        gateway = serve(binary, config)
        wait_ready(port, gateway)
        asyncio.run(load(port, 10, "warm", []))
        time.sleep(2)
        before = rss_mib(gateway.pid)
        with PeakRSS(gateway.pid) as rss:
            outcomes = asyncio.run(load(port, BURST, "burst", []))
        ended = rss_mib(gateway.pid)
        time.sleep(15)
        after = rss_mib(gateway.pid)
        stop(gateway, config)
        grown, kept = rss.peak - before, after - before
        check(outcomes.count("done") == BURST and grown > 40 and kept < grown / 4,
              f"{BURST} streams: resident {before:.1f} MiB before, peak {rss.peak:.1f} MiB, {ended:.1f} MiB at their end, "
              f"{after:.1f} MiB 15 s later")

    finish("resources: event loops, descriptor limits and memory after bursts behave as documented")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Configuration layering against the built binary (standard-library Python).

1. `config show --format json` and the text form: each setting's value and source (default,
   file:line:column, env NAME, flag), secrets redacted.
2. `serve` listens on the port a SWITCHYARD_SERVER_PORT variable gives, and on `--port` over it.
3. A bad variable, an unknown one (with its "did you mean") and a bad `--set` stop the start with
   a message naming them, and a non-zero exit.
4. SIGHUP re-reads the file and keeps the variable's value on top of it.

    scripts/layering_e2e.py [path/to/switchyard]
"""
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_matrix import free_port  # noqa: E402

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/switchyard"


def write_config(path, port, max_body="10MiB", model="echo"):
    with open(path, "w") as f:
        f.write(f"""server:
  port: {port}
  max_body_size: {max_body}
  master_key: os.environ/LAYERING_MASTER
database:
  url: "postgres://gw:hunter2@127.0.0.1:1/gw"
models:
  {model}: {{provider: local}}
providers:
  local: {{kind: mock}}
""")


def env(**variables):
    base = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHYARD_")}
    base["LAYERING_MASTER"] = "sk-layering-master"
    base.update(variables)
    return base


def run(*args, **variables):
    return subprocess.run([BINARY, *args], env=env(**variables), capture_output=True, text=True, timeout=60)


def get(port, path="/health/liveliness", body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"authorization": "Bearer sk-layering-master", "content-type": "application/json"}
    connection.request("POST" if body else "GET", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status


def wait_ready(port, process):
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}")
        try:
            return get(port)
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listening on {port}")


def refused(port):
    try:
        get(port)
        return False
    except OSError:
        return True


def serve(config, *flags, **variables):
    # database.url points nowhere: serve with none, the rest of the file is what is tested.
    variables.setdefault("SWITCHYARD_DATABASE_URL", "none")
    return subprocess.Popen([BINARY, "serve", "--config", config, *flags], env=env(**variables),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def main():
    failures = 0

    def check(condition, what):
        nonlocal failures
        print(("ok   " if condition else "FAIL ") + what)
        failures += 0 if condition else 1

    with tempfile.TemporaryDirectory() as folder:
        config = os.path.join(folder, "gw.yaml")
        file_port, env_port, flag_port = free_port(), free_port(), free_port()
        write_config(config, file_port)

        # 1. config show
        shown = run("config", "show", "--config", config, "--format", "json", "--set", "server.drain_timeout=7s",
                    SWITCHYARD_SERVER_PORT=str(env_port))
        check(shown.returncode == 0, f"config show exits 0 ({shown.stderr.strip()})")
        settings = {s["name"]: s for s in json.loads(shown.stdout)["settings"]} if shown.returncode == 0 else {}
        port = settings.get("server.port", {})
        check(port.get("value") == str(env_port) and port.get("from") == "env SWITCHYARD_SERVER_PORT", f"port from the variable: {port}")
        drain = settings.get("server.drain_timeout", {})
        check(drain.get("value") == "7s" and drain.get("source") == "flag" and drain.get("from") == "flag --set server.drain_timeout",
              f"drain_timeout from --set: {drain}")
        body = settings.get("server.max_body_size", {})
        check(body.get("value") == str(10 * 1024 * 1024) and body.get("from") == f"{config}:3:18", f"max_body_size from the file: {body}")
        keep_alive = settings.get("server.keep_alive_timeout", {})
        check(keep_alive.get("value") == "75s" and keep_alive.get("source") == "default", f"keep_alive_timeout default: {keep_alive}")
        check(settings.get("server.master_key", {}).get("value") == "<redacted>", "master key redacted")
        check(settings.get("database.url", {}).get("value") == "postgres://gw:<redacted>@127.0.0.1:1/gw", "database password redacted")
        check("hunter2" not in shown.stdout and "sk-layering-master" not in shown.stdout, "no secret in the output")

        text = run("config", "show", "--config", config, "--port", str(flag_port), SWITCHYARD_SERVER_PORT=str(env_port))
        lines = {line.split()[0]: line.split() for line in text.stdout.splitlines() if line.strip()}
        check(lines.get("server.port", [])[1:] == [str(flag_port), "flag", "--port"], f"text: {lines.get('server.port')}")
        check(lines.get("server.log_format", [])[1:] == ["text", "default"], f"text: {lines.get('server.log_format')}")

        # 2. serve on the variable's port, then on the flag's over it
        process = serve(config, SWITCHYARD_SERVER_PORT=str(env_port))
        try:
            check(wait_ready(env_port, process) == 200, "serves on SWITCHYARD_SERVER_PORT")
            check(refused(file_port), "not on the file's port")
        finally:
            stop(process)
        process = serve(config, "--port", str(flag_port), SWITCHYARD_SERVER_PORT=str(env_port))
        try:
            check(wait_ready(flag_port, process) == 200, "serves on --port over the variable")
            check(refused(env_port), "not on the variable's port")
        finally:
            stop(process)

        # 3. bad values stop the start, naming their source
        for args, variables, expected in [
            ((), {"SWITCHYARD_SERVER_PORT": "abc"}, "SWITCHYARD_SERVER_PORT: error: server.port: expected an integer, found 'abc'"),
            ((), {"SWITCHYARD_SERVER_DRAIN_TIMOUT": "5s"},
             "SWITCHYARD_SERVER_DRAIN_TIMOUT: error: unknown setting (did you mean 'SWITCHYARD_SERVER_DRAIN_TIMEOUT'?)"),
            (("--set", "server.drain_timeout=soon"), {},
             "--set server.drain_timeout: error: server.drain_timeout: expected a duration such as 30s, 500ms or 2m, found 'soon'"),
        ]:
            result = run("serve", "--config", config, *args, SWITCHYARD_DATABASE_URL="none", **variables)
            check(result.returncode != 0 and expected in result.stderr, f"refused: {expected} (exit {result.returncode})")

        # 4. a reload keeps the variable over the file
        port = free_port()
        write_config(config, port)
        process = serve(config, SWITCHYARD_SERVER_MAX_BODY_SIZE="200")
        try:
            wait_ready(port, process)
            big = json.dumps({"model": "echo", "messages": [{"role": "user", "content": "x" * 400}]})
            check(get(port, "/v1/chat/completions", big) == 413, "the variable's max_body_size applies")
            write_config(config, port, max_body="20MiB", model="echo2")
            process.send_signal(signal.SIGHUP)
            small = json.dumps({"model": "echo2", "messages": [{"role": "user", "content": "hi"}]})
            deadline = time.time() + 10
            while get(port, "/v1/chat/completions", small) != 200 and time.time() < deadline:
                time.sleep(0.2)
            check(get(port, "/v1/chat/completions", small) == 200, "SIGHUP reloaded the file (its new model is served)")
            big = big.replace('"echo"', '"echo2"')
            check(get(port, "/v1/chat/completions", big) == 413, "the variable's max_body_size still wins over the file's 20MiB")
        finally:
            stop(process)

    print(f"layering: {'all passed' if not failures else f'{failures} failed'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

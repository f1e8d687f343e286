#!/usr/bin/env python3
"""Renders deploy/helm/switchyard without helm, for checking the manifests where helm is not
installed. It understands the Go-template subset the chart uses, and fails on anything else:
`{{ .Release.Name }}`, `{{ .Values.a.b }}`, `{{ .Chart.X }}`, pipes to `quote`, `nindent N`,
`indent N`, `sha256sum`, `toYaml X`, `not X`, `{{- if X }}` / `{{- else }}` / `{{- end }}`, and the
`{{-` / `-}}` whitespace trimming.

usage: helm-render.py CHART [--release NAME] [-f values.yaml ...] > manifests.yaml
"""
import argparse
import hashlib
import os
import re
import sys

import yaml

ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)


def merge(base, override):
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def lookup(path, scope):
    value = scope
    for part in path.strip(".").split("."):
        if not isinstance(value, dict) or part not in value:
            raise SystemExit(f"template: no value at {path}")
        value = value[part]
    return value


def to_yaml(value):
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=False).rstrip("\n")


def evaluate(expression, scope):
    stages = [stage.strip() for stage in expression.split("|")]
    value = command(stages[0], scope)
    for stage in stages[1:]:
        name, *args = stage.split()
        if name == "quote":
            value = '"' + str(value).replace('"', '\\"') + '"'
        elif name in ("nindent", "indent"):
            pad = " " * int(args[0])
            body = "\n".join(pad + line if line else line for line in str(value).split("\n"))
            value = "\n" + body if name == "nindent" else body
        elif name == "sha256sum":
            value = hashlib.sha256(str(value).encode()).hexdigest()
        else:
            raise SystemExit(f"template: unsupported function {name}")
    return value


def command(text, scope):
    words = text.split()
    if words[0] == "toYaml":
        return to_yaml(command(" ".join(words[1:]), scope))
    if words[0] == "not":
        return not truthy(command(" ".join(words[1:]), scope))
    if len(words) == 1 and words[0].startswith("."):
        return lookup(words[0], scope)
    raise SystemExit(f"template: unsupported expression {text!r}")


def truthy(value):
    return value not in (None, False, 0, "", [], {})


def render(template, scope):
    out, stack = [], []  # stack of (emitting before, this branch emits)
    emitting = True
    position = 0
    for match in ACTION.finditer(template):
        text = template[position:match.start()]
        if match.group(1):
            text = text.rstrip()
        if emitting:
            out.append(text)
        position = match.end()
        if match.group(3):
            while position < len(template) and template[position] in " \t\r\n":
                position += 1
        action = match.group(2)
        if action.startswith("if "):
            condition = emitting and truthy(evaluate(action[3:], scope))
            stack.append((emitting, condition))
            emitting = condition
        elif action == "else":
            outer, taken = stack[-1]
            emitting = outer and not taken
        elif action == "end":
            emitting = stack.pop()[0]
        elif emitting:
            out.append(str(evaluate(action, scope)))
    out.append(template[position:] if emitting else "")
    if stack:
        raise SystemExit("template: unclosed if")
    return "".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("chart")
    parser.add_argument("--release", default="switchyard")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("-f", "--values", action="append", default=[])
    args = parser.parse_args()
    with open(os.path.join(args.chart, "values.yaml")) as file:
        values = yaml.safe_load(file)
    for path in args.values:
        with open(path) as file:
            merge(values, yaml.safe_load(file) or {})
    with open(os.path.join(args.chart, "Chart.yaml")) as file:
        chart = yaml.safe_load(file)
    scope = {
        "Values": values,
        "Release": {"Name": args.release, "Namespace": args.namespace},
        "Chart": {"Name": chart["name"], "Version": chart["version"], "AppVersion": chart.get("appVersion", "")},
    }
    templates = os.path.join(args.chart, "templates")
    for name in sorted(os.listdir(templates)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(templates, name)) as file:
            rendered = render(file.read(), scope).strip()
        if rendered:
            sys.stdout.write(f"---\n# Source: {chart['name']}/templates/{name}\n{rendered}\n")


if __name__ == "__main__":
    main()

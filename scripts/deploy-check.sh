#!/usr/bin/env bash
# Checks deploy/ without a container engine or a cluster: renders the Helm chart (scripts/helm-render.py,
# helm's template subset) with its defaults and with autoscaling and the PDB off, validates the
# manifests against the Kubernetes schemas (kubernetes-validate --strict), the compose file against
# the compose specification (check-jsonschema's vendor.compose-spec), lints all YAML (yamllint) and
# checks the Grafana dashboard queries only name metrics the gateway exports (docs/operations.md).
# Needs: pip install kubernetes-validate check-jsonschema; apt-get install yamllint.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

python3 scripts/helm-render.py deploy/helm/switchyard > "$OUT/default.yaml"
printf 'autoscaling: {enabled: false}\npodDisruptionBudget: {enabled: false}\nmetrics: {scrape: false}\n' > "$OUT/minimal-values.yaml"
python3 scripts/helm-render.py deploy/helm/switchyard -f "$OUT/minimal-values.yaml" > "$OUT/minimal.yaml"
grep -q '^  replicas: 2$' "$OUT/minimal.yaml" || { echo "replicas missing with autoscaling off"; exit 1; }
! grep -q 'HorizontalPodAutoscaler\|PodDisruptionBudget' "$OUT/minimal.yaml" || { echo "HPA/PDB rendered while disabled"; exit 1; }
kubernetes-validate --strict "$OUT/default.yaml" "$OUT/minimal.yaml"

check-jsonschema --builtin-schema vendor.compose-spec deploy/docker-compose.yaml

yamllint -d '{extends: relaxed, rules: {line-length: {max: 130}}}' \
    deploy/docker-compose.yaml deploy/switchyard.yaml deploy/prometheus/prometheus.yml \
    deploy/grafana/provisioning "$OUT/default.yaml" "$OUT/minimal.yaml" \
    deploy/helm/switchyard/values.yaml deploy/helm/switchyard/Chart.yaml

python3 - <<'PY'
import json, re
dashboard = json.load(open("deploy/grafana/switchyard.json"))
documented = set(re.findall(r"`((?:switchyard|litellm)_[a-z_]+)`", open("docs/operations.md").read()))
checked = set()
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        expr = re.sub(r"by \([^)]*\)|\{[^}]*\}", "", target["expr"])  # drop label names and matchers
        for name in re.findall(r"\b(?:switchyard|litellm)_[a-z_]+", expr):
            name = re.sub(r"_(bucket|count|sum)$", "", name)
            assert name in documented, f"panel {panel['title']!r} queries {name}, which the gateway does not export"
            checked.add(name)
print(f"dashboard: {len(dashboard['panels'])} panels, {len(checked)} metrics, all exported")
PY
echo "deploy check passed"

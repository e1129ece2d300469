#!/usr/bin/env bash
# packaging/monitoring checked without a running stack: promtool validates the alert rules and
# the Prometheus configuration and runs the rules' unit tests (alerts_test.yml); the Grafana
# dashboard is valid JSON whose queries name only series the server exports; the scrape targets
# are the compose replicas.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v promtool >/dev/null || { echo "monitoring: promtool is missing (apt-get install prometheus)"; exit 1; }
dir=packaging/monitoring
promtool check rules "$dir/alerts.yml"
promtool check config "$dir/prometheus.yml"
(cd "$dir" && promtool test rules alerts_test.yml)
python3 - "$dir" <<'PY'
import json, re, sys
d = sys.argv[1]
dashboard = json.load(open(f"{d}/grafana/animerec-quality.json"))
exported = set(re.findall(r'"animerec_[a-z_]+', open("app/service/quality_monitor.cpp").read()
                          + open("app/service/metrics_registry.cpp").read()
                          + open("app/http/api_endpoints_quality.cpp").read()))
exported = {name.strip('"') for name in exported}
counts = re.findall(r'"([a-z_]+)"', open("core/eval/quality_counts.cpp").read().split("names{")[1].split("};")[0])
exported |= {f"animerec_quality_{c}_total" for c in counts}
exported |= {f"animerec_quality_{g}" for g in ("ctr", "ctr_ci_low", "ctr_ci_high", "watch_rate",
             "completion_rate", "mean_rating", "novelty", "coverage", "cold_start_share",
             "cache_hit_rate", "unknown_id_share", "new_user_share", "unknown_title_share")}
exported |= {f"animerec_http_request_duration_seconds_{s}" for s in ("bucket", "sum", "count")}
problems = []
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        for name in re.findall(r"animerec_[a-z_0-9]+", target["expr"]):
            if name not in exported:
                problems.append(f'{panel["title"]}: {name} is not exported')
for rule in re.findall(r"animerec_[a-z_0-9]+", open(f"{d}/alerts.yml").read()):
    if rule not in exported:
        problems.append(f"alerts.yml: {rule} is not exported")
compose = open("packaging/docker-compose.yaml").read()
for target in re.findall(r'"(animerec-\d):8000"', open(f"{d}/prometheus.yml").read()):
    if f"\n  {target}:" not in compose:
        problems.append(f"prometheus.yml scrapes {target}, which docker-compose.yaml lacks")
print("\n".join(problems) or f'dashboard: {len(dashboard["panels"])} panels, every series exported')
sys.exit(1 if problems else 0)
PY

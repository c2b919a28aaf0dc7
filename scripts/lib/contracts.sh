# shellcheck shell=bash
# Generates benchmark tenants: `generate_contracts DIR COUNT` writes DIR/tenant-<i>.yaml for
# i in 0..COUNT-1, distinct contracts cycling through the exposures, engines and tiers.

generate_contracts() {
  local dir=$1 count=$2 i
  local exposures=(public-http internal-http grpc async none)
  local engines=(postgres mysql redis none)
  mkdir -p "$dir"
  for ((i = 0; i < count; i++)); do
    cat >"$dir/tenant-$i.yaml" <<CONTRACT
apiVersion: zave.io/v1
kind: Workload
metadata:
  name: tenant-$i
spec:
  runtime: container
  exposure: ${exposures[i % 5]}
  delivery: rolling
  persistence:
    engine: ${engines[i % 4]}
  capabilities:
    - name: metrics
  resources:
    tier: $([ $((i % 2)) -eq 0 ] && echo small || echo standard)
CONTRACT
  done
}

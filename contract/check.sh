#!/usr/bin/env bash
# The committed API contract (openapi/<service>.json), checked the way clients will use it:
#   1. Spectral lints each document with contract/.spectral.yaml; a warning fails too.
#   2. openapi-typescript turns each into types (contract/generated/, not in git), which
#      contract/workflow.ts must compile against under `tsc --strict`.
#   3. openapi-python-client generates a Python client from each, into a temporary folder;
#      a warning (a part of the document it could not turn into code) fails.
# Every check runs for every service, so one run lists every finding; it changes nothing in
# git. `make contract` installs the tools first (npm ci, uv sync) and then runs this.
set -uo pipefail
cd "$(dirname "$0")/.."

SERVICES=(cases workforce reporting)
BIN=contract/node_modules/.bin
GENERATED=contract/generated
failed=()

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# openapi-python-client formats what it generates with the ruff found on PATH.
export PATH="$PWD/.venv/bin:$PATH"

section() { printf '\n=== %s\n' "$*"; }

for service in "${SERVICES[@]}"; do
    section "spectral: $service"
    "$BIN/spectral" lint --ruleset contract/.spectral.yaml --fail-severity=warn \
        "openapi/$service.json" || failed+=("spectral $service")
done

rm -rf "$GENERATED"
for service in "${SERVICES[@]}"; do
    section "openapi-typescript: $service"
    # Types say what the document says: a property with a default is optional unless required.
    "$BIN/openapi-typescript" "openapi/$service.json" -o "$GENERATED/$service.ts" \
        --default-non-nullable false || failed+=("openapi-typescript $service")
done

section "tsc --strict: contract/workflow.ts against the generated types"
if "$BIN/tsc" --strict --noEmit -p contract; then
    echo "no errors"
else
    failed+=("tsc")
fi

for service in "${SERVICES[@]}"; do
    section "openapi-python-client: $service"
    # It reports warnings on stderr ("Warning(s) encountered ...", "WARNING parsing ...") and,
    # with --fail-on-warning, exits 1 on them; the grep is a second guard on the wording.
    output=$(.venv/bin/openapi-python-client generate --path "openapi/$service.json" \
        --meta none --config contract/python-client.yaml --output-path "$scratch/$service" \
        --fail-on-warning 2>&1)
    status=$?
    echo "$output"
    if [[ $status -ne 0 ]] || grep -qi 'warning' <<<"$output"; then
        failed+=("openapi-python-client $service")
    fi
done

section "contract"
if [[ ${#failed[@]} -gt 0 ]]; then
    printf 'FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "all documents pass"

#!/usr/bin/env bash
# Property-based API testing with schemathesis, as a low-privilege member:
# starts the built server on a fresh SQLite file, creates an admin, a
# category, a thread and a member, and runs schemathesis over the OpenAPI
# document: no 5xx, every response matching its schema. Endpoints that end
# the caller's own session (logout, session revocation, password change)
# are excluded so the run keeps its credentials.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/forum-server}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-30}
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export COMITY_DATA_DIR="$dir" COMITY_BIND="127.0.0.1:$port" COMITY_SECOND_FACTOR=optional RUST_LOG=warn
base="http://127.0.0.1:$port"
pw="schemathesis run passphrase"
echo "$pw" | "$BIN" create-admin --username admin --email admin@example.org >/dev/null
"$BIN" serve >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
post() { curl -sf -X POST "$base$1" -H 'content-type: application/json' ${3:+-H "authorization: Bearer $3"} -d "$2"; }
admin=$(post /api/v1/auth/login "{\"username\":\"admin\",\"password\":\"$pw\"}" | json "['access_token']")
category=$(post /api/v1/categories '{"slug":"medicines","name":"Falsified medicines"}' "$admin" | json "['id']")
post /api/v1/threads "{\"category_id\":$category,\"title\":\"MEDICRIME article 5\",\"body\":\"Manufacturing of counterfeits\",\"kind\":\"discussion\",\"jurisdictions\":[\"FR\"]}" "$admin" >/dev/null
post /api/v1/threads "{\"category_id\":$category,\"title\":\"Falsified medicines in Morocco\",\"body\":\"Law 17-04\",\"kind\":\"analysis\",\"jurisdictions\":[\"MA\",\"AFRICAN-UNION\"],\"analysis\":{\"summary\":\"Law 17-04 punishes falsified medicines.\",\"language\":\"en\",\"instruments\":[\"medicrime:5\"],\"crime_areas\":[\"falsified_medicines\"]}}" "$admin" >/dev/null
invitation=$(post /api/v1/invitations '{"email":"member@example.org"}' "$admin" | json "['token']")
post /api/v1/auth/register "{\"invitation_token\":\"$invitation\",\"username\":\"member\",\"display_name\":\"Member\",\"password\":\"$pw\",\"country\":\"MA\",\"profession\":\"prosecutor\"}" >/dev/null
member=$(post /api/v1/auth/login "{\"username\":\"member\",\"password\":\"$pw\"}" | json "['access_token']")
st run "$base/api/v1/openapi.json" \
  -H "Authorization: Bearer $member" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "$MAX_EXAMPLES" \
  --exclude-path /api/v1/auth/logout \
  --exclude-path-regex '^/api/v1/me/(sessions|password)' \
  --seed 20261129
if grep -E "panicked|internal error|request failed" "$dir/server.log"; then
  echo "the server logged a panic or an internal error during the run" >&2
  exit 1
fi

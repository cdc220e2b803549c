#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster made for it, then remove the cluster.
# The command sees CTXH_TEST_DATABASE_URL. If that is already set, the given server is used.
set -euo pipefail

if [[ -n "${CTXH_TEST_DATABASE_URL:-}" ]]; then
  exec "$@"
fi

find_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return; fi
  if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir; return
  fi
}

bindir=$(find_bindir)
if [[ -z "$bindir" ]]; then
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "PostgreSQL is missing; installing it with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(find_bindir)
  fi
  [[ -n "$bindir" ]] || { echo "PostgreSQL server binaries not found; install postgresql" >&2; exit 1; }
fi

workdir=$(mktemp -d /tmp/ctxh-pg.XXXXXX)
as_owner=()
if [[ $EUID -eq 0 ]]; then
  # PostgreSQL refuses to run as root.
  chown postgres: "$workdir"
  as_owner=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 --no-sync >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
# Durability is pointless for a cluster that is deleted afterwards; speed is not.
"${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 start -o \
  "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
   -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" >/dev/null \
  || { cat "$workdir/server.log" >&2; exit 1; }

export CTXH_TEST_DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:$port/postgres"
echo "throwaway PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on port $port" >&2
set +e
"$@"
status=$?
exit $status

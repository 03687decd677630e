#!/usr/bin/env bash
# CI: build the image from Containerfile and start it; pass when its health check answers healthy, and its JSON logs
# (logging.structured.format.console=ecs) carry a refusal with its X-Request-Id, client address, and no secret.
# No registry is reachable here, so the base is a local Debian bookworm with openjdk-17-jre-headless, made once with
# mmdebstrap and cached as a tarball under /var/tmp (CREDITS_CI_CACHE); later runs import the tarball.
# Needs: podman, runc, mmdebstrap (Debian), and target/credits-policy.jar (mvn package). Prints its duration.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
export CONTAINERS_CONF="$PWD/ops/container/ci-containers.conf"
podman() { command podman --runtime runc "$@"; }

cache="${CREDITS_CI_CACHE:-/var/tmp/credits-policy-ci}"
base=localhost/credits-policy-base:bookworm-jre17
image=localhost/credits-policy:ci
name="credits-policy-ci-$$"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

test -f target/credits-policy.jar || { echo "no target/credits-policy.jar: run mvn package first" >&2; exit 1; }
if ! podman image exists "$base"; then
  if [ ! -f "$cache/base.tar" ]; then
    mkdir -p "$cache"
    mmdebstrap --variant=minbase --format=tar --include=openjdk-17-jre-headless bookworm "$cache/base.tar.tmp" \
      http://deb.debian.org/debian
    mv "$cache/base.tar.tmp" "$cache/base.tar"
  fi
  podman import "$cache/base.tar" "$base"
fi
echo "base image ready after $(( $(date +%s) - started )) s"

podman build --format docker --build-arg BASE="$base" -t "$image" -f Containerfile .
cleanup() { podman rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
podman run -d --name "$name" --network host -e PORT="$port" -e LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs "$image"

user=$(podman exec "$name" id -u)
[ "$user" != 0 ] || { echo "FAIL: the service runs as root" >&2; exit 1; }

healthy=""
for _ in $(seq 1 60); do
  if podman healthcheck run "$name" >/dev/null 2>&1; then healthy=yes; break; fi
  [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || break
  sleep 5
done
if [ -z "$healthy" ]; then
  echo "FAIL: the container never answered its health check" >&2
  podman logs "$name" | tail -50 >&2
  exit 1
fi

request_id="ci-check-$$"
curl -s -o /dev/null -H "X-Request-Id: $request_id" -H "Authorization: Bearer not-a-key" \
  "http://127.0.0.1:$port/v1/accounts/x/balance"
sleep 1
line=$(podman logs "$name" 2>&1 | grep "\"requestId\":\"$request_id\"" | grep '"refused authentication from' | head -n1 || true)
echo "refusal log line: $line"
python3 - "$line" <<'PY'
import json, sys
line = json.loads(sys.argv[1])
assert line["clientAddress"] == "127.0.0.1", line
assert "not-a-key" not in sys.argv[1], "the secret is in the log"
assert line["log"]["level"] == "INFO" and line["message"].startswith("refused authentication from 127.0.0.1: GET /v1/accounts/x/balance"), line
PY
echo "container check passed in $(( $(date +%s) - started )) s (running as uid $user, healthy, JSON logs)"

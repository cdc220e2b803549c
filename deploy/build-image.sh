#!/usr/bin/env bash
# Build the one ctxh image with podman: `bash deploy/build-image.sh [tag]`.
# With PYTHON_IMAGE unset and no registry to pull python:3.11-slim from (as on this
# machine), the base is made from Debian's own packages: a bookworm root filesystem with
# Python 3.11, imported as localhost/ctxh-python:3.11-bookworm.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-localhost/ctxh:dev}
base=${PYTHON_IMAGE:-localhost/ctxh-python:3.11-bookworm}
# No overlay filesystem inside a container: podman's plain-copy driver works anywhere.
export STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "building the image needs: ${missing[*]} (Debian packages)" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ -z "${PYTHON_IMAGE:-}" ]] && ! podman image exists "$base"; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "making $base from Debian bookworm's packages" >&2
  mmdebstrap --quiet --variant=minbase \
    --include=python3.11,python3.11-venv,ca-certificates \
    bookworm "$work/rootfs.tar" http://deb.debian.org/debian
  podman import --change 'CMD ["python3"]' "$work/rootfs.tar" "$base" >/dev/null
fi

# The host's certificate authorities, for the build's downloads (pip, uv): a site whose
# proxy inspects TLS has its own among them.
bundle=/etc/ssl/certs/ca-certificates.crt
trust=()
if [[ -f "$bundle" ]]; then
  trust=(--volume "$bundle:/etc/host-ca-certificates.crt:ro"
         --build-arg SSL_CERT_FILE=/etc/host-ca-certificates.crt
         --build-arg PIP_CERT=/etc/host-ca-certificates.crt)
fi

# chroot isolation: RUN steps need no namespaces of their own, so the build also works
# inside a container.
podman build --isolation=chroot "${trust[@]}" --build-arg PYTHON_IMAGE="$base" \
  -t "$tag" -f Containerfile .

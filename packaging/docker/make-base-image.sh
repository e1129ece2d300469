#!/usr/bin/env bash
# Makes the `debian:bookworm` base image locally (no image registry is reachable): debootstrap
# --variant=minbase from the Debian mirror this machine's apt sources already name, imported
# into Docker and tagged. Does nothing when the image exists.
set -euo pipefail
tag="${1:-debian:bookworm}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "make-base-image: $tag present"
  exit 0
fi

mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
  echo "make-base-image: no Debian mirror found in the apt sources" >&2
  exit 1
fi

root=$(mktemp -d /tmp/animerec-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "make-base-image: debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >/tmp/animerec-debootstrap.log 2>&1 || {
  tail -20 /tmp/animerec-debootstrap.log >&2
  exit 1
}
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - "$tag" >/dev/null
echo "make-base-image: tagged $tag"

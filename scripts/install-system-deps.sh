#!/usr/bin/env bash
# Installs the real parts the tests talk to, from Debian's packages, when they are missing, and checks
# the ones that come with the machine image.
#   scripts/install-system-deps.sh        everything the tests need (npm test's pretest); fails when it cannot
#   scripts/install-system-deps.sh demo   only what `npm run demo` needs (its predemo); when it cannot install,
#                                         it says what is missing and the demo stages that need it fail with
#                                         the same advice, while the others still run
set -euo pipefail
mode="${1:-test}"
case "$mode" in
  test | demo) ;;
  *)
    echo "install-system-deps.sh: unknown argument \"$mode\"; give none (the tests' needs) or demo" >&2
    exit 2
    ;;
esac
need=()
command -v git >/dev/null || need+=(git) # merge-check needs git >= 2.38 (merge-tree --write-tree)
# The registry client's tests and the demo's build-matrix and patch-sweep stages start a real registry
# (distribution 2.8: packages/registry/src/local-registry.ts).
[ -x "${REGISTRY_BIN:-/usr/bin/docker-registry}" ] || need+=(docker-registry) # REGISTRY_BIN: where it is, when elsewhere
if [ "$mode" = test ]; then
  # The probe's business-level tests start a real Prometheus (test/prometheus/prometheus.ts); TLS tests make certificates with openssl.
  [ -x /usr/bin/prometheus ] || need+=(prometheus)
  command -v openssl >/dev/null || need+=(openssl)
  # The registry tests use htpasswd and token auth, and skopeo reads back what we push (test/registry/registry.ts).
  command -v skopeo >/dev/null || need+=(skopeo)
  command -v htpasswd >/dev/null || need+=(apache2-utils)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    if [ "$mode" = demo ]; then
      echo "missing: ${need[*]}; the demo stages that need them will fail (install them: sudo apt-get install ${need[*]})"
      exit 0
    fi
    echo "missing: ${need[*]} (install them, or run as root)"
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
[ "$mode" = demo ] && exit 0

# kubectl is the peer that checks the Kubernetes simulator; it comes with the machine image (v1.32).
# Debian's kubernetes-client is v1.20, too old to stand in for it, so it is checked, not installed.
if ! command -v kubectl >/dev/null; then
  echo "kubectl is not on PATH: the kube-sim, rollout-parity and deploy tests need kubectl >= 1.30" >&2
  exit 1
fi

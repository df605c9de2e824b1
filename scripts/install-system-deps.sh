#!/usr/bin/env bash
# Installs the real parts the tests talk to, from Debian's packages, when they are missing, and checks
# the ones that come with the machine image.
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git) # merge-check needs git >= 2.38 (merge-tree --write-tree)
# The probe's business-level tests start a real Prometheus (test/prometheus/prometheus.ts); TLS tests make certificates with openssl.
[ -x /usr/bin/prometheus ] || need+=(prometheus)
command -v openssl >/dev/null || need+=(openssl)
# The registry client's tests start a real registry (distribution 2.8) with htpasswd and token auth, and
# skopeo reads back what we push (test/registry/registry.ts).
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
command -v htpasswd >/dev/null || need+=(apache2-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "missing: ${need[*]} (install them, or run as root)"; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

# kubectl is the peer that checks the Kubernetes simulator; it comes with the machine image (v1.32).
# Debian's kubernetes-client is v1.20, too old to stand in for it, so it is checked, not installed.
if ! command -v kubectl >/dev/null; then
  echo "kubectl is not on PATH: the kube-sim, rollout-parity and deploy tests need kubectl >= 1.30" >&2
  exit 1
fi

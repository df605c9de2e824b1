#!/usr/bin/env bash
# Installs the real parts the tests talk to, from Debian's packages, when they are missing:
# git (merge-tree needs >= 2.38). Later issues add prometheus and docker-registry here.
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
# The probe's business-level tests start a real Prometheus (test/prometheus/prometheus.ts); TLS tests make certificates with openssl.
[ -x /usr/bin/prometheus ] || need+=(prometheus)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "missing: ${need[*]} (install them, or run as root)"; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

#!/bin/bash
# Packages each area needs (one apt-get line per area).
set -euo pipefail
# container: runc runs the real container of tests/integration/container_runc.sh (busybox-static is fetched there with apt-get download); python3 reads the JSON in the container tests
apt-get install -y --no-install-recommends runc python3

#!/bin/bash
# Installs the dashboard's npm dependencies exactly as locked (package-lock.json); uses the npm
# cache when it has the packages. Used by CI before `npm test`, `npm run build` and the e2e test.
set -euo pipefail
cd "$(dirname "$0")"
exec npm ci --no-audit --no-fund --prefer-offline

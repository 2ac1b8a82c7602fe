#!/bin/bash
# readme_root.sh: the README's two commands work in a fresh Debian root shell, which has no sudo: the README
# shows them without sudo, and neither scripts/run.sh nor scripts/check-all.sh (nor install-deps.sh, which
# both run) calls sudo. Also: no doc or script still names the old binary path (the daemon is rtmond).
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
fail() { echo "FAIL: $*"; exit 1; }
cd "$top_srcdir"
grep -qx 'scripts/run.sh' README.md || fail "README does not show 'scripts/run.sh' on its own line"
grep -qx 'scripts/check-all.sh' README.md || fail "README does not show 'scripts/check-all.sh' on its own line"
grep -q 'as root (or with sudo' README.md || fail "README does not say 'as root (or with sudo)'"
if grep -nE 'sudo +(\./)?scripts/' README.md; then fail "README runs a script with sudo"; fi
for f in scripts/run.sh scripts/check-all.sh scripts/install-deps.sh; do
	if grep -nE '(^|[;&|(`$ ]|then |do )sudo( |$)' "$f" | grep -v '^[0-9]*:[[:space:]]*#'; then fail "$f calls sudo"; fi
done
# the binary is /usr/sbin/rtmond, built as src/rtmond (lines about iproute2's own rtmon excepted)
if grep -rnE '(src|sbin)/rtmon([^a-z0-9_.-]|$)' README.md CONTRIBUTING.md docs scripts bench systemd Containerfile deploy \
	mk Makefile.am 2> /dev/null | grep -vE 'iproute|Update scripts that run'; then
	fail "the old binary path is still named above"
fi
echo "PASS: README commands need no sudo; no old binary path"

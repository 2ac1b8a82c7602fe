#!/bin/bash
# cli.sh: the command line per the SPEC: --version, --help, bad usage (exit 1), --check-config (0/1 with
# FILE:LINE), a bad -o (exit 1), and exit 2 with a message naming the missing privilege when BPF cannot load.
. "$(dirname "$0")/lib.sh"
[ -x "$RTMON" ] || fail "rtmon is not built: $RTMON"
expect_rc() { # expect_rc WANT CMD...
	local want=$1 rc=0; shift
	"$@" > "$T/o" 2> "$T/e" < /dev/null || rc=$?
	[ "$rc" = "$want" ] || { cat "$T/o" "$T/e"; fail "'$*' exited $rc, want $want"; }
}
expect_rc 0 "$RTMON" --version
grep -qE '^rtmon [0-9]+\.[0-9]+\.[0-9]+$' "$T/o" || fail "--version prints '$(cat "$T/o")'"
expect_rc 0 "$RTMON" --help
grep -q -- "--check-config" "$T/o" || fail "--help lacks --check-config"
expect_rc 1 "$RTMON" --no-such-option
expect_rc 1 "$RTMON" stray-argument
expect_rc 0 "$RTMON" --check-config -c "$top_srcdir/etc/rtmon/rtmon.conf"
grep -q "configuration OK" "$T/o" || fail "--check-config did not say OK"
printf 'bpf = { ringbuf_kb = "big"; };\noutputs = { stdout = true; nonsense = 1; };\n' > "$T/bad.conf"
expect_rc 1 "$RTMON" --check-config -c "$T/bad.conf"
grep -q "^$T/bad.conf:1: " "$T/o" || { cat "$T/o"; fail "no FILE:1: diagnostic for the bad type"; }
grep -q "^$T/bad.conf:2: " "$T/o" || { cat "$T/o"; fail "no FILE:2: diagnostic for the unknown key"; }
expect_rc 1 "$RTMON" --check-config -c "$T/missing.conf"
expect_rc 1 "$RTMON" --check-config -o no.such.setting=1
expect_rc 0 "$RTMON" --replay /dev/null
# exit 2 without the privilege to load BPF, with a message that names it
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	expect_rc 2 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
		"$RTMON" -o outputs.journal=false
	grep -qiE "CAP_BPF|root" "$T/e" || { cat "$T/e"; fail "the exit-2 message does not name the privilege"; }
else
	echo "note: not root, the exit-2 check is skipped"
fi
echo PASS

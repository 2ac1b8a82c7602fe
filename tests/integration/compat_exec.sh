#!/bin/bash
# compat_exec.sh: a 32-bit (ia32) program is marked at exec (compat: true) and raises compat_exec with its
# exact pid, with the shipped default rules; a 64-bit program of the same code raises nothing. The 32-bit
# program also maps anonymous executable memory through int 0x80: whether that mmap is seen depends on the
# hooks (syscall tracepoints skip compat system calls; LSM/fentry hooks see them), so it is printed, not
# asserted. Needs a kernel that runs 32-bit programs (CONFIG_IA32_EMULATION, not ia32_emulation=0):
# SKIP otherwise (this build host's kernel has none; the 6.1 and 6.12 guests of make check-kernels do).
. "$(dirname "$0")/lib.sh"
require_root
for t in as ld; do command -v $t > /dev/null || skip "needs $t (binutils, scripts/install-deps.sh)"; done
# outside the temp dirs: suspicious_exec is not what this checks
W=$(mktemp -d /var/lib/rtmon-compat.XXXXXX)
trap 'rm -rf "$W"; cleanup_default' EXIT
cat > "$W/p32.s" <<'S'
	.globl _start
	.text
_start:
	movl $192, %eax		# mmap2(NULL, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
	xorl %ebx, %ebx
	movl $4096, %ecx
	movl $5, %edx
	movl $0x22, %esi
	movl $-1, %edi
	xorl %ebp, %ebp
	int $0x80
	movl $1, %eax		# exit(0)
	xorl %ebx, %ebx
	int $0x80
S
cat > "$W/p64.s" <<'S'
	.globl _start
	.text
_start:
	movl $60, %eax		# exit(0)
	xorl %edi, %edi
	syscall
S
as --32 -o "$W/p32.o" "$W/p32.s" && ld -m elf_i386 -o "$W/p32" "$W/p32.o" || skip "binutils cannot build ia32 programs"
as -o "$W/p64.o" "$W/p64.s" && ld -o "$W/p64" "$W/p64.o" || fail "cannot build the 64-bit program"
rc=0; "$W/p32" 2>/dev/null || rc=$?
[ $rc = 0 ] || skip "this kernel cannot run 32-bit programs (no IA32 emulation: exit $rc)"
rtmon_start --stdout --trace -c "$top_srcdir/etc/rtmon/rtmon.conf"
"$W/p32" & p32=$!; wait $p32 || fail "the 32-bit program failed"
"$W/p64" & p64=$!; wait $p64 || fail "the 64-bit program failed"
sleep 1
rtmon_stop
python3 - "$T/out" "$p32" "$p64" "$W/p32" <<'PY' || fail "compat marking"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
p32, p64, exe = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ev = [o for o in lines if o.get("kind") == "event"]
al = [o for o in lines if o.get("kind") == "alert"]
e32 = [o for o in ev if o["type"] == "exec" and o["pid"] == p32]
e64 = [o for o in ev if o["type"] == "exec" and o["pid"] == p64]
assert e32 and e32[0].get("compat") is True and e32[0]["exe"] == exe, e32
assert e64 and "compat" not in e64[0], e64
a = [o for o in al if o["rule_id"] == "compat_exec" and o["event"]["pid"] == p32]
assert a, "no compat_exec alert for pid %d" % p32
assert not [o for o in al if o["event"]["pid"] == p64], "the 64-bit program alerted"
mm = [o for o in ev if o["type"] == "mmap" and o["pid"] == p32]
print("compat_exec: pid %d %s; its int 0x80 mmap %s" % (p32, a[0]["reason"], "seen" if mm else "not seen (syscall tracepoints skip compat calls)"))
PY
echo PASS

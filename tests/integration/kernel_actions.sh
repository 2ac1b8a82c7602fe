#!/bin/bash
# kernel_actions.sh: the kernel's socket, listen and bpf events with the shipped default rules: a packet
# socket opened by a sniffer run from a temp directory (packet_socket), a BPF program loaded with
# bpf(BPF_PROG_LOAD) (foreign_bpf_load, with the program's type and name), bind shells seen when they
# listen - socat TCP-LISTEN ... EXEC:, nc.traditional -l -e (bind_shell, with the port) - each its own alert
# with the exact pid; python3 -m http.server listening and a UDP socket raise nothing.
. "$(dirname "$0")/lib.sh"
require_root
for t in cc socat nc.traditional; do
	command -v $t > /dev/null || skip "needs $t (scripts/install-deps.sh)"
done
rtmon_start --stdout --trace -c "$top_srcdir/etc/rtmon/rtmon.conf"
rtmon_actions "kernel action" "$top_srcdir/tests/integration/kernel_actions.py" "$T"
echo PASS

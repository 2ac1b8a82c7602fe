#!/bin/bash
# Container attribution of a process in a kubepods-shaped cgroup (systemd driver, burstable QoS):
# rtmon's alert for an exec from /tmp in that cgroup carries container id, runtime, pod uid, pod name
# and namespace (from a /var/log/pods-like dir); the same exec from a host cgroup carries no container.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/rtmon-ctrkube.XXXXXX)
. "$HERE/container_lib.sh"
CG2=$(cg2_mount)
BASE=
cleanup() {
	stop_rtmon
	[ -n "$BASE" ] && cg_remove_tree "$BASE" "$CG2"
	rm -rf "$T"
}
trap cleanup EXIT
container_require_root
[ -n "$CG2" ] || skip "no cgroup2 mount"

CID=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
POD_UID=$(cat /proc/sys/kernel/random/uuid)
REL=/rtmon-test-$$/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_UID//-/_}.slice/cri-containerd-$CID.scope
BASE=$CG2/rtmon-test-$$
mkdir -p "$CG2$REL" || skip "cannot create cgroups under $CG2"
mkdir -p "$T/pods/shop_web-7d9_$POD_UID" "$T/bin"
cp /bin/true "$T/bin/rtmon-ctr-probe"

start_rtmon -o "process.pods_log_dir=$T/pods"

# in the pod's container cgroup: the shell moves itself, then execs the probe from /tmp
# (detached from the test's process tree: under `make check`, make is a near ancestor and the rule
# excuses programs a build runs from /tmp)
DETACH="python3 $HERE/../../scripts/sim_detach.py"
$DETACH sh -c "echo \$\$ > '$T/pid.ctr'; echo \$\$ > '$CG2$REL/cgroup.procs' && exec '$T/bin/rtmon-ctr-probe'" ||
	fail "could not run the probe in $REL"
# on the host
$DETACH sh -c "echo \$\$ > '$T/pid.host'; exec '$T/bin/rtmon-ctr-probe'"
CPID=$(cat "$T/pid.ctr") HPID=$(cat "$T/pid.host")

wait_json "$HERE/container_check.py" event "$CPID" "container_id=$CID" "cgroup=$REL" ||
	fail "exec event of pid $CPID lacks container_id/cgroup"
wait_json "$HERE/container_check.py" alert "$CPID" "id=$CID" runtime=containerd "pod_uid=$POD_UID" \
	pod=web-7d9 namespace=shop || fail "alert of pid $CPID lacks the container/pod identity"
wait_json "$HERE/container_check.py" alert "$HPID" container=none ||
	fail "alert of the host pid $HPID carries a container"
echo PASS

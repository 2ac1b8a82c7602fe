// Fixture alerts in rtmon's alert JSON format (shared/SPEC.md "Alert", docs/API.md), for the
// development server only. The end-to-end test proper runs against the real rtmon.
let seq = 0;
let lastUsec = 0;

export function nextId(ms) {
  let usec = Math.floor(ms * 1000);
  if (usec <= lastUsec) usec = lastUsec + 1;
  lastUsec = usec;
  seq++;
  return `${usec}-${seq}`;
}

const CONTAINERS = [
  { id: '3f9a1c2e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f', runtime: 'containerd', pod_uid: '6c1d0a8e-1f2b-4c3d-9e8f-7a6b5c4d3e2f', pod: 'web-7d9f8c', namespace: 'shop' },
  { id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', runtime: 'containerd', pod_uid: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', pod: 'cart-5f2b', namespace: 'shop' },
  { id: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d', runtime: 'cri-o', pod_uid: '11112222-3333-4444-5555-666677778888', pod: 'coredns-6d4b', namespace: 'kube-system' },
  null,
];

function iso(ms) {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, m) => `.${m}000Z`);
}

const LINEAGE = [
  { pid: 2201, comm: 'sh', exe: '/usr/bin/dash' },
  { pid: 1890, comm: 'node', exe: '/usr/local/bin/node' },
  { pid: 1720, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2' },
  { pid: 1, comm: 'systemd', exe: '/usr/lib/systemd/systemd' },
];

export function makeAlert(kind, ms, opts = {}) {
  const pid = opts.pid ?? 3000 + (seq % 5000);
  const container = opts.container === undefined ? CONTAINERS[seq % CONTAINERS.length] : opts.container;
  const base = { kind: 'alert', id: nextId(ms), timestamp: iso(ms), host: 'node-1' };
  const lineage = opts.lineage ?? LINEAGE;
  const withC = (a) => (container ? { ...a, container } : a);
  switch (kind) {
    case 'reverse_shell':
      return withC({
        ...base,
        rule_id: 'reverse_shell',
        severity: 'critical',
        risk_score: 95,
        reason: `${opts.comm ?? 'bash'} connected to 203.0.113.7:4444 with stdin/stdout on a socket`,
        mitre: ['T1059.004'],
        event: { type: 'connect', time: iso(ms), pid, tid: pid, ppid: lineage[0].pid, uid: 1000, comm: opts.comm ?? 'bash', exe: '/usr/bin/bash', family: 'inet', dst_addr: '203.0.113.7', dst_port: 4444, connect_ret: 0 },
        lineage,
        addr: '203.0.113.7:4444',
      });
    case 'injection_attempt':
      return withC({
        ...base,
        rule_id: 'injection_attempt',
        severity: 'high',
        risk_score: 80,
        reason: `${opts.comm ?? 'gdb'} attached to pid ${pid - 7} with PTRACE_ATTACH`,
        mitre: ['T1055.008'],
        event: { type: 'ptrace', time: iso(ms), pid, tid: pid, ppid: lineage[0].pid, uid: 0, comm: opts.comm ?? 'gdb', exe: '/usr/bin/gdb', ptrace_request: 'PTRACE_ATTACH', target_pid: pid - 7 },
        lineage,
      });
    case 'memfd':
      return withC({
        ...base,
        rule_id: 'injection_attempt',
        severity: 'high',
        risk_score: 70,
        reason: `${opts.comm ?? 'python3'} created an anonymous memfd "x"`,
        mitre: ['T1620'],
        event: { type: 'memfd_create', time: iso(ms), pid, tid: pid, ppid: lineage[0].pid, uid: 0, comm: opts.comm ?? 'python3', exe: '/usr/bin/python3.11', memfd_name: 'x', memfd_flags: [] },
        lineage,
      });
    default:
      return withC({
        ...base,
        rule_id: 'suspicious_exec',
        severity: 'medium',
        risk_score: 55,
        reason: 'executed /tmp/.x/miner from a world-writable directory',
        mitre: ['T1204.002'],
        event: { type: 'exec', time: iso(ms), pid, tid: pid, ppid: lineage[0].pid, uid: 1000, comm: opts.comm ?? 'miner', exe: '/tmp/.x/miner', args: ['/tmp/.x/miner', '--pool', 'stratum+tcp://198.51.100.4:3333'], cwd: '/tmp', filename: '/tmp/.x/miner' },
        lineage,
      });
  }
}

/** A spread of alerts over the last 'minutes' minutes, for the development view. */
export function seed(now, count, minutes) {
  const kinds = ['suspicious_exec', 'suspicious_exec', 'memfd', 'injection_attempt', 'reverse_shell'];
  const out = [];
  for (let i = 0; i < count; i++) {
    const ms = now - minutes * 60000 + Math.floor(((i + 0.5) / count) * minutes * 60000);
    out.push(makeAlert(kinds[(i * 7) % kinds.length], ms, { pid: 4000 + i }));
  }
  return out;
}

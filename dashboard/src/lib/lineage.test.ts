import { describe, expect, it } from 'vitest';
import { buildLineage } from './lineage';
import { mkAlert } from '../test/make';

describe('buildLineage', () => {
  it('draws the root first down to the acting process', () => {
    const a = mkAlert({
      event: { pid: 1234, ppid: 567, comm: 'bash', exe: '/usr/bin/bash' },
      lineage: [
        { pid: 567, comm: 'sshd', exe: '/usr/sbin/sshd' },
        { pid: 1, comm: 'systemd' },
      ],
    });
    expect(buildLineage(a)).toEqual([
      { pid: 1, comm: 'systemd', exe: null, depth: 0, actor: false, inferred: false },
      { pid: 567, comm: 'sshd', exe: '/usr/sbin/sshd', depth: 1, actor: false, inferred: false },
      { pid: 1234, comm: 'bash', exe: '/usr/bin/bash', depth: 2, actor: true, inferred: false },
    ]);
  });
  it('falls back to the ppid when there is no lineage', () => {
    const n = buildLineage(mkAlert({ event: { pid: 9, ppid: 8, comm: 'x' }, lineage: [] }));
    expect(n.map((x) => [x.pid, x.inferred, x.actor])).toEqual([
      [8, true, false],
      [9, false, true],
    ]);
  });
  it('is just the actor without any parent', () => {
    expect(buildLineage(mkAlert({ event: { pid: 1, comm: 'systemd' } })).map((x) => x.pid)).toEqual([1]);
    expect(buildLineage(mkAlert({ event: undefined })).map((x) => [x.pid, x.actor])).toEqual([[-1, true]]);
  });
  it('stops at a repeated pid (a loop in bad data), keeping the nearest ancestors', () => {
    const a = mkAlert({ event: { pid: 5, comm: 'a' }, lineage: [{ pid: 4 }, { pid: 3 }, { pid: 4 }, { pid: 2 }, { pid: 5 }] });
    expect(buildLineage(a).map((x) => x.pid)).toEqual([3, 4, 5]);
  });
});

// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { alertJson, copyText, exportFileName, toNdjson } from './export';
import { mkAlert } from '../test/make';

describe('export', () => {
  it('NDJSON: one compact alert per line, oldest first, every line parses back to the alert', () => {
    const a = mkAlert({ id: '10-10', reason: 'line1\nline2' });
    const b = mkAlert({ id: '9-9', event: { comm: 'in\u202evoice', pid: 4 } });
    const text = toNdjson([a, b]);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l))).toEqual([b, a]);
    expect(text.includes('\u202e')).toBe(false);
    expect(lines[0]).toContain('in\\u202evoice');
    expect(toNdjson([])).toBe('');
  });
  it('alert JSON escapes bidi characters yet means the same', () => {
    const v = { exe: '/tmp/invoice\u202efdp.sh', esc: '\u001b[31m' };
    const s = alertJson(v);
    expect(s).not.toMatch(/[\u202e\u001b]/);
    expect(JSON.parse(s)).toEqual(v);
    expect(alertJson(v, false).includes('\n')).toBe(false);
  });
  it('names the file after the local time', () => {
    expect(exportFileName(new Date(2026, 10, 29, 15, 36, 40).getTime())).toBe('rtmon-alerts-20261129-153640.ndjson');
  });
  it('copies with the Clipboard API, falls back to execCommand, reports failure', async () => {
    const writeText = vi.fn(async () => {});
    expect(await copyText('x', { clipboard: { writeText } } as unknown as Navigator, document)).toBe(true);
    expect(writeText).toHaveBeenCalledWith('x');
    const exec = vi.fn(() => true);
    const doc = document as Document & { execCommand: unknown };
    const old = doc.execCommand;
    doc.execCommand = exec;
    const denied = { clipboard: { writeText: async () => Promise.reject(new Error('denied')) } } as unknown as Navigator;
    expect(await copyText('y', denied, document)).toBe(true);
    expect(exec).toHaveBeenCalledWith('copy');
    expect(document.querySelector('textarea')).toBeNull();
    doc.execCommand = () => false;
    expect(await copyText('z', {} as Navigator, document)).toBe(false);
    doc.execCommand = old;
  });
});

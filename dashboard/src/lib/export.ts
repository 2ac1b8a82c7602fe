// Hand-off of alerts: the JSON of one alert for the clipboard and NDJSON of many for a download.
// Pure text builders plus two thin browser helpers (clipboard, download) that take their globals
// as arguments so they are testable.
import type { Alert } from '../types';
import { compareIds } from './alert';

// Characters JSON.stringify leaves raw that can make text lie about itself (bidi overrides,
// zero-width, line/paragraph separators, C1 controls): escaped as \uXXXX, the JSON means the same.
const JSON_UNSAFE = /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

function escapeUnsafe(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One alert as JSON, pretty (indent 2) or compact; attacker strings cannot reorder the text. */
export function alertJson(a: unknown, pretty = true): string {
  return escapeUnsafe(pretty ? JSON.stringify(a, null, 2) : JSON.stringify(a));
}

/** NDJSON: one compact alert per line, oldest first (by id), ending with a newline; '' for none. */
export function toNdjson(alerts: readonly Alert[]): string {
  if (alerts.length === 0) return '';
  const sorted = [...alerts].sort((x, y) => compareIds(x.id, y.id));
  return sorted.map((a) => alertJson(a, false)).join('\n') + '\n';
}

/** rtmon-alerts-20261129-153640.ndjson in the viewer's local time. */
export function exportFileName(now: number): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  return `rtmon-alerts-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.ndjson`;
}

/**
 * Puts text on the clipboard: the async Clipboard API, else a hidden textarea and
 * execCommand('copy') (plain http on a non-local address is not a secure context).
 * Resolves true when copied.
 */
export async function copyText(text: string, nav: Navigator | undefined = globalThis.navigator, doc: Document | undefined = globalThis.document): Promise<boolean> {
  try {
    if (nav?.clipboard?.writeText) {
      await nav.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the textarea
  }
  if (!doc?.body) return false;
  const ta = doc.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  doc.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = typeof doc.execCommand === 'function' && doc.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

/** Offers text as a file download (an object URL on a temporary link). */
export function downloadText(name: string, text: string, type = 'application/x-ndjson'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

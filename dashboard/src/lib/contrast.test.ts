// WCAG AA: every severity badge's text has a contrast ratio of at least 4.5:1 on its background.
// node:fs without @types/node: the module name is computed so tsc does not resolve it
const fsName = 'node:fs';
const fs = (await import(/* @vite-ignore */ fsName)) as { readFileSync(p: URL, enc: string): string };
const css = fs.readFileSync(new URL('../styles.css', import.meta.url), 'utf8');
import { describe, expect, it } from 'vitest';


function lum(h: string): number {
  const hex = h.length === 4 ? `#${h[1]}${h[1]}${h[2]}${h[2]}${h[3]}${h[3]}` : h;
  const v = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * v[0]! + 0.7152 * v[1]! + 0.0722 * v[2]!;
}
function ratio(a: string, b: string): number {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

describe('severity badge contrast', () => {
  const baseText = /\.sev \{[^}]*color: (#[0-9a-f]{6})/.exec(css)![1]!;
  for (const sev of ['info', 'low', 'medium', 'high', 'critical']) {
    it(`${sev} badge >= 4.5:1`, () => {
      const bg = new RegExp(`--sev-${sev}: (#[0-9a-f]{6})`).exec(css)![1]!;
      const rule = new RegExp(`\\.sev-${sev}[^{]*\\{([^}]*)\\}`).exec(css)![1]!;
      const fg = /(?:^|[\s;])color: (#[0-9a-f]{6}|#[0-9a-f]{3})\b/.exec(rule)?.[1] ?? baseText;
      expect(ratio(fg, bg)).toBeGreaterThanOrEqual(4.5);
    });
  }
});

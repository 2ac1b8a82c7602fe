// Prometheus text exposition format (version 0.0.4) parser and counter-rate computation. Pure.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParseResult {
  samples: Sample[];
  /** metric name -> TYPE ("counter", "gauge", ...) from "# TYPE" lines */
  types: Record<string, string>;
  /** 1-based numbers of the lines that could not be parsed */
  errors: number[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(s: string): number | null {
  switch (s) {
    case '+Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return null;
  return Number(s);
}

/** Parses one sample line; null when malformed. */
export function parseSampleLine(line: string): Sample | null {
  const m = NAME.exec(line);
  if (!m) return null;
  const name = m[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const lm = LABEL.exec(line.slice(i));
      if (!lm) return null;
      i += lm[0].length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=') return null;
      i++;
      while (line[i] === ' ') i++;
      if (line[i] !== '"') return null;
      i++;
      let v = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) return null;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          const n = line[i + 1];
          if (n === 'n') v += '\n';
          else if (n === '\\' || n === '"') v += n;
          else if (n === undefined) return null;
          else v += '\\' + n;
          i += 2;
          continue;
        }
        v += c;
        i++;
      }
      labels[lm[0]] = v;
      while (line[i] === ' ') i++;
      if (line[i] === ',') {
        i++;
        continue;
      }
      if (line[i] === '}') {
        i++;
        break;
      }
      return null;
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') return null;
  if (line[i] !== ' ' && line[i] !== '\t') return null;
  const value = parseValue(rest[0]!);
  if (value === null) return null;
  if (rest.length === 2 && !/^-?\d+$/.test(rest[1]!)) return null;
  return { name, labels, value };
}

export function parseMetrics(text: string): ParseResult {
  const samples: Sample[] = [];
  const types: Record<string, string> = {};
  const errors: number[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, idx) => {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const t = /^#\s*TYPE\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s+(\w+)/.exec(line);
      if (t) types[t[1]!] = t[2]!;
      return;
    }
    const s = parseSampleLine(line);
    if (s) samples.push(s);
    else errors.push(idx + 1);
  });
  return { samples, types, errors };
}

/** A stable key for a series: name{a="1",b="2"} with the labels sorted. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const ks = Object.keys(labels).sort();
  if (ks.length === 0) return name;
  return `${name}{${ks.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

export interface Snapshot {
  /** ms */
  at: number;
  values: Map<string, Sample>;
}

export function snapshot(samples: Sample[], at: number): Snapshot {
  const values = new Map<string, Sample>();
  for (const s of samples) values.set(seriesKey(s.name, s.labels), s);
  return { at, values };
}

export interface Rate {
  key: string;
  name: string;
  labels: Record<string, string>;
  /** per second */
  rate: number;
  total: number;
}

/**
 * Per-second rates of the counter series present in both snapshots. A counter that went down
 * (the daemon restarted) counts from zero: rate = current / dt. No rates when dt <= 0.
 */
export function computeRates(prev: Snapshot | null, cur: Snapshot): Map<string, Rate> {
  const out = new Map<string, Rate>();
  if (!prev) return out;
  const dt = (cur.at - prev.at) / 1000;
  if (!(dt > 0)) return out;
  for (const [key, s] of cur.values) {
    const p = prev.values.get(key);
    if (!p || !Number.isFinite(s.value) || !Number.isFinite(p.value)) continue;
    const delta = s.value >= p.value ? s.value - p.value : s.value;
    out.set(key, { key, name: s.name, labels: s.labels, rate: delta / dt, total: s.value });
  }
  return out;
}

/** The samples of one metric, e.g. every rtmon_events_total{type=...}. */
export function byName(samples: Iterable<Sample>, name: string): Sample[] {
  const out: Sample[] = [];
  for (const s of samples) if (s.name === name) out.push(s);
  return out;
}

/** One gauge value (the first series of that name), or null. */
export function gauge(samples: Iterable<Sample>, name: string): number | null {
  for (const s of samples) if (s.name === name) return s.value;
  return null;
}

/** "12.3/s", "0.45/s", "1.2k/s". */
export function formatRate(r: number): string {
  if (!Number.isFinite(r)) return '-';
  if (r >= 1000) return `${(r / 1000).toFixed(1)}k/s`;
  if (r >= 10) return `${r.toFixed(0)}/s`;
  if (r >= 1) return `${r.toFixed(1)}/s`;
  if (r === 0) return '0/s';
  return `${r.toFixed(2)}/s`;
}

/** "1h 02m", "3m 05s", "42s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

// Pages of alert history from /api/alerts (rtmon's journal on a host, its memory elsewhere): the
// URL of a page (cursor, server-side filters, one alert by its id's time) and the page read from a
// response (alerts, the next older page's cursor from Rtmon-Next-Cursor, where it came from).
import type { Alert, Severity } from '../types';
import { toAlert } from './alert';

export interface PageQuery {
  /** Rtmon-Next-Cursor of the previous page: the page holds the alerts just older */
  cursor?: string | null;
  severities?: readonly Severity[];
  rule?: string;
  /** the alerts of one host (an aggregator's history holds several) */
  host?: string;
  limit?: number;
  /** alert time bounds in microseconds since the epoch (inclusive) */
  sinceUs?: number;
  untilUs?: number;
}

export interface Page {
  alerts: Alert[];
  malformed: number;
  /** null: no older alerts */
  next: string | null;
  /** 'journal' | 'memory' | null (an rtmon without pages) */
  source: string | null;
}

/** The URL of a page: base is the /api/alerts URL (its token and other parameters kept). */
export function pageUrl(base: string, q: PageQuery): string {
  const u = new URL(base);
  if (q.limit !== undefined) u.searchParams.set('limit', String(q.limit));
  if (q.cursor) u.searchParams.set('cursor', q.cursor);
  else u.searchParams.delete('cursor');
  if (q.severities && q.severities.length > 0) u.searchParams.set('severity', q.severities.join(','));
  if (q.rule) u.searchParams.set('rule', q.rule);
  if (q.host) u.searchParams.set('host', q.host);
  if (q.sinceUs !== undefined) u.searchParams.set('since', String(q.sinceUs));
  if (q.untilUs !== undefined) u.searchParams.set('until', String(q.untilUs));
  return u.toString();
}

/** The time part of an alert id ("<usec>-<seq>"), or null. */
export function idMicros(id: string): number | null {
  const m = /^(\d{1,19})-\d+$/.exec(id);
  return m ? Number(m[1]) : null;
}

/** The URL that finds one alert by its id (a deep link to an alert older than the first page). */
export function alertByIdUrl(base: string, id: string): string | null {
  const us = idMicros(id);
  return us === null ? null : pageUrl(base, { sinceUs: us, untilUs: us, limit: 50 });
}

/** Reads a page from a response body and its headers. */
export function readPage(body: unknown, headers: { get(name: string): string | null }): Page {
  const alerts: Alert[] = [];
  let malformed = 0;
  if (Array.isArray(body)) {
    for (const v of body) {
      const a = toAlert(v);
      if (a) alerts.push(a);
      else malformed++;
    }
  }
  const next = headers.get('Rtmon-Next-Cursor');
  return { alerts, malformed, next: next && next.trim() !== '' ? next.trim() : null, source: headers.get('Rtmon-History') };
}

/** Fetches one page; throws on a network error or an HTTP error (with the status in the message). */
export async function fetchPage(url: string, signal?: AbortSignal): Promise<Page> {
  const r = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return readPage(await r.json(), r.headers);
}

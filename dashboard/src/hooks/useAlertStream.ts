// Connects an EventSource to /events and feeds the reducer. Alerts are batched (one dispatch per
// 150 ms) so a burst does not re-render per alert. The browser reconnects by itself with
// Last-Event-ID; when it gives up (HTTP error, readyState CLOSED) we open a new EventSource with
// backoff. Recent history is fetched once from /api/alerts (the reducer dedupes by id): the newest
// page (its Rtmon-Next-Cursor starts "load older"), the newest high and critical alerts (a flood of
// low alerts cannot push an attack off the first screen after a reload), and the alert a deep link
// names when it is older than both (found by its id's time).
// A 401 (token missing or wrong) is final: an EventSource cannot see the status, so when it gives
// up, /api/alerts?limit=1 is asked; on 401 the state becomes 'unauthorized' and nothing retries
// (the page asks for a token, which makes new URLs and so a new connection).
import { useEffect, type Dispatch } from 'react';
import type { Alert } from '../types';
import { parseAlert } from '../lib/alert';
import { alertByIdUrl, fetchPage, pageUrl } from '../lib/history';
import type { StreamAction } from '../state/stream';

const FLUSH_MS = 150;

export function useAlertStream(
  eventsUrl: string,
  alertsUrl: string | null,
  dispatch: Dispatch<StreamAction>,
  focusId: string | null = null,
): void {
  useEffect(() => {
    let es: EventSource | null = null;
    let queue: Alert[] = [];
    let bad = 0;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let backoff = 1000;
    let stopped = false;
    const ctl = new AbortController();
    const refuse = () => {
      if (stopped) return;
      stopped = true;
      es?.close();
      if (retryTimer !== null) clearTimeout(retryTimer);
      dispatch({ type: 'conn', state: 'unauthorized' });
    };
    const probeUrl = (() => {
      if (alertsUrl === null) return null;
      try {
        const u = new URL(alertsUrl);
        u.searchParams.set('limit', '1');
        return u.toString();
      } catch {
        return null;
      }
    })();

    const flush = () => {
      flushTimer = null;
      if (queue.length > 0) {
        const batch = queue;
        queue = [];
        dispatch({ type: 'add', alerts: batch, at: Date.now() });
      }
      if (bad > 0) {
        dispatch({ type: 'malformed', count: bad });
        bad = 0;
      }
    };
    const schedule = () => {
      if (flushTimer === null) flushTimer = setTimeout(flush, FLUSH_MS);
    };

    const onAlert = (ev: MessageEvent) => {
      const a = typeof ev.data === 'string' ? parseAlert(ev.data) : null;
      if (a) queue.push(a);
      else bad++;
      schedule();
    };

    const connect = (first: boolean) => {
      if (stopped) return;
      dispatch({ type: 'conn', state: first ? 'connecting' : 'reconnecting' });
      const src = new EventSource(eventsUrl);
      es = src;
      src.onopen = () => {
        backoff = 1000;
        dispatch({ type: 'conn', state: 'open' });
      };
      src.addEventListener('alert', onAlert as EventListener);
      src.onerror = () => {
        if (stopped) return;
        dispatch({ type: 'conn', state: 'reconnecting' });
        if (src.readyState === EventSource.CLOSED) {
          src.close();
          const retry = () => {
            if (stopped) return;
            retryTimer = setTimeout(() => connect(false), backoff);
            backoff = Math.min(backoff * 2, 30000);
          };
          if (probeUrl === null) retry();
          else
            fetch(probeUrl, { signal: ctl.signal, headers: { accept: 'application/json' } })
              .then((r) => (r.status === 401 ? refuse() : retry()))
              .catch(() => retry());
        }
      };
    };
    connect(true);

    if (alertsUrl !== null) {
      const take = (url: string, main: boolean) =>
        fetchPage(url, ctl.signal)
          .then((p) => {
            if (stopped) return;
            queue.push(...p.alerts);
            bad += p.malformed;
            if (main) dispatch({ type: 'older', patch: { cursor: p.next, source: p.source ?? 'memory' } });
            // history is shown at once (the batching is for bursts of live alerts): first paint
            if (flushTimer !== null) clearTimeout(flushTimer);
            flush();
          })
          .catch((e: unknown) => {
            /* history is optional: the live stream still works */
            if (main && String(e).includes('HTTP 401')) refuse();
          });
      take(alertsUrl, true);
      take(pageUrl(alertsUrl, { severities: ['high', 'critical'] }), false);
      const byId = focusId === null ? null : alertByIdUrl(alertsUrl, focusId);
      if (byId !== null) take(byId, false);
    }

    return () => {
      stopped = true;
      ctl.abort();
      es?.close();
      if (flushTimer !== null) clearTimeout(flushTimer);
      if (retryTimer !== null) clearTimeout(retryTimer);
    };
    // focusId: only the page's first deep link matters; later selections are in memory already
  }, [eventsUrl, alertsUrl, dispatch]);
}

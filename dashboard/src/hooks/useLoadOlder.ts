// "Load older": fetches the page of history just older than what was loaded (the cursor of the
// last page), with the severity, rule and host filters applied by the server, and feeds the reducer.
import { useCallback, useRef, type Dispatch } from 'react';
import { fetchPage, pageUrl } from '../lib/history';
import type { Filters, OlderState, StreamAction } from '../state/stream';

export const OLDER_PAGE = 500;

export function useLoadOlder(alertsUrl: string | null, older: OlderState, filters: Filters, dispatch: Dispatch<StreamAction>): () => void {
  const busy = useRef(false);
  return useCallback(() => {
    if (alertsUrl === null || older.cursor === null || busy.current) return;
    busy.current = true;
    dispatch({ type: 'older', patch: { loading: true, error: '' } });
    const url = pageUrl(alertsUrl, { cursor: older.cursor, severities: filters.severities, rule: filters.rule, host: filters.host, limit: OLDER_PAGE });
    fetchPage(url)
      .then((p) => {
        if (p.alerts.length > 0) dispatch({ type: 'add', alerts: p.alerts, at: Date.now() });
        if (p.malformed > 0) dispatch({ type: 'malformed', count: p.malformed });
        dispatch({ type: 'older', patch: { cursor: p.next, loading: false } });
      })
      .catch((e: unknown) => dispatch({ type: 'older', patch: { loading: false, error: String(e) } }))
      .finally(() => {
        busy.current = false;
      });
  }, [alertsUrl, older.cursor, filters.severities, filters.rule, filters.host, dispatch]);
}

import type { Severity } from './types';
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { formatUrlState, parseUrlState } from './lib/urlstate';
import { DEFAULT_SORT, nextSort, type Sort, type SortKey } from './lib/sort';
import { currentEndpoints, hasToken, type Endpoints } from './config';
import { TokenPrompt } from './components/TokenPrompt';
import { useAlertStream } from './hooks/useAlertStream';
import { useLoadOlder } from './hooks/useLoadOlder';
import { useMetrics } from './hooks/useMetrics';
import { useNow } from './hooks/useNow';
import { alertAddr, alertTarget, hostsOf } from './lib/alert';
import {
  allAlerts,
  attacksOf,
  incidentList,
  containerChoices,
  findAlert,
  initialState,
  ruleIds,
  streamReducer,
  visibleAlerts,
  type Filters,
} from './state/stream';
import { AlertDrawer } from './components/AlertDrawer';
import { Header } from './components/Header';
import { Heatmap } from './components/Heatmap';
import { CountsPanel } from './components/CountsPanel';
import { HighlightPanel } from './components/HighlightPanel';
import { IncidentPanel } from './components/IncidentPanel';
import { LineagePanel } from './components/LineagePanel';
import { MetricsPanel } from './components/MetricsPanel';
import { StreamPanel } from './components/StreamPanel';

export const HEAT_BUCKETS = 30;

export function App({ endpoints }: { endpoints?: Endpoints }) {
  const [ep, setEp] = useState<Endpoints>(() => endpoints ?? currentEndpoints());
  const onToken = useCallback((t: string) => setEp(currentEndpoints(t)), []);
  // a deep link (#alert=ID&incident=ID&rule=...) opens that view
  const initialUrl = useMemo(() => parseUrlState(typeof window === 'undefined' ? '' : window.location.hash), []);
  const [state, dispatch] = useReducer(streamReducer, undefined, () => ({
    ...initialState(),
    filters: initialUrl.filters,
    selectedId: initialUrl.alert,
    selectedIncident: initialUrl.incident,
  }));
  const [drawerOpen, setDrawerOpen] = useState(initialUrl.alert !== null);
  const [sort, setSort] = useState<Sort>(initialUrl.sort ?? DEFAULT_SORT);
  const onSort = useCallback((key: SortKey) => setSort((cur) => nextSort(cur, key)), []);
  useEffect(() => {
    const hash = formatUrlState({ alert: state.selectedId, incident: state.selectedIncident, filters: state.filters, sort });
    if (hash !== window.location.hash && !(hash === '' && window.location.hash === '')) {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`);
    }
  }, [state.selectedId, state.selectedIncident, state.filters, sort]);
  const [bucketMs, setBucketMs] = useState(60_000);
  useAlertStream(ep.events, ep.alerts, dispatch, initialUrl.alert);
  const loadOlder = useLoadOlder(ep.alerts, state.older, state.filters, dispatch);
  const metrics = useMetrics(ep.metrics, 3000);
  const now = useNow(1000);

  const { alerts, pending, filters } = state;
  const all = useMemo(() => allAlerts({ alerts, pending }), [alerts, pending]);
  const visible = useMemo(() => visibleAlerts({ alerts, filters }), [alerts, filters]);
  const rules = useMemo(() => ruleIds(all), [all]);
  const containers = useMemo(() => containerChoices(all), [all]);
  const hosts = useMemo(() => hostsOf(all), [all]);
  const reverse = useMemo(() => attacksOf(all, 'reverse_shell'), [all]);
  const injection = useMemo(() => attacksOf(all, 'injection_attempt'), [all]);
  const incidents = useMemo(() => incidentList(state.incidents), [state.incidents]);
  const selected = findAlert(state, state.selectedId);

  const select = useCallback((id: string) => {
    dispatch({ type: 'select', id });
    setDrawerOpen(true);
  }, []);
  const closeDrawer = useCallback(() => setDrawerOpen(false), []);
  const selectIncident = useCallback((id: string | null) => dispatch({ type: 'selectIncident', id }), []);
  const openIncident = useCallback((id: string) => {
    dispatch({ type: 'selectIncident', id });
    setDrawerOpen(false);
    document.querySelector('[data-testid="incident-panel"]')?.scrollIntoView?.();
  }, []);
  const onFilter = useCallback((patch: Partial<Filters>) => dispatch({ type: 'setFilter', patch }), []);

  return (
    <div className="app">
      <Header conn={state.conn} lastEventAt={state.lastEventAt} now={now} total={all.length} hosts={hosts} malformed={state.malformed} />
      {state.conn === 'unauthorized' && <TokenPrompt hadToken={hasToken(ep)} onToken={onToken} />}
      <main className="layout">
        <div className="row-top">
          <HighlightPanel title="Reverse shells" ruleId="reverse_shell" alerts={reverse} now={now} detail={alertAddr} detailLabel="remote address" onSelect={select} />
          <HighlightPanel title="Injection attempts" ruleId="injection_attempt" alerts={injection} now={now} detail={alertTarget} detailLabel="target" onSelect={select} />
          <MetricsPanel m={metrics} />
        </div>
        <div className="row-main">
          <StreamPanel
            visible={visible}
            total={state.alerts.length}
            paused={state.paused}
            pending={state.pending.length}
            filters={state.filters}
            rules={rules}
            containers={containers}
            hosts={hosts}
            selectedId={state.selectedId}
            onFilter={onFilter}
            onClearFilters={() => dispatch({ type: 'clearFilters' })}
            onTogglePause={() => dispatch({ type: state.paused ? 'resume' : 'pause' })}
            onSelect={select}
            sort={sort}
            onSort={onSort}
            now={now}
            older={state.older}
            onLoadOlder={loadOlder}
          />
          <div className="side">
            <IncidentPanel incidents={incidents} selected={state.selectedIncident} alerts={all} onSelectIncident={selectIncident} onSelectAlert={select} />
            <LineagePanel alert={selected} />
            <CountsPanel
              alerts={all}
              now={now}
              bucketMs={bucketMs}
              buckets={HEAT_BUCKETS}
              onPick={(by, key) => onFilter(by === 'rule' ? { rule: key } : by === 'host' ? { host: key } : { severities: [key as Severity] })}
            />
            <Heatmap alerts={all} now={now} bucketMs={bucketMs} buckets={HEAT_BUCKETS} onBucketMs={setBucketMs} onPickRow={(c) => onFilter({ container: c })} />
          </div>
        </div>
      </main>
      <AlertDrawer alert={drawerOpen ? selected : null} onClose={closeDrawer} onIncident={openIncident} />
    </div>
  );
}

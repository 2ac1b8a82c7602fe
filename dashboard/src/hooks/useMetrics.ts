// Polls /metrics every few seconds, parses it and computes counter rates from the deltas.
import { useEffect, useState } from 'react';
import { computeRates, parseMetrics, snapshot, type Rate, type Sample, type Snapshot } from '../lib/metrics';

export const HISTORY = 30;

export interface MetricsView {
  /** latest samples (empty until the first poll) */
  samples: Sample[];
  /** per-series rates between the last two polls */
  rates: Map<string, Rate>;
  /** total event rate (all types) per poll, oldest first, at most HISTORY */
  eventRateHistory: number[];
  /** drop rate (all causes) per poll, oldest first */
  dropRateHistory: number[];
  error: string | null;
  lastPoll: number | null;
}

export const EMPTY_METRICS: MetricsView = {
  samples: [],
  rates: new Map(),
  eventRateHistory: [],
  dropRateHistory: [],
  error: null,
  lastPoll: null,
};

function sumRates(rates: Map<string, Rate>, name: string): number {
  let s = 0;
  for (const r of rates.values()) if (r.name === name) s += r.rate;
  return s;
}

/** The next view from the previous one and a new poll (pure; exported for tests). */
export function nextMetricsView(prevView: MetricsView, prevSnap: Snapshot | null, text: string, at: number): { view: MetricsView; snap: Snapshot } {
  const parsed = parseMetrics(text);
  const snap = snapshot(parsed.samples, at);
  const rates = computeRates(prevSnap, snap);
  const push = (h: number[], v: number) => h.concat([v]).slice(-HISTORY);
  const haveRates = rates.size > 0;
  return {
    snap,
    view: {
      samples: parsed.samples,
      rates,
      eventRateHistory: haveRates ? push(prevView.eventRateHistory, sumRates(rates, 'rtmon_events_total')) : prevView.eventRateHistory,
      dropRateHistory: haveRates ? push(prevView.dropRateHistory, sumRates(rates, 'rtmon_drops_total')) : prevView.dropRateHistory,
      error: null,
      lastPoll: at,
    },
  };
}

export function useMetrics(url: string, intervalMs = 3000): MetricsView {
  const [view, setView] = useState<MetricsView>(EMPTY_METRICS);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let prevSnap: Snapshot | null = null;
    let cur: MetricsView = EMPTY_METRICS;
    const ctl = new AbortController();
    const poll = async () => {
      try {
        const r = await fetch(url, { signal: ctl.signal, headers: { accept: 'text/plain' } });
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        const text = await r.text();
        if (stopped) return;
        const { view: v, snap } = nextMetricsView(cur, prevSnap, text, Date.now());
        prevSnap = snap;
        cur = v;
        setView(v);
      } catch (e) {
        if (stopped) return;
        cur = { ...cur, error: e instanceof Error ? e.message : String(e) };
        setView(cur);
      } finally {
        if (!stopped) timer = setTimeout(poll, intervalMs);
      }
    };
    void poll();
    return () => {
      stopped = true;
      ctl.abort();
      if (timer !== null) clearTimeout(timer);
    };
  }, [url, intervalMs]);
  return view;
}

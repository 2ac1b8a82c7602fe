// Where the dashboard gets its data. Rule:
//  1. VITE_EVENTS_URL set at build time: that URL.
//  2. else, a production build loaded over http(s): same origin, "/events" (rtmon's listener serves
//     the dashboard from outputs.sse.dashboard_dir, so one port serves both).
//  3. else (vite dev server, file://): http://localhost:8090/events.
// /metrics and /api/alerts sit beside /events. A ?token= in the page URL is passed on as ?token=
// (EventSource cannot set an Authorization header).

export const DEFAULT_EVENTS_URL = 'http://localhost:8090/events';

export interface Endpoints {
  events: string;
  metrics: string;
  alerts: string;
}

export interface EndpointInput {
  envUrl: string | undefined;
  dev: boolean;
  /** window.location.href */
  href: string;
}

function withToken(u: URL, token: string | null): string {
  if (token !== null && token !== '') u.searchParams.set('token', token);
  return u.toString();
}

export function resolveEndpoints(i: EndpointInput): Endpoints {
  const page = new URL(i.href);
  const token = page.searchParams.get('token');
  let events: URL;
  const env = i.envUrl?.trim();
  if (env) events = new URL(env, page);
  else if (!i.dev && (page.protocol === 'http:' || page.protocol === 'https:')) events = new URL('/events', page.origin);
  else events = new URL(DEFAULT_EVENTS_URL);
  events.hash = '';
  const sibling = (name: string, query?: string): URL => {
    const u = new URL(events.toString());
    u.pathname = u.pathname.replace(/\/[^/]*\/?$/, '') + name; // /x/events -> /x/metrics
    u.search = query ?? '';
    // keep any query the configured URL had (other than token, set below)
    for (const [k, v] of events.searchParams) if (k !== 'token' && !u.searchParams.has(k)) u.searchParams.set(k, v);
    return u;
  };
  return {
    events: withToken(events, token),
    metrics: withToken(sibling('/metrics'), token),
    alerts: withToken(sibling('/api/alerts', '?limit=500'), token),
  };
}

export const TOKEN_KEY = 'rtmon.token';

/**
 * The access token: a ?token= in the page URL (then kept in sessionStorage and taken out of
 * the address bar: 'clean' is the URL to show), else the one kept for this tab. Pure.
 */
export function pageToken(href: string, stored: string | null): { token: string | null; clean: string | null; href: string } {
  const u = new URL(href);
  const t = u.searchParams.get('token');
  if (t !== null && t !== '') {
    u.searchParams.delete('token');
    return { token: t, clean: u.toString(), href };
  }
  if (stored !== null && stored !== '') {
    u.searchParams.set('token', stored);
    return { token: stored, clean: null, href: u.toString() };
  }
  return { token: null, clean: null, href };
}

/** True when the endpoints carry a token (so a 401 means a wrong token, not a missing one). */
export function hasToken(ep: Endpoints): boolean {
  try {
    return (new URL(ep.events).searchParams.get('token') ?? '') !== '';
  } catch {
    return false;
  }
}

/**
 * The endpoints for this page. 'entered' (from the token prompt) replaces the kept token: it is
 * kept for the tab in sessionStorage and never written to the address bar.
 */
export function currentEndpoints(entered?: string): Endpoints {
  let stored: string | null = entered ?? null;
  if (entered !== undefined) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, entered);
    } catch {
      /* storage disabled: the token still works for this page */
    }
  } else {
    try {
      stored = window.sessionStorage.getItem(TOKEN_KEY);
    } catch {
      /* storage disabled */
    }
  }
  const pt = pageToken(window.location.href, stored);
  if (pt.clean !== null && pt.token !== null) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, pt.token);
    } catch {
      /* storage disabled: the token still works for this page */
    }
    window.history.replaceState(window.history.state, '', pt.clean);
  }
  return resolveEndpoints({
    envUrl: import.meta.env.VITE_EVENTS_URL as string | undefined,
    dev: import.meta.env.DEV,
    href: pt.href,
  });
}

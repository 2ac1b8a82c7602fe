import type { ConnState } from '../types';
import { formatAgo, formatLocal } from '../lib/alert';

const LABEL: Record<ConnState, string> = { connecting: 'connecting', open: 'connected', reconnecting: 'reconnecting', unauthorized: 'token refused (401)' };

export interface ConnectionStatusProps {
  state: ConnState;
  lastEventAt: number | null;
  now: number;
}

export function ConnectionStatus({ state, lastEventAt, now }: ConnectionStatusProps) {
  return (
    <div className="conn" data-testid="conn-state" data-state={state}>
      <span className={`dot dot-${state}`} aria-hidden="true" />
      <span className="conn-label">{LABEL[state]}</span>
      <span className="muted" title={lastEventAt === null ? undefined : new Date(lastEventAt).toISOString()}>
        last alert {lastEventAt === null ? 'never' : `${formatAgo(lastEventAt, now)} (${formatLocal(lastEventAt)})`}
      </span>
    </div>
  );
}

import type { ConnState } from '../types';
import { ConnectionStatus } from './ConnectionStatus';

export interface HeaderProps {
  conn: ConnState;
  lastEventAt: number | null;
  now: number;
  total: number;
  hosts: string[];
  malformed: number;
}

export function Header({ conn, lastEventAt, now, total, hosts, malformed }: HeaderProps) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden="true" />
        <h1>rtmon</h1>
        <span className="muted">runtime security monitor</span>
      </div>
      <ConnectionStatus state={conn} lastEventAt={lastEventAt} now={now} />
      <div className="topstats">
        <span data-testid="total-alerts">
          <b>{total}</b> alerts
        </span>
        {hosts.length > 0 && <span className="muted">host {hosts.slice(0, 3).join(', ')}{hosts.length > 3 ? ` +${hosts.length - 3}` : ''}</span>}
        {malformed > 0 && <span className="warn">{malformed} malformed</span>}
      </div>
    </header>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { Alert } from '../types';
import { alertAddr, alertTarget, alertTimeMs, containerLabel, displayText, formatWhen, localZone } from '../lib/alert';
import { alertJson, copyText } from '../lib/export';
import { JsonView } from './JsonView';
import { LineageView } from './LineageView';
import { SeverityBadge } from './SeverityBadge';

export interface AlertDrawerProps {
  alert: Alert | null;
  onClose: () => void;
  onIncident?: (id: string) => void;
  /** clipboard writer (tests inject one); defaults to copyText */
  copy?: (text: string) => Promise<boolean>;
}

export function AlertDrawer({ alert, onClose, onIncident, copy = copyText }: AlertDrawerProps) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const [copied, setCopied] = useState<{ id: string; ok: boolean } | null>(null);
  const asideRef = useRef<HTMLElement>(null);
  const open = alert !== null;
  useEffect(() => {
    if (!open) return;
    // focus goes back where it was (the row) when the drawer closes
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => {
      if (back && back.isConnected) back.focus();
    };
  }, [open]);
  useEffect(() => {
    if (!alert) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      if (e.key !== 'Tab' || !asideRef.current) return;
      // aria-modal: Tab and Shift+Tab stay inside the drawer
      const els = [...asideRef.current.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')];
      if (els.length === 0) return;
      const first = els[0]!;
      const last = els[els.length - 1]!;
      const inside = asideRef.current.contains(document.activeElement);
      if (e.shiftKey && (document.activeElement === first || !inside)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
        e.preventDefault();
        first.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [alert, onClose]);
  if (!alert) return null;
  const e = alert.event ?? {};
  const addr = alertAddr(alert);
  const target = alertTarget(alert);
  const fields: [string, string][] = [
    ['id', alert.id],
    ['time', alertTimeMs(alert) === null ? '-' : `${formatWhen(alertTimeMs(alert), Date.now())} (${localZone()}; ${alert.timestamp ?? ''})`],
    ['host', alert.host ?? '-'],
    ['risk score', typeof alert.risk_score === 'number' ? String(alert.risk_score) : '-'],
    ['event', e.type ?? '-'],
    ['pid / ppid', `${e.pid ?? '?'} / ${e.ppid ?? '?'}`],
    ['uid', e.uid === undefined ? '-' : String(e.uid)],
    ['process', `${e.comm ?? '?'}${e.exe ? `  (${e.exe})` : ''}`],
    ['container', containerLabel(alert.container)],
  ];
  if (Array.isArray(e.args)) fields.push(['args', e.args.join(' ')]);
  if (addr) fields.push(['address', addr]);
  if (target && alert.rule_id !== 'reverse_shell') fields.push(['target', target]);
  if (Array.isArray(alert.mitre) && alert.mitre.length > 0) fields.push(['MITRE', alert.mitre.join(', ')]);
  return (
    <>
      <div className="scrim" onClick={onClose} aria-hidden="true" />
      <aside ref={asideRef} className="drawer" role="dialog" aria-modal="true" aria-label="alert detail" data-testid="drawer">
        <div className="drawer-head">
          <SeverityBadge severity={alert.severity} />
          <h2 className="mono">{displayText(alert.rule_id)}</h2>
          <span className="spacer" />
          <button ref={closeRef} type="button" className="btn" onClick={onClose} aria-label="close detail">
            Close
          </button>
        </div>
        <p className="drawer-reason">{displayText(alert.reason)}</p>
        {typeof alert.incident_id === 'string' && (
          <p className="small">
            incident{' '}
            <button type="button" className="linkish mono" data-testid="drawer-incident" onClick={() => onIncident?.(alert.incident_id as string)}>
              {displayText(alert.incident_id)}
            </button>
          </p>
        )}
        <dl className="fields">
          {fields.map(([k, v]) => (
            <div key={k} className="field">
              <dt>{k}</dt>
              <dd className="mono">{displayText(v)}</dd>
            </div>
          ))}
        </dl>
        <h3>Lineage</h3>
        <LineageView alert={alert} />
        <div className="json-head">
          <h3>Alert JSON</h3>
          <button
            type="button"
            className="btn"
            data-testid="copy-json"
            onClick={() => {
              const id = alert.id;
              void copy(alertJson(alert, true)).then((ok) => setCopied({ id, ok }));
            }}
          >
            Copy JSON
          </button>
          <span role="status" className="small muted" data-testid="copy-status">
            {copied && copied.id === alert.id ? (copied.ok ? 'copied' : 'copy failed: select the JSON below') : ''}
          </span>
        </div>
        <JsonView value={alert} />
      </aside>
    </>
  );
}

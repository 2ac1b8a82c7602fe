import { SEVERITIES, type Severity } from '../types';
import type { Filters } from '../state/stream';
import { displayText } from '../lib/alert';

export interface FilterBarProps {
  filters: Filters;
  rules: string[];
  containers: { value: string; label: string }[];
  /** hosts seen; the host filter shows when there is more than one (rtmond --aggregate) */
  hosts?: string[];
  onChange: (patch: Partial<Filters>) => void;
  onClear: () => void;
}

export function FilterBar({ filters, rules, containers, hosts = [], onChange, onClear }: FilterBarProps) {
  const toggle = (s: Severity) => {
    const on = filters.severities.includes(s);
    onChange({ severities: on ? filters.severities.filter((x) => x !== s) : [...filters.severities, s] });
  };
  const active = filters.severities.length > 0 || filters.rule !== '' || filters.text !== '' || filters.container !== '' || filters.host !== '';
  return (
    <div className="filters" role="search">
      <div className="chips" role="group" aria-label="severity">
        {SEVERITIES.map((s) => (
          <button
            key={s}
            type="button"
            className={`chip chip-${s}`}
            aria-pressed={filters.severities.includes(s)}
            onClick={() => toggle(s)}
          >
            {s}
          </button>
        ))}
      </div>
      <select aria-label="rule" value={filters.rule} onChange={(e) => onChange({ rule: e.target.value })}>
        <option value="">all rules</option>
        {rules.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <select aria-label="container" value={filters.container} onChange={(e) => onChange({ container: e.target.value })}>
        <option value="">all containers</option>
        {containers.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {(hosts.length > 1 || filters.host !== '') && (
        <select aria-label="host" data-testid="host-filter" value={filters.host} onChange={(e) => onChange({ host: e.target.value })}>
          <option value="">all hosts</option>
          {filters.host !== '' && !hosts.includes(filters.host) && <option value={filters.host}>{displayText(filters.host)}</option>}
          {hosts.map((h) => (
            <option key={h} value={h}>
              {displayText(h)}
            </option>
          ))}
        </select>
      )}
      <input
        type="search"
        aria-label="search"
        placeholder="search process, pid, reason…"
        value={filters.text}
        onChange={(e) => onChange({ text: e.target.value })}
      />
      {active && (
        <button type="button" className="link" onClick={onClear}>
          clear
        </button>
      )}
    </div>
  );
}

/** Labelled horizontal bars, scaled to the largest value (or to 'max' when given). */
export interface BarItem {
  key: string;
  label: string;
  value: number;
  text: string;
  alarm?: boolean;
}

export function MiniBars({ items, max, testid, columns = 1 }: { items: BarItem[]; max?: number; testid?: string; columns?: 1 | 2 }) {
  const top = max ?? Math.max(0, ...items.map((i) => i.value));
  return (
    <ul className={columns === 2 ? 'bars two' : 'bars'} data-testid={testid}>
      {items.map((i) => (
        <li key={i.key} className="bar-row" data-key={i.key} data-value={i.value}>
          <span className="bar-label mono" title={i.label}>
            {i.label}
          </span>
          <span className="bar-track">
            <span className={i.alarm ? 'bar-fill alarm' : 'bar-fill'} style={{ width: `${top > 0 ? Math.max(i.value > 0 ? 2 : 0, (i.value / top) * 100) : 0}%` }} />
          </span>
          <span className="bar-text mono">{i.text}</span>
        </li>
      ))}
    </ul>
  );
}

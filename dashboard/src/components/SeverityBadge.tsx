import { isSeverity, displayText } from '../lib/alert';

export function SeverityBadge({ severity }: { severity: string }) {
  const cls = isSeverity(severity) ? severity : 'unknown';
  return <span className={`sev sev-${cls}`}>{displayText(severity)}</span>;
}

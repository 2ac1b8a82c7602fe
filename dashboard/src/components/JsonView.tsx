import { alertJson } from '../lib/export';

export function safeJson(value: unknown): string {
  return alertJson(value, true);
}

/** Pretty-printed JSON as text (React escapes it; attacker strings never become HTML nor reorder text). */
export function JsonView({ value }: { value: unknown }) {
  return (
    <pre className="json" data-testid="alert-json">
      {safeJson(value)}
    </pre>
  );
}

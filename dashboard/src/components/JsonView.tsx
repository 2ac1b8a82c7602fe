// Characters JSON.stringify leaves raw that can make text lie about itself: bidi overrides,
// zero-width and line/paragraph separators, C1 controls. Escaped as \uXXXX, so the text stays valid JSON.
const JSON_UNSAFE = /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Pretty-printed JSON as text (React escapes it; attacker strings never become HTML nor reorder text). */
export function JsonView({ value }: { value: unknown }) {
  return (
    <pre className="json" data-testid="alert-json">
      {safeJson(value)}
    </pre>
  );
}

/** Pretty-printed JSON as text (React escapes it; attacker strings never become HTML). */
export function JsonView({ value }: { value: unknown }) {
  return (
    <pre className="json" data-testid="alert-json">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

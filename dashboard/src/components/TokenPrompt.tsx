import { useEffect, useRef, useState } from 'react';

export interface TokenPromptProps {
  /** a token was sent and refused (wrong), or none was sent (missing) */
  hadToken: boolean;
  onToken: (token: string) => void;
}

/** Shown when rtmon answered 401: says why and asks for the token (outputs.sse.token). */
export function TokenPrompt({ hadToken, onToken }: TokenPromptProps) {
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <section className="card token-prompt" role="alert" aria-label="access token needed" data-testid="token-prompt">
      <h2>{hadToken ? 'rtmon refused the access token (HTTP 401)' : 'rtmon needs an access token (HTTP 401)'}</h2>
      <p className="small">
        {hadToken
          ? 'The token given does not match outputs.sse.token on this host. Enter the right one.'
          : 'This listener has outputs.sse.token set: alerts, history and metrics need it. Enter it to connect.'}{' '}
        It is kept for this tab only (sessionStorage), never in the address bar.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const t = value.trim();
          if (t !== '') onToken(t);
        }}
      >
        <label className="small" htmlFor="rtmon-token">
          token
        </label>
        <input
          id="rtmon-token"
          ref={input}
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          data-testid="token-input"
        />
        <button type="submit" className="btn btn-primary" disabled={value.trim() === ''} data-testid="token-submit">
          Connect
        </button>
      </form>
    </section>
  );
}

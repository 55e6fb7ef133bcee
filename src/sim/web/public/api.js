/** The page's two channels to the emulator: one event stream per user, and JSON actions. */

/**
 * Opens `/web/events` for a user. `onSnapshot` gets what the user sees now (also after every
 * reconnect), `onChange` every later change in order.
 * @returns {() => void} closes the stream
 */
export function connect(user, { onSnapshot, onChange, onError }) {
  const source = new EventSource(`/web/events?user=${encodeURIComponent(user)}`);
  source.addEventListener('snapshot', (event) => onSnapshot(JSON.parse(event.data)));
  source.addEventListener('change', (event) => onChange(JSON.parse(event.data)));
  source.addEventListener('error', () => onError());
  return () => source.close();
}

/**
 * `POST /web/<name>` with a JSON body.
 * @returns {Promise<{ ok: boolean, error?: string, detail?: string }>}
 */
export async function act(name, body) {
  try {
    const response = await fetch(`/web/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return await response.json();
  } catch (error) {
    return { ok: false, error: 'emulator_unreachable', detail: String(error) };
  }
}

/**
 * The load generator of the ack benchmark, in a process of its own: sends COUNT `/migrate`
 * slash commands at once through the emulator's page endpoint (as the web page does), half
 * `status` and half `check VM HOST`, and prints each one's latency in ms as a JSON array: from
 * sending to the emulator's answer, which comes once the bot acknowledged (so it includes the
 * emulator's own hop; the bot's ack alone is a little faster).
 * Usage: `node bin/run-ts.js scripts/bench/ack/load-process.ts BASE_URL COUNT VM HOST`.
 */
const [baseUrl, count, vm, host] = process.argv.slice(2);
if (baseUrl && count && vm && host) {
  const send = async (text: string): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/web/slash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice', channel: 'ops', text: `/migrate ${text}` }),
    });
    const reply = (await response.json()) as { ok: boolean; error?: string };
    if (!reply.ok) throw new Error(`/migrate ${text}: ${reply.error}`);
    return performance.now() - started;
  };
  const latencies = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) => send(i % 2 === 0 ? 'status' : `check ${vm} ${host}`)),
  );
  process.stdout.write(`${JSON.stringify(latencies)}\n`);
}

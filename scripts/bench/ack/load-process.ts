/**
 * The load generator of the ack benchmark, in a process of its own: sends COUNT `/migrate`
 * slash commands at once through the emulator's page endpoint (as the web page does), half
 * `status` and half `check VM HOST`, and prints two latencies of each in ms as JSON: `ackMs`, from
 * the emulator's delivery to the bot's ack (what Slack's 3 s deadline counts), and `roundTripMs`,
 * from this process sending the command to the emulator's answer, which comes once the bot
 * acknowledged (so it adds the emulator's own hop and queue, and this process's).
 * Usage: `node bin/run-ts.js scripts/bench/ack/load-process.ts BASE_URL COUNT VM HOST`.
 */
const [baseUrl, count, vm, host] = process.argv.slice(2);
if (baseUrl && count && vm && host) {
  const send = async (text: string): Promise<{ ackMs: number; roundTripMs: number }> => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/web/slash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice', channel: 'ops', text: `/migrate ${text}` }),
    });
    const reply = (await response.json()) as { ok: boolean; error?: string; ackMs?: number };
    if (!reply.ok || reply.ackMs === undefined) throw new Error(`/migrate ${text}: ${reply.error}`);
    return { ackMs: reply.ackMs, roundTripMs: performance.now() - started };
  };
  const latencies = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) => send(i % 2 === 0 ? 'status' : `check ${vm} ${host}`)),
  );
  process.stdout.write(
    `${JSON.stringify({ ackMs: latencies.map((l) => l.ackMs), roundTripMs: latencies.map((l) => l.roundTripMs) })}\n`,
  );
}

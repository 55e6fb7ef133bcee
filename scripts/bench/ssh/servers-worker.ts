/**
 * Worker thread of the SSH benchmark: runs the in-process ssh2 servers so that their side of
 * each handshake uses the second core instead of competing with the client being measured.
 * Messages: in `workerData` { count, clientPublicKey }; out { ports, knownHostsLines }; in
 * 'close'; out 'closed'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateHostKey, startSshServer, type TestSshServer } from '../../../test/support/ssh-server.js';

/** What the benchmark sends when it starts this worker. */
export interface ServersWorkerData {
  count: number;
  clientPublicKey: string;
}

/** What the worker answers once every server listens. */
export interface ServersReady {
  ports: number[];
  knownHostsLines: string[];
}

if (parentPort) {
  const port = parentPort;
  const { count, clientPublicKey } = workerData as ServersWorkerData;
  // One host key for all servers: generating keys is not what is measured.
  const hostPrivateKey = generateHostKey();
  const servers: TestSshServer[] = [];
  for (let i = 0; i < count; i += 1) servers.push(await startSshServer({ clientPublicKey, hostPrivateKey }));
  port.on('message', async (message) => {
    if (message !== 'close') return;
    await Promise.all(servers.map((server) => server.close()));
    port.postMessage('closed');
  });
  const ready: ServersReady = {
    ports: servers.map((server) => server.port),
    knownHostsLines: servers.map((server) => server.knownHostsLine),
  };
  port.postMessage(ready);
}

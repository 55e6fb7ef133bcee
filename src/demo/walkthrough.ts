import type { Demo } from './start-demo.js';

/** What `livemig start` prints: where to look, and the three steps of the seed scenario. */
export function walkthroughText(demo: Pick<Demo, 'pageUrl' | 'lab'>): string {
  const hypervisors = demo.lab.hosts.filter((host) => host.role === 'hypervisor').length;
  return [
    `livemig demo: open ${demo.pageUrl}`,
    `  (${hypervisors} hypervisors on nova ${demo.lab.config.nova.release} over SSH on 127.0.0.1; Slack is emulated in this process)`,
    '  1. As alice in #ops, type `/migrate dstest node10`: dstest still runs an old CPU, so press "Request hard reboot" in the thread.',
    '  2. Switch to bob (top right) and approve the reboot; then, as alice, run `/migrate dstest node10` again.',
    '  3. As bob or carol, press Approve and watch the progress in the thread; #ops-notifications gets the summary.',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

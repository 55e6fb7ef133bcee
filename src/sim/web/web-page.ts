import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackEmulator } from '../emulator.js';
import type { ExtraRoute } from '../http-server.js';
import { resolveUser } from '../interactions.js';
import { isPageAction, runPageAction } from './page-actions.js';
import { isVisibleTo, pageSnapshot } from './page-snapshot.js';
import { readStaticFile } from './static-files.js';

/** The page is served to the local machine only; these headers keep it self-contained. */
const pageHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'",
};

/** `/archives/<channel>/p<ts without its dot>`: what chat.getPermalink and auth.test's URL lead to. */
const permalinkPath = /^\/archives\/[A-Z0-9]+\/p[0-9]{7,}$/;

/**
 * The emulator's web page: `GET /` and `/static/<file>` (the page), `GET /archives/C/pTS` (the
 * page opened on a message's thread, for permalinks), `GET /web/events?user=U`
 * (a server-sent event stream: a `snapshot` of what that user sees, then every workspace change
 * they may see), and `POST /web/<action>` (the user typing, clicking and submitting; see
 * page-actions.ts).
 */
export function createWebPageRoute(emulator: SlackEmulator): ExtraRoute {
  return (request, url, rawBody, response) => {
    const path = url.pathname;
    if (request.method === 'GET' && (path === '/' || permalinkPath.test(path))) {
      // A permalink is the page itself: the page reads the channel and thread from its address.
      serveStatic('index.html', response);
      return true;
    }
    if (request.method === 'GET' && path.startsWith('/static/')) {
      serveStatic(path.slice('/static/'.length), response);
      return true;
    }
    if (request.method === 'GET' && path === '/web/events') {
      streamEvents(emulator, url.searchParams.get('user') ?? '', request, response);
      return true;
    }
    const action = path.startsWith('/web/') ? path.slice('/web/'.length) : '';
    if (request.method === 'POST' && isPageAction(action)) {
      runPageAction(emulator, action, rawBody).then(
        (reply) => sendJson(response, reply.ok ? 200 : 400, reply),
        (error: unknown) =>
          sendJson(response, 500, { ok: false, error: 'internal_error', detail: String(error) }),
      );
      return true;
    }
    return false;
  };
}

function serveStatic(name: string, response: ServerResponse): void {
  readStaticFile(name).then(
    (file) => {
      if (!file) {
        sendJson(response, 404, { ok: false, error: 'not_found' });
        return;
      }
      response.writeHead(200, { 'content-type': file.contentType, ...pageHeaders });
      response.end(file.body);
    },
    () => sendJson(response, 500, { ok: false, error: 'page_missing' }),
  );
}

/**
 * Subscribes before taking the snapshot, so no change falls between the two; the page applies
 * the changes in order on top of the snapshot.
 */
function streamEvents(
  emulator: SlackEmulator,
  userName: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const { workspace } = emulator;
  let userId: string;
  try {
    // No user named: the first person in the directory, so a bare URL shows a useful page.
    userId = userName
      ? resolveUser(workspace, userName).id
      : (workspace.users().find((u) => !u.is_bot)?.id ?? '');
  } catch {
    userId = '';
  }
  if (!userId) {
    sendJson(response, 404, { ok: false, error: 'user_not_found' });
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const send = (event: string, data: unknown) =>
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const unsubscribe = emulator.subscribe((change) => {
    if (isVisibleTo(change, userId)) send('change', change);
  });
  request.on('close', unsubscribe);
  send('snapshot', pageSnapshot(workspace, userId));
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

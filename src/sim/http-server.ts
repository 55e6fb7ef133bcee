import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { LivemigError } from '../errors.js';
import { answerApiRequest, type WebApiDeps } from './api/web-api.js';
import type { ResponseUrls } from './response-urls.js';

export interface EmulatorRoutes {
  webApi: WebApiDeps;
  responseUrls: ResponseUrls;
  /** Socket Mode upgrades on /socket; absent in HTTP delivery mode. */
  upgradeSocket?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /**
   * Routes outside Slack's wire protocol (the emulator's web page), tried before the 404; true
   * when it answered the request.
   */
  extra?: ExtraRoute;
}

/** A route handler outside the wire protocol; answers `true` when it took the request. */
export type ExtraRoute = (
  request: IncomingMessage,
  url: URL,
  rawBody: string,
  response: ServerResponse,
) => boolean;

/** Requests larger than this are refused, like Slack's own body limit. */
const maxBodyBytes = 4 * 1024 * 1024;

/**
 * The emulator's HTTP front: `POST /api/<method>` (Web API), `POST /response/<id>`
 * (response_url) and the Socket Mode upgrade on `/socket`. Binds to 127.0.0.1 only.
 */
export async function listenEmulatorHttp(
  routes: EmulatorRoutes,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    readBody(request)
      .then((rawBody) => route(routes, request, rawBody, response))
      .catch(() => send(response, 413, { ok: false, error: 'request_too_large' }));
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/socket' && routes.upgradeSocket) routes.upgradeSocket(request, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new LivemigError('config_invalid', `the Slack emulator cannot listen on 127.0.0.1:${port}`, {
          cause: error,
        }),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return { server, port: boundPort };
}

function route(
  routes: EmulatorRoutes,
  request: IncomingMessage,
  rawBody: string,
  response: ServerResponse,
): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  if (request.method !== 'POST' && request.method !== 'GET') {
    send(response, 405, { ok: false, error: 'method_not_allowed' });
    return;
  }
  if (path.startsWith('/api/')) {
    const methodName = decodeURIComponent(path.slice('/api/'.length));
    const answer = answerApiRequest(
      {
        methodName,
        authorization: request.headers.authorization,
        // Slack also takes GET with the arguments in the query string.
        contentType: request.method === 'GET' ? undefined : request.headers['content-type'],
        rawBody: request.method === 'GET' ? url.searchParams.toString() : rawBody,
      },
      routes.webApi,
    );
    const answered = () => {
      response.writeHead(answer.status, answer.headers);
      response.end(JSON.stringify(answer.body));
    };
    const held = routes.webApi.held?.(methodName, answer.args);
    if (held) void held.then(answered);
    else answered();
    return;
  }
  if (path.startsWith('/response/') && request.method === 'POST') {
    const answer = routes.responseUrls.answer(decodeURIComponent(path.slice('/response/'.length)), rawBody);
    send(response, answer.status, answer.body);
    return;
  }
  if (routes.extra?.(request, url, rawBody, response)) return;
  send(response, 404, { ok: false, error: 'not_found' });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

import { type ApiArgs, parseApiBody, stringArg } from './args.js';
import type { CallLog } from './call-log.js';
import { chatMethods } from './chat-methods.js';
import { directoryMethods } from './directory-methods.js';
import type { ApiContext, ApiMethod, ApiReply, TokenKind } from './method.js';
import type { RateLimiter } from './rate-limits.js';
import { viewMethods } from './view-methods.js';

/** Every Web API method the emulator implements, by name. */
export const apiMethods: Record<string, ApiMethod> = { ...chatMethods, ...viewMethods, ...directoryMethods };

/** The tokens the workspace accepts. */
export interface ApiTokens {
  botToken: string;
  appToken: string;
}

/** A Web API request as it came off the wire. */
export interface ApiRequest {
  methodName: string;
  authorization: string | undefined;
  contentType: string | undefined;
  rawBody: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: ApiReply;
  /** The call's arguments as read (what a hold looks at). */
  args: ApiArgs;
}

export interface WebApiDeps {
  context: ApiContext;
  tokens: ApiTokens;
  rateLimiter: RateLimiter;
  callLog: CallLog;
  /** While a call is held, its answer waits for this (its effect is already applied). */
  held?: (methodName: string, args: ApiArgs) => Promise<void> | undefined;
}

/**
 * Answers one Web API call the way Slack does: HTTP 200 with `{ok:false,error}` for every
 * failure except rate limits (HTTP 429 + Retry-After), and records the call.
 */
export function answerApiRequest(request: ApiRequest, deps: WebApiDeps): ApiResponse {
  const parsed = parseApiBody(request.rawBody, request.contentType);
  const args: ApiArgs = parsed.ok ? parsed.value : {};
  const record = (status: number, body: ApiReply, retryAfterSec?: number): ApiResponse => {
    const { token: _token, ...loggedArgs } = args;
    deps.callLog.record({
      method: request.methodName,
      args: loggedArgs,
      atMs: deps.context.now(),
      status,
      ok: body.ok,
      ...(body.ok ? {} : { error: body.error }),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (retryAfterSec !== undefined) headers['retry-after'] = String(retryAfterSec);
    return { status, headers, body, args };
  };
  if (!parsed.ok) return record(200, { ok: false, error: parsed.error });
  const method = apiMethods[request.methodName];
  if (!method) return record(200, { ok: false, error: 'unknown_method' });
  const authError = checkToken(
    bearerToken(request.authorization) ?? stringArg(args, 'token'),
    method.token,
    deps.tokens,
  );
  if (authError) return record(200, { ok: false, error: authError });
  const limited = deps.rateLimiter.take(request.methodName);
  if (limited !== undefined) return record(429, { ok: false, error: 'ratelimited' }, limited);
  return record(200, method.handle(args, deps.context));
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** Slack's answers for a missing, unknown or wrong-kind token; undefined when it is accepted. */
function checkToken(token: string | undefined, wanted: TokenKind, tokens: ApiTokens): string | undefined {
  if (!token) return 'not_authed';
  const kind: TokenKind | undefined =
    token === tokens.botToken ? 'bot' : token === tokens.appToken ? 'app' : undefined;
  if (!kind) return 'invalid_auth';
  return kind === wanted ? undefined : 'not_allowed_token_type';
}

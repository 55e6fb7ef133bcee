import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { LivemigError } from '../errors.js';
import { describeIssues } from './describe-issues.js';
import { type Config, configSchema } from './schema.js';

/** Secrets and switches read from the environment; never from livemig.yml. */
export interface Secrets {
  slackBotToken: string | undefined;
  slackAppToken: string | undefined;
  slackSigningSecret: string | undefined;
  slackApiUrl: string | undefined;
  sshKeyPassphrase: string | undefined;
  port: number | undefined;
}

export interface LoadedConfig {
  config: Config;
  secrets: Secrets;
}

/**
 * Parses and validates livemig.yml. Pure: the caller supplies the text, the environment and the
 * file's path (for messages and for resolving relative paths). Errors name the file, the key path
 * and what was expected.
 */
export function loadConfig(text: string, env: NodeJS.ProcessEnv, filePath = 'livemig.yml'): LoadedConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    throw new LivemigError('config_invalid', `${filePath}: not valid YAML: ${first.message.split('\n')[0]}`, {
      hint: 'Fix the YAML syntax (indentation, quotes) and try again.',
    });
  }
  const input = toPlainData(document, filePath);
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = describeIssues(configSchema, parsed.error.issues, input);
    throw new LivemigError('config_invalid', `${filePath}: ${problems}`, {
      hint: 'See "Configuration reference" in README.md for every key.',
    });
  }
  const baseDir = dirname(resolve(filePath));
  return { config: resolvePaths(parsed.data, baseDir), secrets: readSecrets(env) };
}

/** Reads secrets from env, naming the variable that is malformed. */
export function readSecrets(env: NodeJS.ProcessEnv): Secrets {
  const port = env.PORT === undefined || env.PORT === '' ? undefined : Number(env.PORT);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new LivemigError('config_invalid', `PORT must be a TCP port number, got "${env.PORT}"`);
  }
  const botToken = nonEmpty(env.SLACK_BOT_TOKEN);
  if (botToken !== undefined && !botToken.startsWith('xoxb-')) {
    throw new LivemigError('config_invalid', 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
  }
  const appToken = nonEmpty(env.SLACK_APP_TOKEN);
  if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    throw new LivemigError(
      'config_invalid',
      'SLACK_APP_TOKEN must be an app-level token starting with xapp-',
    );
  }
  const apiUrl = nonEmpty(env.SLACK_API_URL);
  if (apiUrl !== undefined && !/^https?:\/\/.+\/$/.test(apiUrl)) {
    throw new LivemigError(
      'config_invalid',
      `SLACK_API_URL must be an http(s) URL ending in "/", got "${apiUrl}"`,
    );
  }
  return {
    slackBotToken: botToken,
    slackAppToken: appToken,
    slackSigningSecret: nonEmpty(env.SLACK_SIGNING_SECRET),
    slackApiUrl: apiUrl,
    sshKeyPassphrase: nonEmpty(env.LIVEMIG_SSH_KEY_PASSPHRASE),
    port,
  };
}

/** Reads the file named by --config or LIVEMIG_CONFIG and loads it. */
export async function readConfigFile(
  path: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<LoadedConfig> {
  const filePath = path ?? nonEmpty(env.LIVEMIG_CONFIG);
  if (!filePath) {
    throw new LivemigError('config_missing', 'no configuration file given', {
      hint: 'Pass --config livemig.yml or set LIVEMIG_CONFIG (`livemig lab --out DIR` writes one for the lab).',
    });
  }
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new LivemigError('config_missing', `cannot read ${filePath}: ${reason}`, {
      hint: 'Check the path given with --config or LIVEMIG_CONFIG.',
    });
  }
  return loadConfig(text, env, filePath);
}

/**
 * The document as plain data. The yaml library refuses to expand aliases past a budget (an
 * "alias bomb" would otherwise grow to gigabytes); that refusal is the file's fault, so it is a
 * config error naming the file, not an internal error.
 */
function toPlainData(document: ReturnType<typeof parseDocument>, filePath: string): unknown {
  try {
    return document.toJS() ?? {};
  } catch (error) {
    throw new LivemigError(
      'config_invalid',
      `${filePath}: not a usable config: ${(error as Error).message}`,
      { hint: 'Write the values out instead of nesting YAML aliases (*name) this deeply.' },
    );
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function resolvePaths(config: Config, baseDir: string): Config {
  const at = (p: string | undefined) =>
    p === undefined || isAbsolute(p) ? p : resolve(baseDir, expandHome(p));
  return {
    ...config,
    ssh: {
      ...config.ssh,
      privateKeyPath: at(config.ssh.privateKeyPath),
      knownHostsPath: at(config.ssh.knownHostsPath),
    },
    dataDir: at(config.dataDir)!,
  };
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? resolve(process.env.HOME ?? '/', p.slice(2)) : p;
}

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The OAuth scope each Web API method livemig calls needs. */
const scopeOf: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.getPermalink': 'chat:write',
  'usergroups.users.list': 'usergroups:read',
  'users.info': 'users:read',
};

async function sourcesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
  return Promise.all(files.map((file) => readFile(file, 'utf8')));
}

describe('manifest.yml', () => {
  it('declares the bot, App Home, /migrate, Socket Mode and interactivity', async () => {
    const manifest = parse(await readFile('manifest.yml', 'utf8'));
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.display_information.name).toBe('livemig');
    expect(manifest.features.bot_user).toEqual({ display_name: 'livemig', always_online: true });
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: false });
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({
        command: '/migrate',
        should_escape: false,
        description: expect.any(String),
        usage_hint: expect.any(String),
      }),
    ]);
    expect(manifest.features.slash_commands[0].url).toBeUndefined();
    expect(manifest.settings).toEqual({
      event_subscriptions: { bot_events: ['app_home_opened'] },
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    });
  });

  it('grants every scope the Web API calls in src/slack need', async () => {
    const manifest = parse(await readFile('manifest.yml', 'utf8'));
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect(scopes).toEqual(
      expect.arrayContaining([
        'commands',
        'chat:write',
        'chat:write.public',
        'users:read',
        'usergroups:read',
      ]),
    );
    const code = (await sourcesOf('src/slack')).join('\n');
    const called = [...code.matchAll(/client\.(\w+)\s*\.(\w+)(?:\s*\.(\w+))?\s*\(/g)].map((m) =>
      m.slice(1).filter(Boolean).join('.'),
    );
    expect(called.length).toBeGreaterThan(3);
    for (const method of new Set(called)) {
      // views.* and auth.test need no scope.
      if (method.startsWith('views.') || method === 'auth.test') continue;
      expect(scopeOf[method], `scope of ${method}`).toBeDefined();
      expect(scopes).toContain(scopeOf[method]);
    }
  });
});

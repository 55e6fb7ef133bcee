import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, readConfigFile, readSecrets } from '../../src/config/load-config.js';
import { userMessage } from '../../src/errors.js';
import { livemigErrorOf } from '../support/livemig-error.js';

const minimal = `
cluster:
  controller: { name: control01, address: 127.0.0.1, port: 2200 }
  hypervisors:
    - { name: node05, address: 127.0.0.1, port: 2205 }
    - { name: node10, address: 127.0.0.1, port: 2210, linkMiBps: 1170 }
ssh:
  privateKeyPath: id_ed25519
  knownHostsPath: known_hosts
nova:
  release: icehouse-patched
`;

describe('loadConfig', () => {
  it('fills every default a careful operator expects from a minimal file', () => {
    const { config } = loadConfig(minimal, {}, '/etc/livemig/livemig.yml');
    expect(config.ssh.user).toBe('root');
    expect(config.ssh.sudo).toBe(false);
    expect(config.cluster.linkMiBps).toBe(117);
    expect(config.nova.instancesPath).toBe('/var/lib/nova/instances');
    expect(config.approval.twoPersonRule).toBe(true);
    expect(config.limits.sshMaxChannelsPerConnection).toBe(10);
    expect(config.cluster.hypervisors[1]?.linkMiBps).toBe(1170);
  });

  it('resolves relative paths against the config file, not the working directory', () => {
    const { config } = loadConfig(minimal, {}, '/etc/livemig/livemig.yml');
    expect(config.ssh.privateKeyPath).toBe('/etc/livemig/id_ed25519');
    expect(config.ssh.knownHostsPath).toBe('/etc/livemig/known_hosts');
    expect(config.dataDir).toBe('/etc/livemig/data');
  });

  it('names the file, the key path and what is expected for a bad value', () => {
    const error = livemigErrorOf(() =>
      loadConfig(minimal.replace('icehouse-patched', 'havana'), {}, 'site.yml'),
    );
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(/^site\.yml: nova\.release: /);
    expect(error.message).toContain('icehouse-patched');
  });

  it('rejects unknown keys so that a typo is not silently ignored', () => {
    const error = livemigErrorOf(() => loadConfig(`${minimal}\nlimts: {}\n`, {}, 'site.yml'));
    expect(error.message).toContain('limts');
  });

  it('refuses a config that would trust unknown host keys', () => {
    const text = minimal.replace('  knownHostsPath: known_hosts\n', '');
    const error = livemigErrorOf(() => loadConfig(text, {}, 'site.yml'));
    expect(error.message).toContain('ssh: set knownHostsPath or hostKeyFingerprints');
  });

  it('accepts pinned fingerprints instead of a known_hosts file', () => {
    const text = minimal.replace(
      '  knownHostsPath: known_hosts\n',
      '  hostKeyFingerprints:\n    node05: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"\n',
    );
    expect(loadConfig(text, {}).config.ssh.hostKeyFingerprints.node05).toMatch(/^SHA256:/);
  });

  it('reports broken YAML as a config error, not a crash', () => {
    const error = livemigErrorOf(() => loadConfig('cluster: [unclosed', {}, 'site.yml'));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(/^site\.yml: not valid YAML/);
  });

  it('reports a typo as the unknown key with a did-you-mean, and nothing else', () => {
    const error = livemigErrorOf(() =>
      loadConfig(minimal.replace('  release:', '  relase:'), {}, 'site.yml'),
    );
    expect(error.message).toBe('site.yml: nova.relase: unknown key (did you mean "release"?)');
  });

  it('does not also report the required key a typo was meant to be', () => {
    const error = livemigErrorOf(() =>
      loadConfig(minimal.replace('  controller:', '  controler:'), {}, 'site.yml'),
    );
    expect(error.message).toBe('site.yml: cluster.controler: unknown key (did you mean "controller"?)');
  });

  it('reports a YAML alias bomb as a config error naming the file', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
      .concat(
        ['b', 'c', 'd', 'e', 'f', 'g'].map(
          (name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`,
        ),
      )
      .join('\n');
    const error = livemigErrorOf(() => loadConfig(bomb, {}, 'bomb.yml'));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(/^bomb\.yml: /);
    expect(error.message).toContain('alias');
  });

  it('refuses the same hypervisor listed twice', () => {
    const twice = minimal.replace(
      '    - { name: node10,',
      '    - { name: node05, address: 127.0.0.1, port: 2299 }\n    - { name: node10,',
    );
    const error = livemigErrorOf(() => loadConfig(twice, {}, 'site.yml'));
    expect(error.message).toContain('cluster.hypervisors.1.name: node05 is listed twice');
  });

  it('refuses a controller named like a hypervisor', () => {
    const error = livemigErrorOf(() =>
      loadConfig(minimal.replace('name: control01', 'name: node05'), {}, 'site.yml'),
    );
    expect(error.message).toContain('cluster.controller.name: node05 is also the name of');
  });

  it('refuses a blank address', () => {
    const error = livemigErrorOf(() =>
      loadConfig(
        minimal.replace('address: 127.0.0.1, port: 2205', 'address: " ", port: 2205'),
        {},
        'site.yml',
      ),
    );
    expect(error.message).toContain('cluster.hypervisors.0.address: an IP address or DNS name');
  });

  it('rejects host names that could smuggle shell syntax into a command', () => {
    const error = livemigErrorOf(() =>
      loadConfig(minimal.replace('name: node05', 'name: "node05;id"'), {}, 'x.yml'),
    );
    expect(error.message).toContain('cluster.hypervisors.0.name');
  });
});

describe('readSecrets', () => {
  it('reads secrets only from the environment', () => {
    const secrets = readSecrets({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_API_URL: 'http://127.0.0.1:3000/api/',
      LIVEMIG_SSH_KEY_PASSPHRASE: 'pw',
      PORT: '3000',
    });
    expect(secrets).toMatchObject({
      slackBotToken: 'xoxb-1',
      slackAppToken: 'xapp-1',
      sshKeyPassphrase: 'pw',
      port: 3000,
    });
  });

  it('names the variable that is malformed without echoing a token', () => {
    const error = livemigErrorOf(() => readSecrets({ SLACK_BOT_TOKEN: 'xapp-secret-value' }));
    expect(error.message).toContain('SLACK_BOT_TOKEN');
    expect(error.message).not.toContain('secret-value');
  });
});

describe('readConfigFile', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('tells the user how to supply a config when none is given', async () => {
    const error = await readConfigFile(undefined, {}).catch((e: unknown) => e);
    expect(userMessage(error)).toMatch(
      /no configuration file given\n.*--config livemig\.yml or set LIVEMIG_CONFIG/,
    );
  });

  it('reads the file named by LIVEMIG_CONFIG', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'livemig-config-'));
    dirs.push(dir);
    await writeFile(join(dir, 'livemig.yml'), minimal);
    const { config } = await readConfigFile(undefined, { LIVEMIG_CONFIG: join(dir, 'livemig.yml') });
    expect(config.ssh.privateKeyPath).toBe(join(dir, 'id_ed25519'));
  });

  it('says "no such file" for a missing path', async () => {
    await expect(readConfigFile('/nonexistent/livemig.yml', {})).rejects.toThrow(
      'cannot read /nonexistent/livemig.yml: no such file',
    );
  });
});

import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPeople } from '../../src/demo/demo-workspace.js';
import { startBot } from '../../src/demo/start-bot.js';
import { type Demo, startDemo } from '../../src/demo/start-demo.js';
import { hasSystemBinary } from '../support/system.js';

const chromiumPath = '/usr/bin/chromium';
/** Fast enough that the seed migration takes seconds, slow enough to see the progress move. */
const labSpeed = 8;
const waitMs = 60_000;

describe.skipIf(!hasSystemBinary(chromiumPath))('the demo in a browser (npm start)', () => {
  let demo: Demo;
  let browser: BrowserContext;
  let page: Page;
  let profileDir: string;

  beforeAll(async () => {
    demo = await startDemo({ port: 0, speed: labSpeed, startBot: startBot });
    profileDir = await mkdtemp(join(tmpdir(), 'livemig-chromium-'));
    // A fresh profile: nothing from another run (or a user's browser) leaks in.
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      // One ordinary laptop screen: the request card must fit on it.
      viewport: { width: 1400, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(waitMs);
    await mkdir('test-results', { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  const channelPane = () => page.locator('#messages');
  const threadPane = () => page.locator('#thread-pane');

  async function signInAs(userId: string): Promise<void> {
    await page.getByLabel('Signed in as').selectOption(userId);
    await expect.poll(() => page.getByLabel('Signed in as').inputValue()).toBe(userId);
  }

  async function type(text: string): Promise<void> {
    const composer = page.getByLabel('Message #ops');
    await composer.fill(text);
    await composer.press('Enter');
  }

  /** The newest request card for dstest in #ops. */
  const latestCard = (): Locator =>
    channelPane().locator('article', { hasText: 'Migrate dstest → node10' }).last();

  /** Whether the whole element is inside the window (not scrolled away, not cut). */
  const onScreen = (part: Locator): Promise<boolean> =>
    part.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    });

  /**
   * A person deciding reads the whole card on one 1400×900 screen: header, the summary line, every
   * warning and block, and the buttons.
   */
  async function expectCardOnOneScreen(card: Locator): Promise<void> {
    const summary = card.getByText(/\d+ checks? passed/);
    await summary.waitFor();
    // The bot may redraw the card meanwhile (it records where it posted it): retry on a fresh element.
    const scrolled = () =>
      card
        .evaluate((el) => el.scrollIntoView({ block: 'end' }))
        .then(
          () => true,
          () => false,
        );
    await expect.poll(scrolled).toBe(true);
    const height = () => card.boundingBox().then((box) => box?.height ?? Number.POSITIVE_INFINITY);
    await expect.poll(height, { message: 'card height in px' }).toBeLessThanOrEqual(900);
    const parts = [
      card.getByText('Migrate dstest → node10'),
      summary,
      ...(await card.getByText(/⚠️|⛔/).all()),
    ];
    for (const part of parts)
      await expect
        .poll(() => onScreen(part).catch(() => false), { message: (await part.textContent()) ?? '' })
        .toBe(true);
  }

  async function confirmWith(label: string): Promise<void> {
    await page.locator('#confirm-dialog').getByRole('button', { name: label, exact: true }).click();
  }

  /** Opens the thread of the newest top-level message matching `text` in #ops. */
  async function openThreadOf(text: string | RegExp): Promise<Locator> {
    const card = channelPane().locator('article', { hasText: text }).last();
    await card.getByRole('button', { name: /repl(y|ies)$/ }).click();
    return card;
  }

  // Before the seed walkthrough: dstest is still on node05 with its pre-baseline CPU.
  it('drains node05 from the page: a card, an approval, one status message; dstest stays; undrain --return brings the VMs back', async () => {
    try {
      await page.goto(`${demo.pageUrl}?user=${demoPeople.approver.id}`);
      await type('/migrate drain node05');
      const card = channelPane().locator('article', { hasText: 'Drain node05' }).last();
      await card.getByText('3 VM(s) move, 1 cannot').waitFor();
      expect((await card.textContent()) ?? '').toMatch(/dstest stays on node05/);
      await signInAs(demoPeople.secondApprover.id);
      await card.getByRole('button', { name: 'Approve', exact: true }).click();
      await confirmWith('Approve');
      await openThreadOf('Drain node05');
      // The plan is a reply; the one status message ends finished with every move done.
      await threadPane()
        .getByText(/Plan of drn-/)
        .waitFor();
      const status = threadPane()
        .locator('article', { hasText: /🏁 Finished/ })
        .first();
      await status.waitFor({ timeout: 180_000 });
      const text = (await status.textContent()) ?? '';
      expect(text).toContain('3 of 3 moved');
      for (const vm of ['web04', 'app03', 'dns03'])
        expect(text).toMatch(new RegExp(`✅ ${vm} node05 → node\\d\\d: succeeded`));
      expect(text).toContain('🔒 dstest stays on node05');
      expect(text).toMatch(/node05: nova-compute disabled; nova lists dstest \(ACTIVE\)/);
      await page.screenshot({ path: 'test-results/demo-drain.png' });
      await page.keyboard.press('Escape');

      await signInAs(demoPeople.approver.id);
      await type('/migrate undrain node05 --return');
      const back = channelPane().locator('article', { hasText: 'Move back to node05' }).last();
      await back.getByRole('button', { name: 'Approve', exact: true }).waitFor();
      await signInAs(demoPeople.secondApprover.id);
      await back.getByRole('button', { name: 'Approve', exact: true }).click();
      await confirmWith('Approve');
      await openThreadOf('Move back to node05');
      await threadPane()
        .locator('article', { hasText: /🏁 Finished/ })
        .first()
        .waitFor({ timeout: 180_000 });
      expect((await threadPane().textContent()) ?? '').toContain('3 of 3 moved');
      await page.keyboard.press('Escape');
    } catch (error) {
      await page.screenshot({ path: 'test-results/demo-drain-failure.png' });
      throw error;
    }
  }, 420_000);

  it('runs a maintenance campaign over node04 and node01 from the page, host by host, with Done', async () => {
    try {
      await page.goto(`${demo.pageUrl}?user=${demoPeople.approver.id}`);
      await type('/migrate maintenance node04 node01 --return');
      const card = channelPane().locator('article', { hasText: 'Maintenance: node04, node01' }).last();
      await card.getByRole('button', { name: 'Approve', exact: true }).waitFor();
      await signInAs(demoPeople.secondApprover.id);
      await card.getByRole('button', { name: 'Approve', exact: true }).click();
      await confirmWith('Approve');
      await openThreadOf('Maintenance: node04, node01');
      for (const host of ['node04', 'node01']) {
        const done = threadPane().getByRole('button', { name: `Done with ${host}` });
        await done.waitFor({ timeout: 180_000 });
        expect((await threadPane().textContent()) ?? '').toMatch(
          new RegExp(`${host} is (empty and )?disabled`),
        );
        await done.click();
        await confirmWith('Done');
        await threadPane()
          .getByText(new RegExp(`✅ ${host} is enabled again`))
          .waitFor({ timeout: 180_000 });
      }
      await card.getByText('FINISHED').waitFor({ timeout: 60_000 });
      await page.screenshot({ path: 'test-results/demo-maintenance.png' });
      await page.keyboard.press('Escape');
    } catch (error) {
      await page.screenshot({ path: 'test-results/demo-maintenance-failure.png' });
      throw error;
    }
  }, 600_000);

  it('walks through the seed scenario: reboot, refusal, approval, live progress, summary', async () => {
    try {
      await walkThrough();
    } catch (error) {
      await page.screenshot({ path: 'test-results/demo-failure.png' });
      throw error;
    }
  }, 180_000);

  it('draws emoji with the font the page serves, not with whatever the machine has', async () => {
    await page.goto(demo.pageUrl);
    await page.getByRole('button', { name: '# ops', exact: true }).waitFor();
    const faces = await page.evaluate(async () =>
      (await document.fonts.load('16px Twemoji', '✅⏳❌⚠️')).map((face) => `${face.family} ${face.status}`),
    );
    expect(faces).toEqual(['Twemoji loaded']);
    const font = await page.request.get(`${demo.pageUrl}static/twemoji.woff2`);
    expect(font.headers()['content-type']).toBe('font/woff2');
    // Loaded is not drawn: draw each emoji with the page's own font stacks (text and code) and
    // compare the pixels with Twemoji's, and check that the machine's own font would differ.
    const drawn = await page.evaluate(() => {
      const draw = (font: string, text: string) => {
        const canvas = document.createElement('canvas');
        canvas.width = 48;
        canvas.height = 48;
        const context = canvas.getContext('2d')!;
        context.font = `32px ${font}`;
        context.fillText(text, 4, 38);
        return context.getImageData(0, 0, 48, 48).data.join(',');
      };
      const code = document.createElement('code');
      document.body.append(code);
      const stacks = [getComputedStyle(document.body).fontFamily, getComputedStyle(code).fontFamily];
      code.remove();
      return ['✅', '⏳', '❌', '⛔', '🔁', '⏸️'].map((emoji) => ({
        emoji,
        asTwemoji: stacks.map((stack) => draw(stack, emoji) === draw('Twemoji', emoji)),
        differsFromSystem: draw('Twemoji', emoji) !== draw('sans-serif', emoji),
      }));
    });
    for (const { emoji, asTwemoji, differsFromSystem } of drawn) {
      expect({ emoji, asTwemoji, differsFromSystem }).toEqual({
        emoji,
        asTwemoji: [true, true],
        differsFromSystem: true,
      });
    }
  });

  it('rejects a request with a reason typed in the modal; Esc closes the modal', async () => {
    try {
      await page.goto(`${demo.pageUrl}?user=${demoPeople.requester.id}`);
      await type('/migrate web03 node09');
      const card = channelPane().locator('article', { hasText: 'Migrate web03 → node09' }).last();
      await card.getByRole('button', { name: 'Reject', exact: true }).waitFor();

      await signInAs(demoPeople.approver.id);
      const modal = page.locator('#modal-dialog');
      await card.getByRole('button', { name: 'Reject', exact: true }).click();
      await modal.getByLabel('Why reject web03?').waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => modal.isVisible()).toBe(false);

      await card.getByRole('button', { name: 'Reject', exact: true }).click();
      await modal.getByLabel('Why reject web03?').fill('node09 is being drained <tonight> & tomorrow');
      await modal.getByRole('button', { name: 'Reject', exact: true }).click();
      await card.getByText('REJECTED').waitFor();
      expect((await card.textContent()) ?? '').toContain('node09 is being drained <tonight> & tomorrow');
      expect(await card.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(0);
    } catch (error) {
      await page.screenshot({ path: 'test-results/demo-reject-failure.png' });
      throw error;
    }
  }, 120_000);

  it('shows the App Home the bot publishes for the current user, and its buttons work', async () => {
    try {
      await page.goto(`${demo.pageUrl}?user=${demoPeople.approver.id}`);
      await page.getByRole('button', { name: '● livemig' }).click();
      const home = page.locator('#home-body');
      await home.getByText('Recent history').waitFor();
      await home.getByRole('button', { name: 'Refresh fleet audit' }).click();
      await home.getByText(/hosts checked/).waitFor();
      expect((await home.textContent()) ?? '').toContain('VMs needing a hard reboot');
    } catch (error) {
      await page.screenshot({ path: 'test-results/demo-home-failure.png' });
      throw error;
    }
  }, 120_000);

  async function walkThrough(): Promise<void> {
    await page.goto(demo.pageUrl);
    await expect.poll(() => page.getByLabel('Signed in as').inputValue()).toBe(demoPeople.requester.id);

    // 1. alice asks; the card shows the CPU check and the thread the reboot warning.
    await type('/migrate dstest node10');
    await latestCard().getByText(/CPU/).first().waitFor();
    await expectCardOnOneScreen(latestCard());
    expect((await latestCard().textContent()) ?? '').toMatch(/⚠️ \d+ warnings? · ⛔ \d+ blocking/);
    await latestCard()
      .getByRole('button', { name: /repl(y|ies)$/ })
      .click();
    await threadPane()
      .getByText(/HARD reboot|Reboot needed/)
      .first()
      .waitFor();
    await page.screenshot({ path: 'test-results/demo-1-reboot-warning.png' });
    await threadPane().getByRole('button', { name: 'Request hard reboot' }).click();

    // 2. bob approves the hard reboot and it finishes.
    await signInAs(demoPeople.approver.id);
    await page.getByRole('button', { name: 'Approve reboot' }).first().click();
    await confirmWith('Reboot');
    await page
      .locator('article', { hasText: 'Hard reboot of dstest' })
      .filter({ hasText: '✅' })
      .first()
      .waitFor();

    // 3. alice asks again; her own approval is refused, visibly to her only.
    await signInAs(demoPeople.requester.id);
    await page
      .locator('#thread-close')
      .click()
      .catch(() => undefined);
    const cardsBefore = await channelPane()
      .locator('article', { hasText: 'Migrate dstest → node10' })
      .count();
    await type('/migrate dstest node10');
    await expect
      .poll(() => channelPane().locator('article', { hasText: 'Migrate dstest → node10' }).count(), {
        timeout: waitMs,
      })
      .toBe(cardsBefore + 1);
    const card = latestCard();
    await card.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await expectCardOnOneScreen(card);
    expect(await onScreen(card.getByRole('button', { name: 'Approve', exact: true }))).toBe(true);
    await page.screenshot({ path: 'test-results/demo-card.png' });
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await confirmWith('Approve');
    // The refusal is private, in the card's thread (where the full checklist is too).
    await card.getByRole('button', { name: /repl(y|ies)$/ }).click();
    await threadPane()
      .locator('article.ephemeral', { hasText: /not an approver/ })
      .first()
      .waitFor();
    expect((await threadPane().locator('article.ephemeral').last().textContent()) ?? '').toContain(
      'Only visible to you',
    );
    await page.screenshot({ path: 'test-results/demo-2-own-approval-refused.png' });
    // Like Slack, a reload forgets ephemeral messages.
    await page.reload();
    await latestCard().waitFor();
    expect(await page.locator('article.ephemeral').count()).toBe(0);

    // 4. carol approves; the status message in the thread moves, then the summary arrives.
    await signInAs(demoPeople.secondApprover.id);
    await latestCard().getByRole('button', { name: 'Approve', exact: true }).click();
    await confirmWith('Approve');
    await latestCard()
      .getByRole('button', { name: /repl(y|ies)$/ })
      .click();
    const seen = new Set<string>();
    const summary = threadPane().getByText('now runs on node10');
    for (let polls = 0; polls < waitMs / 100 && !(await summary.count()); polls++) {
      const percent = /\]\s*(\d+)%/.exec((await threadPane().textContent()) ?? '')?.[1];
      if (percent !== undefined) seen.add(percent);
      await page.waitForTimeout(100);
    }
    await summary.waitFor();
    // The status message's last edit comes after the summary reply (edits are throttled).
    await threadPane()
      .getByText(/Succeeded/)
      .first()
      .waitFor();
    expect(seen.size, `progress values seen: ${[...seen].join(', ')}`).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: 'test-results/demo-3-migrated.png' });
    if (process.env.UPDATE_SCREENSHOTS === '1')
      await copyFile('test-results/demo-3-migrated.png', 'docs/screenshot-seed.png');

    await page.keyboard.press('Escape');
    await expect.poll(() => threadPane().isVisible()).toBe(false);

    // 5. #ops-notifications has the finished notice; its thread link opens the thread here.
    await page.getByRole('button', { name: '# ops-notifications' }).click();
    const notice = channelPane()
      .locator('article', { hasText: /Migration of dstest .*succeeded/ })
      .first();
    await notice.waitFor();
    const threadLink = await notice.getByRole('link', { name: 'thread' }).getAttribute('href');
    expect(threadLink).toMatch(new RegExp(`^${demo.pageUrl}archives/C0OPS/p\\d+$`));
    await page.goto(threadLink!);
    await expect.poll(() => page.locator('#pane-title').textContent()).toBe('# ops');
    await threadPane().getByText('now runs on node10').waitFor();
    expect((await threadPane().textContent()) ?? '').toContain('Migrate dstest → node10');
  }
});

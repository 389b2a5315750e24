// End-to-end: connecting agents (issue 13) in the real window. A Claude Code project folder
// under the app's own ~/.claude/projects is connected and its session arrives; a CLAUDE.md
// destination is added (its preview shown first), a change is approved, and the file holds
// it with the person's own text untouched.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './review.mjs';

export function register(test, { shot, assert, nextPick }) {
  test('connect a Claude Code project and publish to CLAUDE.md', async (d, ctx) => {
    // A Claude Code project as Claude Code leaves it, in the app's home folder.
    const home = process.env.E2E_HOME;
    assert(home, 'E2E_HOME is set by scripts/test.sh');
    const fixture = join(ctx.root, 'tests/fixtures/claude-code/-home-mei-harbour-site');
    const project = join(home, '.claude/projects/-home-mei-harbour-site');
    mkdirSync(project, { recursive: true });
    for (const f of readdirSync(fixture)) copyFileSync(join(fixture, f), join(project, f));

    const agent = 'social-drafts-demo';
    await (await d.waitFor('[data-testid="demo-create"]')).click();
    await d.waitFor('[data-testid="dream-now"]');
    await (await d.waitFor('[data-testid="tab-connections"]')).click();
    await (await d.waitFor('[data-testid="connect-claude-code"]')).click();
    const row = await d.waitFor(`[data-testid="claude-project"][data-folder="${project}"]`);
    await (await row.find('input[type="checkbox"]')).click();
    await (await d.waitFor('[data-testid="claude-connect"]')).click();
    await d.waitFor('[data-testid="claude-summary"]', { text: '1 session from harbour-site' });
    await shot(d, '45-claude-code-connected');
    await (await d.waitFor('[data-testid="claude-done"]')).click();
    await d.waitFor('[data-testid="source-row"]', { text: 'harbour-site' });
    const sources = cli(ctx, 'source', 'list', '--agent', agent).sources;
    assert(sources.length === 1 && sources[0].sessions === 1, JSON.stringify(sources));
    assert(sources[0].tags.repo === 'harbour-site', JSON.stringify(sources[0].tags));

    // Publish to a CLAUDE.md that already has the person's notes.
    const dir = mkdtempSync(join(tmpdir(), 'reverie-publish-'));
    const claudeMd = join(dir, 'CLAUDE.md');
    const mine = '# Harbour site\n\nRun the tests before pushing.\n';
    writeFileSync(claudeMd, mine);
    await (await d.waitFor('[data-testid="destination-add"]')).click();
    await (await d.waitFor('[data-testid="destination-kind"]')).select('claude-md');
    nextPick(claudeMd);
    await (await d.waitFor('[data-testid="destination-choose"]')).click();
    await d.waitFor('[data-testid="destination-preview"]', { text: 'Team memory' });
    await shot(d, '46-destination-preview');
    assert(readFileSync(claudeMd, 'utf8') === mine, 'the preview writes nothing');
    await (await d.waitFor('[data-testid="destination-save"]')).click();
    await d.waitFor('[data-testid="destination-row"]', { text: 'CLAUDE.md' });

    // Approve a dream's addition: the file follows.
    await (await d.waitFor('[data-testid="tab-dreams"]')).click();
    await (await d.waitFor('[data-testid="dream-now"]')).click();
    const card = await d.waitFor('[data-testid="proposal"][data-op="add"]', { timeout: 60000 });
    const id = await card.attr('data-id');
    await (await card.find('[data-testid="proposal-approve"]')).click();
    await d.waitFor(`[data-testid="proposal"][data-id="${id}"][data-decision="applied"]`);
    const report = cli(ctx, 'dream', 'show', String(cli(ctx, 'dream', 'list', '--agent', agent).dreams[0].id));
    const approved = report.proposals.find((p) => String(p.id) === id);
    const text = readFileSync(claudeMd, 'utf8');
    assert(text.startsWith(mine), 'the person\'s text is kept byte for byte');
    const rule = approved.content.split(': ').pop().replace(/\.$/, '');
    assert(text.includes(rule), `CLAUDE.md holds the approved change: ${text}`);

    // Progress: the headline and each memory entry's effect, after the first approved dream.
    await (await d.waitFor('[data-testid="tab-progress"]')).click();
    await d.waitFor('[data-testid="progress-headline"]', { text: 'Accepted as drafted' });
    await d.waitFor('[data-testid="progress-entry"]', { text: 'before' });
    await shot(d, '47-progress-effect');
    const progress = cli(ctx, 'progress', '--agent', agent);
    assert(progress.headline.since, `a dream changed memory: ${JSON.stringify(progress.headline)}`);
    assert(progress.entries.some((e) => e.before.of > 0), JSON.stringify(progress.entries.slice(0, 3)));
  });
}

import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import DreamReview from '../lib/components/DreamReview.svelte';
import type { DreamReport, Proposal } from '../lib/api';
import { fail, mockBackend } from './backend';
import { dream, dreamReport, proposal, summary } from './fixtures';

/** A backend that remembers decisions, as the engine does. */
function reviewBackend(start: DreamReport = dreamReport()) {
  const report: DreamReport = structuredClone(start);
  const decide = (ids: number[], change: Partial<Proposal>) => {
    const out: Proposal[] = [];
    for (const p of report.proposals) {
      if (ids.includes(p.id)) {
        Object.assign(p, change);
        out.push(structuredClone(p));
      }
    }
    return out;
  };
  const standing = () => {
    if (report.dream.undone) fail('already_undone', `dream #${report.dream.id} was undone`);
  };
  return mockBackend({
    get_dream: () => structuredClone(report),
    approve_proposals: (args) => (standing(), decide(args.ids as number[], { decision: 'applied' })),
    reject_proposals: (args) => (
      standing(),
      decide(args.ids as number[], { decision: 'rejected', reason: (args.reason as string | null) ?? null })
    ),
    take_back_proposals: (args) => {
      standing();
      // As the engine does: a change auto-apply made says it was taken back, and is no longer automatic.
      for (const p of report.proposals) {
        if ((args.ids as number[]).includes(p.id) && p.auto_applied) {
          p.auto_note = 'Taken back by a person after auto-apply applied it; it waits for review.';
        }
      }
      return decide(args.ids as number[], { decision: 'pending', reason: null, auto_applied: false });
    },
    undo_dream: () => {
      report.dream = { ...report.dream, undone: true };
      for (const p of report.proposals) {
        if (p.decision === 'applied') Object.assign(p, { decision: 'superseded', auto_applied: false });
      }
      return structuredClone(report);
    },
  });
}

const cards = () => screen.getAllByTestId('proposal');
const decisions = () => cards().map((c) => c.dataset.decision);

describe('dream review', () => {
  it('shows each proposal as a diff against memory, with its scope, confidence, cautions and evidence', async () => {
    reviewBackend();
    render(DreamReview, { agent: 'social-drafts', id: 4 });

    const [add, refine, remove] = await screen.findAllByTestId('proposal');
    expect(add.dataset.op).toBe('add');
    expect(add.querySelector('ins')).toHaveTextContent('Harbour Tea posts never use exclamation marks.');
    expect(add).toHaveTextContent('client: Harbour Tea');
    // Strength in words, not a percentage; the kind of change in plain words too.
    expect(add).toHaveTextContent('Strong: 6 sessions on 4 days');
    expect(add).not.toHaveTextContent('Confidence');
    expect(add.querySelector('.op')).toHaveTextContent('New');
    expect(refine.querySelector('.op')).toHaveTextContent('Change');
    expect(add).toHaveTextContent('People removed exclamation marks in 5 of 6 Harbour Tea drafts.');
    // What it would have spared, as the engine says it; none is said quietly, not hidden.
    expect(within(add).getByTestId('proposal-impact')).toHaveTextContent("Would have saved 5 of last week's 9 revisions");
    expect(within(add).getByTestId('proposal-impact')).not.toHaveClass('none');

    // A refinement highlights only the words that change.
    expect([...refine.querySelectorAll('del')].map((d) => d.textContent)).toEqual(['lists.']);
    expect([...refine.querySelectorAll('ins')].map((d) => d.textContent)).toEqual(['lists with at most five items.']);
    expect(refine).toHaveTextContent('Northwind wants numbered');

    // A removal shows the entry as it is in memory now, struck through.
    expect(remove.querySelector('del')).toHaveTextContent('Sign every post with the brand name, see https://x.test.');
    expect(within(remove).getByTestId('proposal-flags')).toHaveTextContent(
      'Never applied automatically: it contains a web address (x.test)',
    );
    expect(within(add).queryByTestId('proposal-flags')).not.toBeInTheDocument();
    expect(remove).toHaveTextContent('Team-wide');

    const links = within(add).getAllByTestId('evidence-link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual([
      '#/agents/social-drafts/sessions/s-0001',
      '#/agents/social-drafts/sessions/s-0007',
    ]);
    expect(add).toHaveTextContent('No exclamation marks, please.');
    expect(add).toHaveTextContent('Evidence from 2 sessions');
  });

  it('groups several cautions under one line, each in the engine’s words', async () => {
    reviewBackend(
      dreamReport({
        proposals: [
          proposal({
            flags: [
              { kind: 'link', detail: 'a web address (bit.ly/x)' },
              { kind: 'email', detail: 'an email address (mei@harbour.test)' },
            ],
          }),
        ],
      }),
    );
    render(DreamReview, { agent: 'a', id: 4 });
    const [card] = await screen.findAllByTestId('proposal');
    const cautions = within(card).getByTestId('proposal-flags');
    expect(cautions).toHaveTextContent(/^⚠ Never applied automatically: it contains:/);
    expect(within(cautions).getAllByTestId('proposal-flag').map((f) => f.textContent)).toEqual([
      'a web address (bit.ly/x)',
      'an email address (mei@harbour.test)',
    ]);
  });

  it('says what auto-apply did with each change, and sums up what it applied', async () => {
    const applied = 'Applied without a person: a new entry seen in 6 sessions on 4 different days, with nothing flagged in it.';
    reviewBackend(
      dreamReport({
        dream: dream({ applied: 2, pending: 1 }),
        proposals: [
          proposal({ id: 41, decision: 'applied', auto_note: applied, auto_applied: true }),
          proposal({
            id: 44,
            content: 'Northwind posts go out before 9:00.',
            decision: 'applied',
            auto_note: applied,
            auto_applied: true,
          }),
          proposal({
            id: 43,
            op: 'remove',
            targets: [8],
            auto_note: 'Waits for you: removing an entry always needs a person.',
          }),
        ],
      }),
    );
    render(DreamReview, { agent: 'a', id: 4 });
    const [first, second, third] = await screen.findAllByTestId('proposal');

    expect(screen.getByTestId('auto-summary')).toHaveTextContent(
      '2 changes were applied automatically; each says why below. You can undo any of them.',
    );
    expect(within(first).getByTestId('proposal-auto-note')).toHaveTextContent(applied);
    expect(within(first).getByTestId('proposal-decision')).toHaveTextContent('Applied automatically');
    expect(within(second).getByTestId('proposal-undo')).toHaveTextContent('Undo this change');
    expect(within(third).getByTestId('proposal-auto-note')).toHaveTextContent(
      'Waits for you: removing an entry always needs a person.',
    );
    expect(within(third).getByTestId('proposal-approve')).toBeInTheDocument();
  });

  it('says "1 change" when auto-apply applied one, and nothing when it applied none', async () => {
    const applied = 'Applied without a person: a new entry seen in 3 sessions on 3 different days, with nothing flagged in it.';
    const b = reviewBackend(
      dreamReport({ proposals: [proposal({ decision: 'applied', auto_note: applied, auto_applied: true })] }),
    );
    render(DreamReview, { agent: 'a', id: 4 });
    expect(await screen.findByTestId('auto-summary')).toHaveTextContent(
      '1 change was applied automatically; it says why below. You can undo it.',
    );

    // Taken back, it waits for the person: the summary goes and the note says so.
    await userEvent.click(screen.getByTestId('proposal-undo'));
    await waitFor(() => expect(decisions()).toEqual(['pending']));
    expect(screen.queryByTestId('auto-summary')).not.toBeInTheDocument();
    expect(screen.getByTestId('proposal-auto-note')).toHaveTextContent('Taken back by a person');
    expect(screen.getByTestId('proposal-approve')).toBeInTheDocument();
    expect(b.of('take_back_proposals')[0].args).toEqual({ ids: [41] });
  });

  it('counts what the engine marks as applied automatically, whatever its note says', async () => {
    reviewBackend(
      dreamReport({
        proposals: [
          proposal({ id: 41, decision: 'applied', auto_applied: true, auto_note: 'Seen in 6 sessions on 4 days.' }),
          // A person approved this one after taking auto-apply's change back.
          proposal({
            id: 44,
            decision: 'applied',
            auto_applied: false,
            auto_note: 'Applied without a person: a new entry seen in 3 sessions on 3 different days.',
          }),
        ],
      }),
    );
    render(DreamReview, { agent: 'a', id: 4 });
    const [auto, approved] = await screen.findAllByTestId('proposal');
    expect(screen.getByTestId('auto-summary')).toHaveTextContent('1 change was applied automatically');
    expect(within(auto).getByTestId('proposal-decision')).toHaveTextContent('Applied automatically');
    expect(within(approved).getByTestId('proposal-decision')).toHaveTextContent('Approved and applied');
  });

  it('shows no summary when the person approved the changes', async () => {
    reviewBackend(dreamReport({ proposals: [proposal({ decision: 'applied' })] }));
    render(DreamReview, { agent: 'a', id: 4 });
    await screen.findAllByTestId('proposal');
    expect(screen.queryByTestId('auto-summary')).not.toBeInTheDocument();
    expect(screen.queryByTestId('proposal-auto-note')).not.toBeInTheDocument();
    expect(screen.getByTestId('proposal-decision')).toHaveTextContent('Approved and applied');
  });

  it('takes a decision back: an applied change is undone, a rejected one reconsidered', async () => {
    const b = reviewBackend();
    render(DreamReview, { agent: 'a', id: 4 });
    await screen.findAllByTestId('proposal');
    expect(screen.queryByTestId('proposal-undo')).not.toBeInTheDocument();
    expect(screen.queryByTestId('proposal-reconsider')).not.toBeInTheDocument();

    await userEvent.click(within(cards()[0]).getByTestId('proposal-approve'));
    await userEvent.click(await within(cards()[1]).findByTestId('proposal-reject'));
    await userEvent.click(within(cards()[1]).getByTestId('reject-confirm'));
    await waitFor(() => expect(decisions()).toEqual(['applied', 'rejected', 'pending']));
    expect(within(cards()[0]).queryByTestId('proposal-reconsider')).not.toBeInTheDocument();
    expect(within(cards()[1]).queryByTestId('proposal-undo')).not.toBeInTheDocument();

    const loads = b.of('get_dream').length;
    await userEvent.click(within(cards()[0]).getByTestId('proposal-undo'));
    await waitFor(() => expect(decisions()).toEqual(['pending', 'rejected', 'pending']));
    expect(b.of('take_back_proposals')[0].args).toEqual({ ids: [41] });
    // The report is read again, so the memory entries the changes touch are as they are now.
    await waitFor(() => expect(b.of('get_dream')).toHaveLength(loads + 1));
    expect(within(cards()[0]).getByTestId('proposal-approve')).toBeInTheDocument();
    expect(within(cards()[0]).queryByTestId('proposal-decision')).not.toBeInTheDocument();
    // The card keeps the focus, so a or r decide it again.
    await waitFor(() => expect(cards()[0]).toHaveFocus());

    await userEvent.click(within(cards()[1]).getByTestId('proposal-reconsider'));
    await waitFor(() => expect(decisions()).toEqual(['pending', 'pending', 'pending']));
    expect(b.of('take_back_proposals')[1].args).toEqual({ ids: [42] });
    expect(within(cards()[1]).getByTestId('proposal-reject')).toBeInTheDocument();
    expect(cards()[1]).not.toHaveTextContent('Your reason');
    expect(screen.getByTestId('approve-all')).toHaveTextContent('Approve all (3)');
  });

  it('says why a decision could not be taken back, and leaves it as it was', async () => {
    mockBackend({
      get_dream: () => dreamReport({ proposals: [proposal({ decision: 'applied' })] }),
      take_back_proposals: () =>
        fail('changed_since', 'memory entry #12 was changed after this change was applied (memory version 9)'),
    });
    render(DreamReview, { agent: 'a', id: 4 });
    await userEvent.click(await screen.findByTestId('proposal-undo'));
    const alert = await screen.findByTestId('action-error');
    expect(alert).toHaveTextContent("Couldn't undo that change.");
    expect(alert).toHaveTextContent('memory entry #12 was changed after this change was applied');
    expect(alert).toHaveTextContent('Memory changed since you opened this; reload and try again.');
    expect(alert).toHaveTextContent('Code: changed_since');
    expect(decisions()).toEqual(['applied']);
    expect(screen.getByTestId('proposal-undo')).toBeEnabled();
  });

  it('offers nothing to decide on an undone dream', async () => {
    const b = reviewBackend(
      dreamReport({
        dream: dream({ undone: true, applied: 1, rejected: 1, pending: 0 }),
        proposals: [
          proposal({ id: 41, decision: 'superseded' }),
          proposal({ id: 42, decision: 'rejected', reason: 'Not for Northwind' }),
          // The engine answers superseded for these; a stray pending one is still not offered.
          proposal({ id: 43 }),
        ],
      }),
    );
    render(DreamReview, { agent: 'a', id: 4 });
    await screen.findAllByTestId('proposal');

    expect(screen.getByText('This dream was undone, so its changes can no longer be decided.')).toBeInTheDocument();
    for (const id of ['proposal-approve', 'proposal-reject', 'proposal-undo', 'proposal-reconsider', 'approve-all', 'undo-dream']) {
      expect(screen.queryByTestId(id)).not.toBeInTheDocument();
    }
    // The keyboard shortcuts decide nothing either.
    await userEvent.keyboard('jjj');
    expect(cards()[2]).toHaveFocus();
    await userEvent.keyboard('ar');
    expect(b.of('approve_proposals')).toHaveLength(0);
    expect(screen.queryByTestId('reject-reason')).not.toBeInTheDocument();
  });

  it('says so when a change of an undone dream can no longer be decided', async () => {
    mockBackend({
      get_dream: () => dreamReport(),
      approve_proposals: () => fail('already_undone', 'dream #4 was undone, so its changes can no longer be decided'),
    });
    render(DreamReview, { agent: 'a', id: 4 });
    await userEvent.click(within((await screen.findAllByTestId('proposal'))[0]).getByTestId('proposal-approve'));
    const alert = await screen.findByTestId('action-error');
    expect(alert).toHaveTextContent('This dream was already undone.');
    expect(alert).toHaveTextContent('Code: already_undone');
  });

  it('warns when there was too little signal, and shows the dream’s notes', async () => {
    reviewBackend(
      dreamReport({
        dream: dream({
          warning: 'Only 6 sessions in the last 7 days; proposals rest on few examples.',
          notes: ['Held back 1 change you rejected before.'],
        }),
      }),
    );
    render(DreamReview, { agent: 'a', id: 4 });
    expect(await screen.findByTestId('dream-warning')).toHaveTextContent('Only 6 sessions in the last 7 days');
    expect(screen.getByText('Held back 1 change you rejected before.')).toBeInTheDocument();
  });

  it('approves and rejects with a reason by clicking', async () => {
    const b = reviewBackend();
    render(DreamReview, { agent: 'a', id: 4 });
    await screen.findAllByTestId('proposal');

    await userEvent.click(within(cards()[0]).getByTestId('proposal-approve'));
    await waitFor(() => expect(decisions()[0]).toBe('applied'));
    expect(within(cards()[0]).getByTestId('proposal-decision')).toHaveTextContent('Approved and applied');
    expect(within(cards()[0]).queryByTestId('proposal-approve')).not.toBeInTheDocument();

    await userEvent.click(within(cards()[1]).getByTestId('proposal-reject'));
    await userEvent.type(within(cards()[1]).getByTestId('reject-reason'), 'Only true for one campaign');
    await userEvent.click(within(cards()[1]).getByTestId('reject-confirm'));
    await waitFor(() => expect(decisions()[1]).toBe('rejected'));
    expect(cards()[1]).toHaveTextContent('Your reason: Only true for one campaign');
    expect(b.of('approve_proposals')[0].args).toEqual({ ids: [41] });
    expect(b.of('reject_proposals')[0].args).toEqual({ ids: [42], reason: 'Only true for one campaign' });
  });

  it('runs the whole review from the keyboard: j/k move, a approves, r rejects with Enter', async () => {
    const b = reviewBackend();
    render(DreamReview, { agent: 'a', id: 4 });
    await screen.findAllByTestId('proposal');

    await userEvent.keyboard('j');
    expect(cards()[0]).toHaveFocus();
    await userEvent.keyboard('jj');
    expect(cards()[2]).toHaveFocus();
    await userEvent.keyboard('j');
    expect(cards()[2]).toHaveFocus();
    await userEvent.keyboard('kk');
    expect(cards()[0]).toHaveFocus();

    await userEvent.keyboard('a');
    await waitFor(() => expect(decisions()).toEqual(['applied', 'pending', 'pending']));
    // Focus goes on to the next change that waits.
    await waitFor(() => expect(cards()[1]).toHaveFocus());

    await userEvent.keyboard('r');
    const reason = await within(cards()[1]).findByTestId('reject-reason');
    await waitFor(() => expect(reason).toHaveFocus());
    // Typing a reason does not trigger the shortcuts.
    await userEvent.keyboard('not always a{Enter}');
    await waitFor(() => expect(decisions()).toEqual(['applied', 'rejected', 'pending']));
    expect(b.of('reject_proposals')[0].args).toEqual({ ids: [42], reason: 'not always a' });
    await waitFor(() => expect(cards()[2]).toHaveFocus());

    // r then Escape keeps the change.
    await userEvent.keyboard('r');
    await within(cards()[2]).findByTestId('reject-reason');
    await userEvent.keyboard('{Escape}');
    expect(within(cards()[2]).queryByTestId('reject-reason')).not.toBeInTheDocument();
    expect(decisions()[2]).toBe('pending');
    expect(b.of('approve_proposals')).toHaveLength(1);
  });

  it('approves every waiting change at once', async () => {
    const b = reviewBackend();
    render(DreamReview, { agent: 'a', id: 4 });
    await screen.findAllByTestId('proposal');

    expect(screen.getByTestId('approve-all')).toHaveTextContent('Approve all (3)');
    await userEvent.click(screen.getByTestId('approve-all'));
    await waitFor(() => expect(decisions()).toEqual(['applied', 'applied', 'applied']));
    expect(b.of('approve_proposals')[0].args).toEqual({ ids: [41, 42, 43] });
    expect(screen.queryByTestId('approve-all')).not.toBeInTheDocument();
    expect(screen.getByText(/Every change has been decided/)).toBeInTheDocument();
  });

  it('undoes an applied dream only after the person confirms', async () => {
    const b = reviewBackend();
    render(DreamReview, { agent: 'a', id: 4 });
    await screen.findAllByTestId('proposal');
    expect(screen.queryByTestId('undo-dream')).not.toBeInTheDocument();

    await userEvent.click(within(cards()[0]).getByTestId('proposal-approve'));
    await userEvent.click(await screen.findByTestId('undo-dream'));
    const dialog = screen.getByRole('alertdialog', { name: 'Undo this dream?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(b.of('undo_dream')).toHaveLength(0);

    await userEvent.click(screen.getByTestId('undo-dream'));
    await userEvent.click(screen.getByTestId('confirm-yes'));
    await waitFor(() => expect(b.of('undo_dream')).toHaveLength(1));
    expect(b.of('undo_dream')[0].args).toEqual({ id: 4 });
    await waitFor(() => expect(screen.queryByTestId('undo-dream')).not.toBeInTheDocument());
    expect(screen.getByText('Undone')).toBeInTheDocument();
    expect(decisions()[0]).toBe('superseded');
  });

  it('says when a decision failed, and keeps the change waiting', async () => {
    mockBackend({
      get_dream: () => dreamReport(),
      approve_proposals: () => fail('changed_since', 'memory changed since this dream'),
    });
    render(DreamReview, { agent: 'a', id: 4 });
    await screen.findAllByTestId('proposal');

    await userEvent.click(within(cards()[0]).getByTestId('proposal-approve'));
    const alert = await screen.findByTestId('action-error');
    expect(alert).toHaveTextContent("Couldn't approve that change.");
    expect(alert).toHaveTextContent('Memory changed since you opened this; reload and try again.');
    expect(alert).toHaveTextContent('Code: changed_since');
    expect(decisions()[0]).toBe('pending');
  });

  it('shows loading, then a missing dream as not found', async () => {
    mockBackend({ get_dream: () => fail('not_found', 'no dream 99') });
    render(DreamReview, { agent: 'a', id: 99 });
    expect(screen.getByTestId('loading')).toHaveTextContent('Loading the dream…');
    const alert = await screen.findByTestId('error');
    expect(alert).toHaveTextContent("Couldn't open this dream");
    expect(alert).toHaveTextContent('Code: not_found');
  });

  it('says so when a dream proposed nothing', async () => {
    mockBackend({ get_dream: () => dreamReport({ proposals: [], targets: [], dream: dream({ proposals: 0, pending: 0 }) }) });
    render(DreamReview, { agent: 'a', id: 4 });
    expect(await screen.findByTestId('no-proposals')).toHaveTextContent('This dream proposed no changes');
  });

  it('says the offline dreamer made an offline dream', async () => {
    mockBackend({ get_dream: () => dreamReport() });
    render(DreamReview, { agent: 'a', id: 4 });
    const usage = await screen.findByTestId('dream-usage');
    expect(usage).toHaveTextContent(/^Offline dreamer$/);
  });

  it('says which model curated a dream, its tokens and what it cost', async () => {
    mockBackend({
      get_dream: () =>
        dreamReport({
          dream: dream({
            model: 'claude-sonnet-4-5',
            input_tokens: 12400,
            cached_tokens: 9000,
            output_tokens: 830,
            cost_usd: 0.0123,
          }),
        }),
    });
    render(DreamReview, { agent: 'a', id: 4 });
    const usage = await screen.findByTestId('dream-usage');
    expect(usage).toHaveTextContent(
      'Curated by claude-sonnet-4-5 · 12,400 input tokens (9,000 cached) · 830 output · $0.0123',
    );
  });

  it('leaves out the cache when nothing came from it', async () => {
    mockBackend({
      get_dream: () =>
        dreamReport({
          dream: dream({ model: 'llama3.1', input_tokens: 1, output_tokens: 2, cached_tokens: 0, cost_usd: 0 }),
        }),
    });
    render(DreamReview, { agent: 'a', id: 4 });
    expect(await screen.findByTestId('dream-usage')).toHaveTextContent(
      /^Curated by llama3\.1 · 1 input token · 2 output · \$0$/,
    );
  });
});

describe('a dream over an empty window', () => {
  it('says the window held no sessions, when the last one was, and offers a wider window', async () => {
    const { dream: dreamOf } = await import('./fixtures');
    const b = mockBackend({
      get_dream: () => dreamReport({ dream: dreamOf({ id: 8, sessions_read: 0, window_days: 7 }), proposals: [] }),
      list_memory: () => [],
      list_sessions: () => ({ total: 1, sessions: [summary({ started_at: new Date(Date.now() - 20 * 86_400_000).toISOString() })] }),
      start_dream: () => dreamOf({ id: 9, status: 'running' }),
    });
    render(DreamReview, { agent: 'social-drafts', id: 8 });
    const empty = await screen.findByTestId('no-sessions');
    expect(empty).toHaveTextContent('The last 7 days held no sessions');
    expect(screen.queryByTestId('no-proposals')).not.toBeInTheDocument();
    await userEvent.click(await screen.findByTestId('dream-wider'));
    // Far enough back to include the last session (20 days ago).
    const days = b.of('start_dream')[0].args.windowDays as number;
    expect(days).toBeGreaterThanOrEqual(21);
    expect(days).toBeLessThanOrEqual(22);
    expect(empty).toHaveTextContent('The most recent session is from');
  });
});

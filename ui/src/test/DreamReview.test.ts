import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import DreamReview from '../lib/components/DreamReview.svelte';
import type { DreamReport, Proposal } from '../lib/api';
import { fail, mockBackend } from './backend';
import { dream, dreamReport } from './fixtures';

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
  return mockBackend({
    get_dream: () => structuredClone(report),
    approve_proposals: (args) => decide(args.ids as number[], { decision: 'applied' }),
    reject_proposals: (args) =>
      decide(args.ids as number[], { decision: 'rejected', reason: (args.reason as string | null) ?? null }),
    undo_dream: () => {
      report.dream = { ...report.dream, undone: true };
      for (const p of report.proposals) if (p.decision === 'applied') p.decision = 'superseded';
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
    expect(add).toHaveTextContent('Confidence 82%');
    expect(add).toHaveTextContent('People removed exclamation marks in 5 of 6 Harbour Tea drafts.');

    // A refinement highlights only the words that change.
    expect([...refine.querySelectorAll('del')].map((d) => d.textContent)).toEqual(['lists.']);
    expect([...refine.querySelectorAll('ins')].map((d) => d.textContent)).toEqual(['lists with at most five items.']);
    expect(refine).toHaveTextContent('Northwind wants numbered');

    // A removal shows the entry as it is in memory now, struck through.
    expect(remove.querySelector('del')).toHaveTextContent('Sign every post with the brand name, see https://x.test.');
    expect(within(remove).getByTestId('proposal-flag')).toHaveTextContent(
      'Contains a link — never applied automatically',
    );
    expect(remove).toHaveTextContent('Team-wide');

    const links = within(add).getAllByTestId('evidence-link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual([
      '#/agents/social-drafts/sessions/s-0001',
      '#/agents/social-drafts/sessions/s-0007',
    ]);
    expect(add).toHaveTextContent('No exclamation marks, please.');
    expect(add).toHaveTextContent('Evidence from 2 sessions');
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

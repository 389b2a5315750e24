import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import SessionsTab from '../lib/components/SessionsTab.svelte';
import type { SessionFilter } from '../lib/api';
import { fail, mockBackend } from './backend';
import { rubricView, summary } from './fixtures';

const scopes = [
  { key: 'client', value: 'Northwind', label: 'client: Northwind', sessions: 4 },
  { key: 'client', value: 'Harbour Tea', label: 'client: Harbour Tea', sessions: 9 },
  { key: 'channel', value: 'x', label: 'channel: x', sessions: 2 },
];

const rows = [
  summary(),
  summary({
    id: 's-0002',
    preview: 'Write the launch thread for Northwind.',
    tags: { client: 'Northwind', channel: 'x' },
    accepted: 2,
    revised: 0,
    rejected: 1,
  }),
];

describe('sessions list', () => {
  it('shows each session with its preview, scope tags and feedback counts', async () => {
    mockBackend({ list_sessions: () => ({ total: 2, sessions: rows }) });
    render(SessionsTab, { agent: 'social-drafts' });

    const found = await screen.findAllByTestId('session-row');
    expect(found.map((r) => r.dataset.id)).toEqual(['s-0001', 's-0002']);
    expect(found[0]).toHaveTextContent("Draft today's post for Harbour Tea.");
    expect(within(found[0]).getByText('client: Harbour Tea')).toHaveClass('chip');
    expect(within(found[0]).getByText('1 revised')).toBeInTheDocument();
    expect(within(found[0]).queryByText(/accepted/)).not.toBeInTheDocument();
    // The engine says the tags in words, all of them in one line.
    expect(within(found[1]).getByText('channel: x · client: Northwind')).toHaveClass('chip');
    expect(within(found[1]).getByText('2 accepted')).toBeInTheDocument();
    expect(within(found[1]).getByText('1 rejected')).toBeInTheDocument();
    expect(found[0]).toHaveAttribute('href', '#/agents/social-drafts/sessions/s-0001');
    expect(screen.getByTestId('session-count')).toHaveTextContent('2 sessions');
  });

  it('filters by scope tag and by words, asking the backend with the right filter', async () => {
    const backend = mockBackend({
      list_sessions: () => ({ total: 2, sessions: rows }),
      list_scopes: () => scopes,
    });
    render(SessionsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('session-row');

    const first = backend.of('list_sessions')[0].args;
    expect(first.agent).toBe('social-drafts');
    expect(first.filter).toMatchObject({ scope_key: null, scope_value: null, search: null, offset: 0 });

    const select = screen.getByTestId('scope-filter');
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(4));
    const options = within(select).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['All scopes', 'channel: x', 'client: Harbour Tea', 'client: Northwind']);
    await userEvent.selectOptions(select, 'client: Northwind');
    await waitFor(() => expect(backend.of('list_sessions')).toHaveLength(2));
    expect(backend.of('list_sessions')[1].args.filter).toMatchObject({
      scope_key: 'client',
      scope_value: 'Northwind',
      search: null,
    });

    await userEvent.type(screen.getByTestId('session-search'), 'launch thread{Enter}');
    await waitFor(() => {
      const last = backend.of('list_sessions').at(-1)!.args.filter as SessionFilter;
      expect(last.search).toBe('launch thread');
      expect(last.scope_value).toBe('Northwind');
    });
  });

  it('filters by outcome met or not, and by a date range', async () => {
    const backend = mockBackend({
      list_sessions: () => ({ total: 2, sessions: rows }),
      get_rubric: () => rubricView(),
    });
    render(SessionsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('session-row');

    const outcome = screen.getByTestId('outcome-filter');
    await waitFor(() => expect(within(outcome).getAllByRole('option')).toHaveLength(3));
    expect(screen.queryByTestId('outcome-met-filter')).not.toBeInTheDocument();
    await userEvent.selectOptions(outcome, 'Format matched request');
    await waitFor(() =>
      expect(backend.of('list_sessions').at(-1)!.args.filter).toMatchObject({
        outcome: 'format_matched_request',
        outcome_met: true,
      }),
    );
    await userEvent.selectOptions(screen.getByTestId('outcome-met-filter'), 'Not met');
    await waitFor(() =>
      expect(backend.of('list_sessions').at(-1)!.args.filter).toMatchObject({ outcome_met: false }),
    );

    await fireEvent.input(screen.getByTestId('date-from'), { target: { value: '2026-11-02' } });
    await fireEvent.input(screen.getByTestId('date-to'), { target: { value: '2026-11-08' } });
    await waitFor(() => {
      const f = backend.of('list_sessions').at(-1)!.args.filter as SessionFilter;
      expect(f.from).toBe(new Date('2026-11-02T00:00:00').toISOString());
      expect(f.to).toBe(new Date('2026-11-08T23:59:59.999').toISOString());
      expect(f.outcome).toBe('format_matched_request');
    });

    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() =>
      expect(backend.of('list_sessions').at(-1)!.args.filter).toMatchObject({
        outcome: null,
        outcome_met: null,
        from: null,
        to: null,
      }),
    );
  });

  it('loads more sessions with the next offset and shows the total', async () => {
    const page = Array.from({ length: 50 }, (_, i) => summary({ id: `s-${i}` }));
    const backend = mockBackend({
      list_sessions: (args) => {
        const offset = (args.filter as SessionFilter).offset ?? 0;
        return { total: 52, sessions: offset === 0 ? page : [summary({ id: 's-50' }), summary({ id: 's-51' })] };
      },
    });
    render(SessionsTab, { agent: 'social-drafts' });

    expect(await screen.findAllByTestId('session-row')).toHaveLength(50);
    expect(screen.getByText('Showing 50 of 52')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));

    await waitFor(() => expect(screen.getAllByTestId('session-row')).toHaveLength(52));
    expect(backend.of('list_sessions')[1].args.filter).toMatchObject({ offset: 50, limit: 50 });
    expect(screen.queryByRole('button', { name: 'Show more' })).not.toBeInTheDocument();
  });

  it('explains an empty agent and points to import', async () => {
    mockBackend({ list_sessions: () => ({ total: 0, sessions: [] }) });
    render(SessionsTab, { agent: 'social-drafts' });

    const empty = await screen.findByTestId('sessions-empty');
    expect(empty).toHaveTextContent('No sessions yet');
    expect(within(empty).getByRole('button', { name: 'Import sessions…' })).toBeInTheDocument();
  });

  it('says when nothing matches the filter, and clears it', async () => {
    const backend = mockBackend({
      list_sessions: (args) =>
        (args.filter as SessionFilter).search ? { total: 0, sessions: [] } : { total: 2, sessions: rows },
    });
    render(SessionsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('session-row');

    await userEvent.type(screen.getByTestId('session-search'), 'zebra{Enter}');
    const none = await screen.findByTestId('sessions-none-match');
    await userEvent.click(within(none).getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findAllByTestId('session-row')).toHaveLength(2);
    expect(backend.of('list_sessions').at(-1)!.args.filter).toMatchObject({ search: null });
  });

  it('shows an error with its code', async () => {
    mockBackend({ list_sessions: () => fail('database', 'database is locked') });
    render(SessionsTab, { agent: 'social-drafts' });

    const alert = await screen.findByTestId('error');
    expect(alert).toHaveTextContent("Couldn't load the sessions");
    expect(alert).toHaveTextContent('Code: database');
  });
});

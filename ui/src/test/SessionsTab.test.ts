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
    expect(within(found[0]).getByRole('link')).toHaveAttribute('href', '#/agents/social-drafts/sessions/s-0001');
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
    expect(options).toEqual(['All clients and tags', 'channel: x', 'client: Harbour Tea', 'client: Northwind']);
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

describe('tagging sessions', () => {
  const files = [
    { path: '/home/mei/exports/harbour-oct.jsonl', sessions: 40 },
    { path: '/home/mei/exports/northwind.jsonl', sessions: 12 },
  ];

  function tagBackend(extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
    return mockBackend({
      list_sessions: () => ({ total: 2, sessions: rows }),
      list_scopes: () => scopes,
      session_files: () => files,
      tag_sessions: (args) => {
        const which = args.which as { ids?: string[]; file?: string };
        return which.ids ? which.ids.length : 40;
      },
      ...extra,
    });
  }

  const row = (id: string) =>
    screen.getAllByTestId('session-row').find((r) => r.dataset.id === id) as HTMLElement;

  it('tags the sessions picked in the list, then says how many and reloads', async () => {
    const b = tagBackend();
    render(SessionsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('session-row');

    const pick = within(row('s-0002')).getByTestId('session-select');
    expect(pick).toHaveAccessibleName(/Write the launch thread for Northwind/);
    await userEvent.click(pick);
    await userEvent.click(within(row('s-0001')).getByTestId('session-select'));
    expect(screen.getByTestId('session-count')).toHaveTextContent('2 selected');
    // Picking does not open the session.
    expect(window.location.hash).not.toContain('/sessions/s-');

    await userEvent.click(screen.getByTestId('tag-open'));
    const dialog = screen.getByRole('dialog', { name: 'Tag sessions' });
    expect(within(dialog).getByTestId('tag-key')).toHaveValue('client');
    expect(within(dialog).getByTestId('tag-value')).toHaveFocus();
    const target = within(dialog).getByTestId('tag-target-file');
    await waitFor(() => expect(within(target).getAllByRole('option')).toHaveLength(3));
    expect(within(target).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'The 2 selected sessions',
      'All 40 sessions from harbour-oct.jsonl',
      'All 12 sessions from northwind.jsonl',
    ]);
    expect(target).toHaveValue('');

    await userEvent.type(within(dialog).getByTestId('tag-value'), 'Harbour Tea');
    const loads = b.of('list_sessions').length;
    await userEvent.click(within(dialog).getByTestId('tag-save'));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // In list order, whichever was picked first.
    expect(b.of('tag_sessions')[0].args).toEqual({
      agent: 'social-drafts',
      which: { ids: ['s-0001', 's-0002'] },
      key: 'client',
      value: 'Harbour Tea',
    });
    expect(screen.getByTestId('tag-note')).toHaveTextContent('Tagged 2 sessions with client: Harbour Tea.');
    await waitFor(() => expect(b.of('list_sessions').length).toBeGreaterThan(loads));
    expect(within(row('s-0001')).getByTestId('session-select')).not.toBeChecked();
  });

  it('tags every session imported from a file', async () => {
    const b = tagBackend();
    render(SessionsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('session-row');

    await userEvent.click(screen.getByTestId('tag-open'));
    const dialog = screen.getByRole('dialog', { name: 'Tag sessions' });
    const target = within(dialog).getByTestId('tag-target-file');
    // Nothing picked: the files are the only choice, the first one first.
    await waitFor(() => expect(target).toHaveValue('/home/mei/exports/harbour-oct.jsonl'));
    expect(within(target).getAllByRole('option')).toHaveLength(2);
    await userEvent.selectOptions(target, '/home/mei/exports/northwind.jsonl');
    expect(dialog).toHaveTextContent('/home/mei/exports/northwind.jsonl');
    await userEvent.type(within(dialog).getByTestId('tag-value'), 'Northwind');
    await userEvent.click(within(dialog).getByTestId('tag-save'));

    await waitFor(() => expect(b.of('tag_sessions')).toHaveLength(1));
    expect(b.of('tag_sessions')[0].args).toEqual({
      agent: 'social-drafts',
      which: { file: '/home/mei/exports/northwind.jsonl' },
      key: 'client',
      value: 'Northwind',
    });
    expect(await screen.findByTestId('tag-note')).toHaveTextContent('Tagged 40 sessions with client: Northwind.');
  });

  it('picks all shown sessions at once, and none again', async () => {
    tagBackend();
    render(SessionsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('session-row');
    const all = screen.getByTestId('session-select-all');
    const picks = () => screen.getAllByTestId('session-select') as HTMLInputElement[];

    await userEvent.click(picks()[0]);
    expect((all as HTMLInputElement).indeterminate).toBe(true);
    await userEvent.click(all);
    expect(picks().every((p) => p.checked)).toBe(true);
    expect(all).toBeChecked();
    await userEvent.click(all);
    expect(picks().some((p) => p.checked)).toBe(false);
  });

  it('suggests the tags and values already in use', async () => {
    tagBackend();
    render(SessionsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('session-row');
    await userEvent.click(screen.getByTestId('tag-open'));
    const dialog = screen.getByRole('dialog', { name: 'Tag sessions' });

    const options = (input: HTMLElement) =>
      [...(document.getElementById(input.getAttribute('list') ?? '')?.querySelectorAll('option') ?? [])].map(
        (o) => o.value,
      );
    const key = within(dialog).getByTestId('tag-key');
    const value = within(dialog).getByTestId('tag-value');
    await waitFor(() => expect(options(key)).toEqual(['client', 'channel']));
    expect(options(value).sort()).toEqual(['Harbour Tea', 'Northwind']);
    await userEvent.clear(key);
    await userEvent.type(key, 'channel');
    expect(options(value)).toEqual(['x']);
  });

  it('says what is wrong with the tag next to it', async () => {
    tagBackend({ tag_sessions: () => fail('invalid_input', 'give the tag a value, or remove it', 'value') });
    render(SessionsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('session-row');
    await userEvent.click(within(screen.getAllByTestId('session-row')[0]).getByTestId('session-select'));
    await userEvent.click(screen.getByTestId('tag-open'));
    const dialog = screen.getByRole('dialog', { name: 'Tag sessions' });
    await userEvent.type(within(dialog).getByTestId('tag-value'), 'x');
    await userEvent.click(within(dialog).getByTestId('tag-save'));

    const value = within(dialog).getByTestId('tag-value');
    await waitFor(() => expect(value).toHaveAttribute('aria-invalid', 'true'));
    expect(value).toHaveAccessibleDescription('give the tag a value, or remove it');
    expect(screen.getByRole('dialog', { name: 'Tag sessions' })).toBeInTheDocument();
  });
});

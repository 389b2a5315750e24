import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import DreamsTab from '../lib/components/DreamsTab.svelte';
import { app } from '../lib/app.svelte';
import { navigate, route } from '../lib/route.svelte';
import { fail, mockBackend } from './backend';
import { agentSchedule, dream, dreamReport } from './fixtures';

describe('dreams history', () => {
  it('lists each dream with its status, sessions read, time taken and changes', async () => {
    navigate({ agent: 'social-drafts', tab: 'dreams' });
    mockBackend({
      list_dreams: () => [
        dream({ id: 5, pending: 2, applied: 1, rejected: 1, proposals: 4 }),
        dream({ id: 4, status: 'completed', pending: 0, applied: 3, undone: true, trigger: 'scheduled' }),
        dream({ id: 3, status: 'failed', error: 'database is locked', finished_at: null, proposals: 0, pending: 0 }),
      ],
    });
    render(DreamsTab, { agent: 'social-drafts' });

    const rows = await screen.findAllByTestId('dream-row');
    expect(rows.map((r) => r.dataset.id)).toEqual(['5', '4', '3']);
    expect(rows[0]).toHaveTextContent('Dream 5');
    expect(rows[0]).toHaveTextContent('Finished');
    expect(rows[0]).toHaveTextContent('22 sessions read');
    expect(rows[0]).toHaveTextContent('took 3 min');
    expect(rows[0]).toHaveTextContent('2 waiting');
    expect(rows[0]).toHaveTextContent('1 applied');
    expect(rows[0]).toHaveTextContent('1 rejected');
    expect(within(rows[0]).queryByTestId('dream-undone')).not.toBeInTheDocument();
    expect(within(rows[1]).getByTestId('dream-undone')).toHaveTextContent('Undone');
    expect(rows[1]).toHaveTextContent('On schedule');
    expect(rows[2]).toHaveTextContent('Failed');
    expect(rows[2]).toHaveTextContent('No changes');
    expect(rows[0]).toHaveAttribute('href', '#/agents/social-drafts/dreams/5');
  });

  it('explains dreams when there are none, with the first-run hint', async () => {
    app.hint = 'Click Dream now to see what Reverie learns.';
    mockBackend({ list_dreams: () => [] });
    render(DreamsTab, { agent: 'demo' });

    const empty = await screen.findByTestId('dreams-empty');
    expect(empty).toHaveTextContent('No dreams yet');
    expect(empty).toHaveTextContent('Nothing changes in memory until you approve it.');
    expect(screen.getByTestId('hint')).toHaveTextContent('Click Dream now');
  });

  it('shows an error with its code', async () => {
    mockBackend({ list_dreams: () => fail('database', 'disk I/O error') });
    render(DreamsTab, { agent: 'a' });
    const alert = await screen.findByTestId('error');
    expect(alert).toHaveTextContent("Couldn't load the dreams");
    expect(alert).toHaveTextContent('Code: database');
  });

  it('dreams now: shows progress from events, then opens the finished dream’s review', async () => {
    navigate({ agent: 'social-drafts', tab: 'dreams' });
    let list = [dream({ id: 4 })];
    const b = mockBackend(
      {
        list_dreams: () => list,
        start_dream: () => dream({ id: 9, status: 'running', finished_at: null }),
        get_dream: () => dreamReport({ dream: dream({ id: 9 }) }),
      },
      { events: true },
    );
    render(DreamsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('dream-row');

    await userEvent.click(screen.getByTestId('dream-now'));
    const progress = await screen.findByTestId('dream-progress');
    expect(b.of('start_dream')[0].args).toEqual({ agent: 'social-drafts', windowDays: null });
    expect(screen.getByTestId('dream-now')).toBeDisabled();

    await emit('dream-progress', { dream_id: 9, agent: 'social-drafts', step: 'Reading 22 sessions', fraction: 0.4 });
    await waitFor(() => expect(progress).toHaveTextContent('Reading 22 sessions'));
    expect(within(progress).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '40');
    // Another agent's dream is not this one.
    await emit('dream-progress', { dream_id: 10, agent: 'other', step: 'Elsewhere', fraction: 0.9 });
    expect(progress).not.toHaveTextContent('Elsewhere');

    list = [dream({ id: 9 }), dream({ id: 4 })];
    await emit('dream-finished', dream({ id: 9 }));
    await waitFor(() => expect(route.dream).toBe(9));
    expect(screen.queryByTestId('dream-progress')).not.toBeInTheDocument();
    expect(await screen.findAllByTestId('proposal')).toHaveLength(3);
    expect(b.of('get_dream')[0].args).toEqual({ id: 9 });
  });

  it('notices a finished dream even without events, and marks it in the list', async () => {
    navigate({ agent: 'social-drafts', tab: 'dreams' });
    let status: 'running' | 'completed' = 'running';
    mockBackend({
      list_dreams: () => [dream({ id: 9, status, finished_at: null })],
      get_dream: () => dreamReport({ dream: dream({ id: 9 }) }),
    });
    render(DreamsTab, { agent: 'social-drafts' });
    expect(await screen.findByTestId('dream-progress')).toHaveTextContent('Dream 9');

    // Found running, so not started by this window: the list marks it rather than opening it.
    status = 'completed';
    await waitFor(() => expect(screen.queryByTestId('dream-progress')).not.toBeInTheDocument(), {
      timeout: 4000,
    });
    await waitFor(() => expect(screen.getByTestId('dream-row')).toHaveAttribute('data-fresh', 'true'));
    expect(route.dream).toBeNull();
  });

  it('cancels a running dream', async () => {
    const b = mockBackend(
      {
        list_dreams: () => [dream({ id: 9, status: 'running', finished_at: null })],
        cancel_dream: () => null,
      },
      { events: true },
    );
    render(DreamsTab, { agent: 'social-drafts' });

    const progress = await screen.findByTestId('dream-progress');
    expect(progress).toHaveTextContent('Dream 9');
    await userEvent.click(screen.getByTestId('dream-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dream-progress')).not.toBeInTheDocument());
    expect(b.of('cancel_dream')[0].args).toEqual({ id: 9 });
    expect(screen.getByText('Dream 9 canceled. Nothing was changed.')).toBeInTheDocument();
  });

  it('says why a dream could not start', async () => {
    mockBackend({ list_dreams: () => [], start_dream: () => fail('dream_running', 'a dream is already running') });
    render(DreamsTab, { agent: 'a' });
    await screen.findByTestId('dreams-empty');

    await userEvent.click(screen.getByTestId('dream-now'));
    const alert = await screen.findByTestId('action-error');
    expect(alert).toHaveTextContent("Couldn't start a dream.");
    expect(alert).toHaveTextContent('a dream is already running');
    expect(alert).toHaveTextContent('Another dream for this agent is still running; wait for it or cancel it.');
    expect(alert).toHaveTextContent('Code: dream_running');
    expect(screen.getByTestId('dream-now')).toBeEnabled();
  });
});

describe('dreams started elsewhere (scheduler, tray)', () => {
  /** A backend whose history is `list.value`, with a dream #4 to review. */
  function backend(list: { value: ReturnType<typeof dream>[] }) {
    return mockBackend(
      {
        list_dreams: () => list.value,
        start_dream: () => dream({ id: 9, status: 'running', finished_at: null }),
        cancel_dream: () => null,
        get_dream: (args) => dreamReport({ dream: dream({ id: Number(args.id) }) }),
        schedule_overview: () => [agentSchedule()],
      },
      { events: true },
    );
  }

  it('shows the progress of a dream this window did not start, and cancels it by its id', async () => {
    navigate({ agent: 'social-drafts', tab: 'dreams' });
    const b = backend({ value: [dream({ id: 4 })] });
    render(DreamsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('dream-row');
    expect(screen.queryByTestId('dream-progress')).not.toBeInTheDocument();

    // The scheduler's first step is the window's first news of the dream.
    await emit('dream-progress', { dream_id: 12, agent: 'social-drafts', step: 'Reading 40 sessions', fraction: 0.25 });
    const progress = await screen.findByTestId('dream-progress');
    // Not in the list yet, so its number for this agent is not known: no global id instead.
    expect(progress).toHaveTextContent('The dream');
    expect(progress).toHaveTextContent('Reading 40 sessions');
    expect(within(progress).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
    expect(screen.getByTestId('dream-now')).toBeDisabled();

    await emit('dream-progress', { dream_id: 12, agent: 'social-drafts', step: 'Grading sessions', fraction: 0.6 });
    await waitFor(() => expect(progress).toHaveTextContent('Grading sessions'));

    await userEvent.click(screen.getByTestId('dream-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dream-progress')).not.toBeInTheDocument());
    expect(b.of('cancel_dream').map((c) => c.args)).toEqual([{ id: 12 }]);
    expect(b.of('start_dream')).toHaveLength(0);
    expect(screen.getByText('The dream canceled. Nothing was changed.')).toBeInTheDocument();

    // The engine's own word that it ended refreshes the history, and does not bring the bar back.
    const before = b.of('list_dreams').length;
    await emit('dream-finished', dream({ id: 12, status: 'canceled', trigger: 'scheduled' }));
    await waitFor(() => expect(b.of('list_dreams').length).toBeGreaterThan(before));
    expect(screen.queryByTestId('dream-progress')).not.toBeInTheDocument();
  });

  it('refreshes the history when it finishes and marks the new dream, without opening it', async () => {
    navigate({ agent: 'social-drafts', tab: 'dreams' });
    const list = { value: [dream({ id: 4 })] };
    const b = backend(list);
    render(DreamsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('dream-row');
    await screen.findByTestId('schedule-next-run');
    const overviews = b.of('schedule_overview').length;

    await emit('dream-progress', { dream_id: 12, agent: 'social-drafts', step: 'Reading 40 sessions', fraction: 0.5 });
    await screen.findByTestId('dream-progress');

    list.value = [dream({ id: 12, trigger: 'scheduled', pending: 2 }), dream({ id: 4 })];
    await emit('dream-finished', dream({ id: 12, trigger: 'scheduled', pending: 2 }));

    await waitFor(() => expect(screen.getAllByTestId('dream-row').map((r) => r.dataset.id)).toEqual(['12', '4']));
    const [fresh, old] = screen.getAllByTestId('dream-row');
    expect(fresh).toHaveAttribute('data-fresh', 'true');
    expect(fresh).toHaveTextContent('New');
    expect(old).not.toHaveAttribute('data-fresh');
    expect(screen.queryByTestId('dream-progress')).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Dream 12 finished on schedule: 2 changes to review.');
    expect(route.dream).toBeNull();
    expect(b.of('get_dream')).toHaveLength(0);
    // What the scheduler last did changed too.
    await waitFor(() => expect(b.of('schedule_overview').length).toBeGreaterThan(overviews));
    expect(screen.getByTestId('dream-now')).toBeEnabled();
  });

  it('leaves the person on the review they are reading when a dream finishes', async () => {
    navigate({ agent: 'social-drafts', tab: 'dreams' });
    const list = { value: [dream({ id: 4 })] };
    const b = backend(list);
    render(DreamsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('dream-row');

    // Even the dream this window started stays closed while another review is open.
    await userEvent.click(screen.getByTestId('dream-now'));
    await screen.findByTestId('dream-progress');
    navigate({ agent: 'social-drafts', tab: 'dreams', dream: 4 });
    await screen.findAllByTestId('proposal');

    const before = b.of('list_dreams').length;
    list.value = [dream({ id: 9 }), dream({ id: 4 })];
    await emit('dream-finished', dream({ id: 9 }));
    await waitFor(() => expect(b.of('list_dreams').length).toBeGreaterThan(before));
    expect(route.dream).toBe(4);
    expect(b.of('get_dream').map((c) => c.args)).toEqual([{ id: 4 }]);

    // Back on the list, the new dream is marked.
    navigate({ agent: 'social-drafts', tab: 'dreams' });
    await waitFor(() =>
      expect(screen.getAllByTestId('dream-row').find((r) => r.dataset.id === '9')).toHaveAttribute('data-fresh', 'true'),
    );
  });

  it('shows the scheduled dream that Dream now joined as running, and marks it when it ends', async () => {
    navigate({ agent: 'social-drafts', tab: 'dreams' });
    const list = { value: [dream({ id: 4 })] };
    const b = mockBackend(
      {
        list_dreams: () => list.value,
        // The schedule started #12 a moment ago; the engine joins it instead of starting another.
        start_dream: () => dream({ id: 12, status: 'running', trigger: 'scheduled', finished_at: null }),
        cancel_dream: () => null,
        schedule_overview: () => [agentSchedule()],
      },
      { events: true },
    );
    render(DreamsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('dream-row');

    await userEvent.click(screen.getByTestId('dream-now'));
    const progress = await screen.findByTestId('dream-progress');
    expect(progress).toHaveTextContent('Dream 12');
    expect(progress).toHaveTextContent('Dreaming…');
    expect(within(progress).getByRole('progressbar')).not.toHaveAttribute('aria-valuenow');
    expect(screen.getByRole('status')).toHaveTextContent('A scheduled dream (dream 12) was already running');
    expect(screen.getByTestId('dream-now')).toBeDisabled();
    expect(screen.getByTestId('dream-cancel')).toBeEnabled();

    await emit('dream-progress', { dream_id: 12, agent: 'social-drafts', step: 'Grading sessions', fraction: 0.6 });
    await waitFor(() => expect(progress).toHaveTextContent('Grading sessions'));

    list.value = [dream({ id: 12, trigger: 'scheduled', pending: 1 }), dream({ id: 4 })];
    await emit('dream-finished', dream({ id: 12, trigger: 'scheduled', pending: 1 }));
    await waitFor(() => expect(screen.queryByTestId('dream-progress')).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getAllByTestId('dream-row')[0]).toHaveAttribute('data-fresh', 'true'));
    expect(screen.getByRole('status')).toHaveTextContent('Dream 12 finished on schedule: 1 change to review.');
    expect(route.dream).toBeNull();
    expect(b.of('start_dream')).toHaveLength(1);
  });

  it('ignores another agent’s dreams', async () => {
    navigate({ agent: 'social-drafts', tab: 'dreams' });
    const b = backend({ value: [dream({ id: 4 })] });
    render(DreamsTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('dream-row');
    const before = b.of('list_dreams').length;

    await emit('dream-progress', { dream_id: 20, agent: 'support-triage', step: 'Elsewhere', fraction: 0.5 });
    await emit('dream-finished', dream({ id: 20, agent: 'support-triage' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('dream-progress')).not.toBeInTheDocument();
    expect(b.of('list_dreams')).toHaveLength(before);
    expect(route.dream).toBeNull();
  });
});

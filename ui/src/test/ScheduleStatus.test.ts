import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ScheduleStatus from '../lib/components/ScheduleStatus.svelte';
import DreamsTab from '../lib/components/DreamsTab.svelte';
import RubricTab from '../lib/components/RubricTab.svelte';
import type { Rubric } from '../lib/api';
import { fail, mockBackend } from './backend';
import { agentSchedule, dream, rubricView } from './fixtures';

// The next run in words is the engine's; the screen shows it as it is, with the instant behind it.
const NOW = new Date(2026, 10, 24, 15, 0); // Tue 24 Nov 2026, 15:00
const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute).toISOString();

const SLOT = at(24, 2);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

/** `schedule_overview` with another agent's entry first, so the right one must be picked. */
function overview(mine: ReturnType<typeof agentSchedule>) {
  return mockBackend({
    schedule_overview: () => [
      agentSchedule({
        agent: 'support-triage',
        name: 'Support triage',
        next_run: at(27, 9),
        next_run_words: 'Friday at 9:00',
        last: { slot: SLOT, outcome: 'failed', reason: 'not this agent', dream_id: null, at: SLOT },
      }),
      mine,
    ],
  });
}

describe('schedule status', () => {
  it('says when the next dream runs, in words, and that a slot was skipped and why', async () => {
    const b = overview(
      agentSchedule({
        next_run: at(25, 2),
        next_run_words: 'tonight at 2:00',
        last: { slot: SLOT, outcome: 'skipped', reason: 'No new sessions since the last dream', dream_id: null, at: SLOT },
      }),
    );
    render(ScheduleStatus, { agent: 'social-drafts' });

    const next = await screen.findByTestId('schedule-next-run');
    expect(next).toHaveTextContent('Next dream: tonight at 2:00');
    expect(next).not.toHaveTextContent('Friday');
    expect(next.querySelector('time')).toHaveAttribute('datetime', at(25, 2));
    const last = screen.getByTestId('schedule-last');
    expect(last).toHaveAttribute('data-outcome', 'skipped');
    expect(last).toHaveTextContent('Last scheduled dream: skipped — No new sessions since the last dream');
    expect(last).not.toHaveTextContent('not this agent');
    expect(last.querySelector('time')).toHaveAttribute('datetime', SLOT);
    expect(b.of('schedule_overview')).toHaveLength(1);
  });

  it('links the dream the last slot made', async () => {
    overview(
      agentSchedule({
        next_run: at(26, 7, 30),
        next_run_words: 'Thursday at 7:30',
        last: { slot: SLOT, outcome: 'dreamed', reason: null, dream_id: 12, at: SLOT },
      }),
    );
    render(ScheduleStatus, { agent: 'social-drafts' });

    expect(await screen.findByTestId('schedule-next-run')).toHaveTextContent('Next dream: Thursday at 7:30');
    const last = screen.getByTestId('schedule-last');
    expect(last).toHaveTextContent('Last scheduled dream: dreamed (#12)');
    expect(screen.getByRole('link', { name: '#12' })).toHaveAttribute('href', '#/agents/social-drafts/dreams/12');
  });

  it('says why the last slot failed', async () => {
    overview(
      agentSchedule({
        next_run: at(24, 20),
        next_run_words: 'tonight at 20:00',
        last: { slot: SLOT, outcome: 'failed', reason: 'the database is locked', dream_id: null, at: SLOT },
      }),
    );
    render(ScheduleStatus, { agent: 'social-drafts' });

    expect(await screen.findByTestId('schedule-next-run')).toHaveTextContent('tonight at 20:00');
    const last = screen.getByTestId('schedule-last');
    expect(last).toHaveAttribute('data-outcome', 'failed');
    expect(last).toHaveTextContent('Last scheduled dream: failed — the database is locked');
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('says so when nothing has run yet or nothing is scheduled', async () => {
    overview(agentSchedule({ next_run: null, next_run_words: null, last: null }));
    render(ScheduleStatus, { agent: 'social-drafts' });

    expect(await screen.findByTestId('schedule-next-run')).toHaveTextContent('No dream is scheduled.');
    expect(screen.getByTestId('schedule-last')).toHaveTextContent('Last scheduled dream: none yet.');
    expect(screen.getByTestId('schedule-last')).toHaveAttribute('data-outcome', 'none');
  });

  it('stays out of the way when the overview cannot be read', async () => {
    const b = mockBackend({ schedule_overview: () => fail('database', 'disk I/O error') });
    render(ScheduleStatus, { agent: 'social-drafts' });
    await waitFor(() => expect(b.of('schedule_overview')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('schedule-next-run')).not.toBeInTheDocument();
    expect(screen.queryByTestId('schedule-last')).not.toBeInTheDocument();
    expect(screen.queryByTestId('error')).not.toBeInTheDocument();
  });

  it('heads the Dreams tab', async () => {
    mockBackend({
      list_dreams: () => [dream({ id: 4 })],
      schedule_overview: () => [
        agentSchedule({
          next_run: at(25, 2),
          next_run_words: 'tonight at 2:00',
          last: { slot: SLOT, outcome: 'dreamed', reason: null, dream_id: 4, at: SLOT },
        }),
      ],
    });
    render(DreamsTab, { agent: 'social-drafts' });
    expect(await screen.findByTestId('schedule-next-run')).toHaveTextContent('Next dream: tonight at 2:00');
    expect(screen.getByTestId('schedule-last')).toHaveTextContent('Last scheduled dream: dreamed (#4)');
  });

  it('sits next to the schedule picker, and follows a saved schedule', async () => {
    let next = { next_run: at(25, 2), next_run_words: 'tonight at 2:00' };
    const b = mockBackend({
      get_rubric: () => rubricView(),
      check_rubric: (args) => ({ rubric: args.rubric, issues: [], yaml: 'x' }),
      describe_schedule: (args) => ({ expr: args.expr, words: 'Some time', next_runs: [], next_runs_words: [], error: null }),
      save_rubric: (args) => {
        next = { next_run: at(25, 7, 30), next_run_words: 'tomorrow at 7:30' };
        return rubricView(args.rubric as Rubric, 'saved');
      },
      schedule_overview: () => [
        agentSchedule({
          ...next,
          last: { slot: SLOT, outcome: 'skipped', reason: 'No new sessions since the last dream', dream_id: null, at: SLOT },
        }),
      ],
    });
    render(RubricTab, { agent: 'social-drafts' });

    const line = await screen.findByTestId('schedule-next-run');
    expect(line).toHaveTextContent('Next dream: tonight at 2:00');
    expect(line.closest('.dreaming')).toContainElement(screen.getByTestId('schedule-preset'));
    expect(screen.getByTestId('schedule-last')).toHaveTextContent('skipped — No new sessions since the last dream');

    await userEvent.selectOptions(screen.getByTestId('schedule-preset'), 'weekdays');
    await userEvent.clear(screen.getByTestId('schedule-time'));
    await userEvent.type(screen.getByTestId('schedule-time'), '07:30');
    await waitFor(() => expect(screen.getByTestId('schedule-next-run')).toHaveTextContent('(the saved schedule)'));
    await waitFor(() => expect(screen.getByTestId('rubric-save')).toBeEnabled());
    await userEvent.click(screen.getByTestId('rubric-save'));

    await waitFor(() => expect(screen.getByTestId('schedule-next-run')).toHaveTextContent('Next dream: tomorrow at 7:30'));
    expect(screen.getByTestId('schedule-next-run')).not.toHaveTextContent('(the saved schedule)');
    expect(b.of('schedule_overview').length).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import ProgressTab from '../lib/components/ProgressTab.svelte';
import { fail, mockBackend } from './backend';
import { progressReport } from './fixtures';
import { linePath, weekIndexOf, xAt, yAt } from '../lib/chart';

describe('progress', () => {
  it('draws a line per outcome with a legend, and marks dreams that changed memory', async () => {
    const b = mockBackend({ progress: () => progressReport() });
    render(ProgressTab, { agent: 'social-drafts' });

    const chart = await screen.findByTestId('progress-chart');
    const lines = within(chart as unknown as HTMLElement).getAllByTestId('progress-line');
    expect(lines.map((l) => l.dataset.outcome)).toEqual(['task_completed_first_pass', 'format_matched_request']);
    // Three graded weeks make three points; a week with no grade breaks the line.
    expect(lines[0].querySelectorAll('circle')).toHaveLength(3);
    expect(lines[1].querySelectorAll('circle')).toHaveLength(2);
    expect(lines[1].querySelector('path')!.getAttribute('d')!.match(/M/g)).toHaveLength(2);

    const markers = within(chart as unknown as HTMLElement).getAllByTestId('progress-marker');
    expect(markers).toHaveLength(1);
    expect(markers[0].dataset.id).toBe('3');
    expect(markers[0]).toHaveTextContent('Dream 3: 3 changes');

    const legend = screen.getByRole('list', { name: 'Outcomes' });
    expect(legend).toHaveTextContent('Task completed first pass · latest 80%');
    expect(legend).toHaveTextContent('Format matched request · latest 90%');
    expect(b.of('progress')[0].args).toEqual({ agent: 'social-drafts', tags: {} });
  });

  it('names each outcome in the engine’s words', async () => {
    mockBackend({ progress: () => progressReport({ labels: ['First pass done', 'Right format'] }) });
    render(ProgressTab, { agent: 'a' });

    const legend = await screen.findByRole('list', { name: 'Outcomes' });
    expect(legend).toHaveTextContent('First pass done · latest 80%');
    expect(legend).toHaveTextContent('Right format · latest 90%');
    expect(legend).not.toHaveTextContent('Task completed first pass');
  });

  it('shows sessions per week against the 20-a-week guidance', async () => {
    mockBackend({ progress: () => progressReport() });
    render(ProgressTab, { agent: 'a' });

    const volume = await screen.findByTestId('progress-sessions');
    expect(volume).toHaveTextContent('Dreams learn best from about 20 sessions a week.');
    const weeks = within(volume).getAllByTestId('progress-week');
    expect(weeks.map((w) => w.dataset.sessions)).toEqual(['24', '12', '22']);
    expect(weeks[1].querySelector('.bar')).toHaveClass('low');
    expect(weeks[0].querySelector('.bar')).not.toHaveClass('low');
  });

  it('says what to do when memory is empty: nothing to measure yet', async () => {
    mockBackend({ progress: () => progressReport({ entries: [] }) });
    render(ProgressTab, { agent: 'a' });
    const none = await screen.findByTestId('progress-no-entries');
    expect(none).toHaveTextContent('Memory is empty, so there is nothing to measure yet.');
    expect(within(none).getByRole('link', { name: 'Go to Dreams' })).toHaveAttribute('href', '#/agents/a/dreams');
  });

  it('says how to get sessions when none is graded yet', async () => {
    mockBackend({
      progress: () =>
        progressReport({
          weeks: [{ week_start: '2026-11-02T00:00:00Z', sessions: 5, outcomes: {}, drafts: 0, accepted_as_drafted: 0, minutes_to_accept: null, correction_rounds: null }],
          dreams: [],
        }),
    });
    render(ProgressTab, { agent: 'a' });

    const empty = await screen.findByTestId('progress-empty');
    expect(empty).toHaveTextContent('graded against what good looks like as it arrives');
    expect(within(empty).getByRole('button', { name: 'Import sessions…' })).toBeInTheDocument();
    expect(screen.queryByTestId('progress-chart')).not.toBeInTheDocument();
    expect(screen.getByTestId('progress-sessions')).toBeInTheDocument();
  });

  it('shows loading, then an error with its code', async () => {
    mockBackend({ progress: () => fail('database', 'database is locked') });
    render(ProgressTab, { agent: 'a' });
    expect(screen.getByTestId('loading')).toHaveTextContent('Loading progress…');
    const alert = await screen.findByTestId('error');
    expect(alert).toHaveTextContent("Couldn't load the progress");
    expect(alert).toHaveTextContent('Code: database');
  });
});

describe('chart geometry', () => {
  it('puts 0% at the bottom, 100% at the top, and weeks from left to right', () => {
    expect(yAt(1)).toBeLessThan(yAt(0));
    expect(xAt(0, 3)).toBeLessThan(xAt(2, 3));
    expect(linePath([0.5, null, 1])).toBe(`M${xAt(0, 3).toFixed(1)},${yAt(0.5).toFixed(1)} M${xAt(2, 3).toFixed(1)},${yAt(1).toFixed(1)}`);
  });

  it('places a dream between the weeks around it', () => {
    const r = progressReport();
    expect(weekIndexOf('2026-11-05T12:00:00Z', r)).toBeCloseTo(0.5, 5);
    expect(weekIndexOf('2027-01-01T00:00:00Z', r)).toBe(2);
  });
  it('leads with the headline, lists each entry by its effect, and narrows to one client', async () => {
    const b = mockBackend({ progress: () => progressReport() });
    render(ProgressTab, { agent: 'social-drafts' });
    expect(await screen.findByTestId('progress-headline')).toHaveTextContent('Accepted as drafted: 50% → 70% since Nov 10');
    expect(screen.getByTestId('progress-headline')).toHaveTextContent('Time to an accepted answer: 18 min → 9 min');
    const entries = screen.getAllByTestId('progress-entry');
    expect(entries.map((e) => e.dataset.verdict)).toEqual(['helps', 'no_change']);
    expect(entries[0]).toHaveTextContent('6 of 10 before, 1 of 14 since Nov 10');
    expect(entries[1]).toHaveTextContent('No change: review it');
    expect(entries[1]).toHaveTextContent('keep, reword or remove?');
    // The weeks as a table, for screen readers and exact numbers.
    const table = within(screen.getByTestId('progress-table')).getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(table).toHaveTextContent('80% (8 of 10)');

    const { default: userEvent } = await import('@testing-library/user-event');
    await userEvent.selectOptions(screen.getByTestId('progress-client'), 'Harbour Tea');
    await new Promise((r) => setTimeout(r, 0));
    expect(b.of('progress').at(-1)!.args).toEqual({ agent: 'social-drafts', tags: { client: 'Harbour Tea' } });
  });
});

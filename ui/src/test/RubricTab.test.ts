import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import RubricTab from '../lib/components/RubricTab.svelte';
import type { Rubric, RubricIssue } from '../lib/api';
import { fail, mockBackend } from './backend';
import { defaultRubric, engineDefaultRubric, rubricView } from './fixtures';

const WORDS: Record<string, string> = {
  '0 2 * * *': 'Every night at 2:00',
  '30 7 * * 1-5': 'Weekdays at 7:30',
  '15 6 * * 0': 'Every Sunday at 6:15',
  '0 * * * *': 'Every hour',
  '*/15 9-17 * * *': 'Every 15 minutes from 9:00 to 17:59',
};

const RUNS = ['2026-11-25T02:00:00Z', '2026-11-26T02:00:00Z', '2026-11-27T02:00:00Z'];
const RUN_WORDS = ['tonight at 2:00', 'tomorrow at 2:00', 'Friday at 2:00'];

/** A tiny engine: names must be snake_case words, descriptions non-empty, 1–90 day windows. */
function engineCheck(rubric: Rubric) {
  const issues: RubricIssue[] = [];
  if (rubric.outcomes.length === 0) issues.push({ line: null, column: null, field: 'outcomes', message: 'add at least one outcome' });
  rubric.outcomes.forEach((o, i) => {
    if (!/^[a-z][a-z0-9_]*$/.test(o.name)) {
      issues.push({ line: null, column: null, field: `outcomes[${i}].name`, message: 'give the outcome a name of lowercase words joined by _' });
    }
    if (!o.description.trim()) {
      issues.push({ line: null, column: null, field: `outcomes[${i}].description`, message: 'describe what a good session does for this outcome' });
    }
  });
  const days = rubric.dreaming.review_window_days;
  if (days < 1 || days > 90) {
    issues.push({ line: null, column: null, field: 'dreaming.review_window_days', message: `${days} days is outside 1 to 90` });
  }
  const yaml = issues.length ? null : `outcomes:\n${rubric.outcomes.map((o) => `  - name: ${o.name}\n`).join('')}dreaming:\n  schedule: "${rubric.dreaming.schedule}"\n`;
  return { rubric, issues, yaml };
}

/** The engine's `outcome_name`: words to snake_case, numbered when taken. */
function outcomeName(args: Record<string, unknown>) {
  const base = String(args.words).trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const taken = args.taken as string[];
  let name = base;
  for (let n = 2; taken.includes(name); n++) name = `${base}_${n}`;
  return name;
}

function backend(rubric: Rubric = defaultRubric, extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  return mockBackend({
    outcome_name: outcomeName,
    get_rubric: () => rubricView(rubric),
    check_rubric: (args) => engineCheck(args.rubric as Rubric),
    describe_schedule: (args) => {
      const expr = String(args.expr);
      return WORDS[expr]
        ? { expr, words: WORDS[expr], next_runs: RUNS, next_runs_words: RUN_WORDS, error: null }
        : { expr, words: '', next_runs: [], next_runs_words: [], error: `"${expr}" has 2 fields; a schedule needs 5` };
    },
    save_rubric: (args) => rubricView(args.rubric as Rubric, 'saved'),
    default_rubric: () => engineDefaultRubric,
    ...extra,
  });
}

const lastDescribed = (b: ReturnType<typeof backend>) => b.of('describe_schedule').at(-1)?.args.expr;

describe('rubric editor', () => {
  it('shows the outcomes as cards and the schedule in the engine’s words with the next runs', async () => {
    const b = backend();
    render(RubricTab, { agent: 'social-drafts' });

    const cards = await screen.findAllByTestId('outcome-card');
    expect(cards).toHaveLength(2);
    // Names are shown in the engine's words, never as YAML names.
    expect(within(cards[0]).getByTestId('outcome-name')).toHaveValue('Task completed first pass');
    expect(within(cards[1]).getByTestId('outcome-signal')).toHaveValue('high');
    expect(screen.getByTestId('schedule-preset')).toHaveValue('nightly');
    expect(screen.getByTestId('schedule-time')).toHaveValue('02:00');
    expect(await screen.findByTestId('schedule-words')).toHaveTextContent('Every night at 2:00');
    expect(screen.getByTestId('schedule-next').querySelectorAll('time')).toHaveLength(3);
    expect(screen.getByTestId('schedule-next')).toHaveTextContent(
      'Next: tonight at 2:00 · tomorrow at 2:00 · Friday at 2:00',
    );
    expect(screen.getByTestId('schedule-next').querySelector('time')).toHaveAttribute('datetime', RUNS[0]);
    expect(screen.getByTestId('window-days')).toHaveValue(7);
    expect(screen.getByTestId('auto-apply')).not.toBeChecked();
    expect(screen.getByText(/anything with links, contact details, keys or instructions still wait for you/)).toBeInTheDocument();
    expect(screen.getByTestId('rubric-save')).toBeDisabled();
    expect(b.of('get_rubric')[0].args).toEqual({ agent: 'social-drafts' });
  });

  it('builds the crontab from a preset and saves it', async () => {
    const b = backend();
    render(RubricTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.selectOptions(screen.getByTestId('schedule-preset'), 'weekdays');
    await fireEvent.input(screen.getByTestId('schedule-time'), { target: { value: '07:30' } });
    await waitFor(() => expect(lastDescribed(b)).toBe('30 7 * * 1-5'));
    expect(await screen.findByText('Weekdays at 7:30')).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByTestId('schedule-preset'), 'weekly');
    await userEvent.selectOptions(screen.getByTestId('schedule-weekday'), 'Sunday');
    await fireEvent.input(screen.getByTestId('schedule-time'), { target: { value: '06:15' } });
    await waitFor(() => expect(lastDescribed(b)).toBe('15 6 * * 0'));

    await userEvent.selectOptions(screen.getByTestId('schedule-preset'), 'hourly');
    expect(screen.queryByTestId('schedule-time')).not.toBeInTheDocument();
    await waitFor(() => expect(lastDescribed(b)).toBe('0 * * * *'));

    const save = screen.getByTestId('rubric-save');
    await waitFor(() => expect(save).toBeEnabled());
    await userEvent.click(save);
    await waitFor(() => expect(b.of('save_rubric')).toHaveLength(1));
    const sent = b.of('save_rubric')[0].args.rubric as Rubric;
    expect(sent.dreaming.schedule).toBe('0 * * * *');
    expect(sent.outcomes).toEqual(defaultRubric.outcomes);
    expect(await screen.findByText(/Saved\./)).toBeInTheDocument();
    expect(save).toBeDisabled();
  });

  it('shows a loaded schedule as its preset, or as custom crontab text', async () => {
    backend({ ...defaultRubric, dreaming: { ...defaultRubric.dreaming, schedule: '30 7 * * 1-5' } });
    const { unmount } = render(RubricTab, { agent: 'a' });
    expect(await screen.findByTestId('schedule-preset')).toHaveValue('weekdays');
    expect(screen.getByTestId('schedule-time')).toHaveValue('07:30');
    unmount();

    backend({ ...defaultRubric, dreaming: { ...defaultRubric.dreaming, schedule: '*/15 9-17 * * *' } });
    render(RubricTab, { agent: 'a' });
    expect(await screen.findByTestId('schedule-preset')).toHaveValue('custom');
    expect(screen.getByTestId('schedule-custom')).toHaveValue('*/15 9-17 * * *');
    expect(await screen.findByTestId('schedule-words')).toHaveTextContent('Every 15 minutes');
  });

  it('says in plain words why a custom schedule is wrong, and keeps Save off', async () => {
    backend();
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.selectOptions(screen.getByTestId('schedule-preset'), 'custom');
    const custom = screen.getByTestId('schedule-custom');
    expect(custom).toHaveValue('0 2 * * *');
    await userEvent.clear(custom);
    await userEvent.type(custom, 'every night');
    const error = await screen.findByTestId('schedule-error');
    expect(error).toHaveTextContent('"every night" has 2 fields; a schedule needs 5');
    expect(screen.queryByTestId('schedule-words')).not.toBeInTheDocument();
  });

  it('marks each problem next to its field', async () => {
    backend();
    render(RubricTab, { agent: 'a' });
    const cards = await screen.findAllByTestId('outcome-card');

    await userEvent.clear(within(cards[1]).getByTestId('outcome-name'));
    await userEvent.clear(screen.getByTestId('window-days'));
    await userEvent.type(screen.getByTestId('window-days'), '120');

    const nameIssue = await within(cards[1]).findByTestId('rubric-issue');
    expect(nameIssue).toHaveTextContent('lowercase words joined by _');
    expect(within(cards[0]).queryByTestId('rubric-issue')).not.toBeInTheDocument();
    const windowIssue = await screen.findByText('120 days is outside 1 to 90');
    expect(windowIssue).toHaveAttribute('data-field', 'dreaming.review_window_days');
    expect(screen.getByTestId('rubric-save')).toBeDisabled();
    expect(screen.getByTestId('rubric-note')).toHaveTextContent('Fix the problems marked above to save.');
  });

  it('adds, reorders and removes outcomes with the keyboard, and discards', async () => {
    const b = backend();
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.click(screen.getByTestId('add-outcome'));
    let cards = screen.getAllByTestId('outcome-card');
    expect(cards).toHaveLength(3);
    const name = within(cards[2]).getByTestId('outcome-name');
    await waitFor(() => expect(name).toHaveFocus());
    await userEvent.type(name, 'On brand');
    await userEvent.type(within(cards[2]).getByTestId('outcome-description'), 'Sounds like the brand');
    await userEvent.selectOptions(within(cards[2]).getByTestId('outcome-signal'), 'low');

    // Move the new card to the top with the keyboard.
    const up = within(cards[2]).getByRole('button', { name: 'Move On brand up' });
    up.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.getAllByTestId('outcome-name')[1]).toHaveValue('On brand'));
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.getAllByTestId('outcome-name')[0]).toHaveValue('On brand'));
    // At the top "up" is off, so focus moves to its twin.
    await waitFor(() => expect(screen.getByRole('button', { name: 'Move On brand down' })).toHaveFocus());

    await userEvent.click(screen.getByRole('button', { name: 'Remove Format matched request' }));
    cards = screen.getAllByTestId('outcome-card');
    expect(cards.map((c) => within(c).getByTestId('outcome-name'))).toHaveLength(2);

    const save = screen.getByTestId('rubric-save');
    await waitFor(() => expect(save).toBeEnabled());
    await userEvent.click(save);
    await waitFor(() => expect(b.of('save_rubric')).toHaveLength(1));
    const sent = b.of('save_rubric')[0].args.rubric as Rubric;
    expect(sent.outcomes.map((o) => [o.name, o.signal])).toEqual([
      ['on_brand', 'low'],
      ['task_completed_first_pass', 'high'],
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Remove On brand' }));
    expect(screen.getAllByTestId('outcome-card')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(screen.getAllByTestId('outcome-card')).toHaveLength(2);
  });

  it('makes each name from the words people type, through the engine, and shows it only as YAML', async () => {
    const b = backend();
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.click(screen.getByTestId('add-outcome'));
    const name = within(screen.getAllByTestId('outcome-card')[2]).getByTestId('outcome-name');
    await userEvent.type(name, 'Sounds like the client');
    await userEvent.type(
      within(screen.getAllByTestId('outcome-card')[2]).getByTestId('outcome-description'),
      'Reads like the client wrote it',
    );
    await waitFor(() =>
      expect(b.of('outcome_name').at(-1)?.args).toEqual({
        words: 'Sounds like the client',
        taken: ['task_completed_first_pass', 'format_matched_request'],
      }),
    );
    // The card keeps the words; the YAML name appears in the YAML view only.
    expect(screen.queryByText('sounds_like_the_client')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('show-yaml'));
    await waitFor(() => expect(screen.getByTestId('rubric-yaml')).toHaveTextContent('- name: sounds_like_the_client'));

    const save = screen.getByTestId('rubric-save');
    await waitFor(() => expect(save).toBeEnabled());
    await userEvent.click(save);
    await waitFor(() => expect(b.of('save_rubric')).toHaveLength(1));
    const sent = b.of('save_rubric')[0].args.rubric as Rubric;
    expect(sent.outcomes[2]).toEqual({
      name: 'sounds_like_the_client',
      description: 'Reads like the client wrote it',
      signal: 'medium',
    });
  });

  it('renames an outcome whose words change, says its history starts afresh, and takes it back', async () => {
    const b = backend();
    render(RubricTab, { agent: 'a' });
    const [first] = await screen.findAllByTestId('outcome-card');
    const name = within(first).getByTestId('outcome-name');
    expect(within(first).queryByTestId('outcome-renamed')).not.toBeInTheDocument();

    await userEvent.clear(name);
    await userEvent.type(name, 'Done first time');
    expect(await within(first).findByTestId('outcome-renamed')).toHaveTextContent(
      'its history starts afresh under the new name',
    );
    expect(name).toHaveAccessibleDescription(/history starts afresh/);
    expect(b.of('outcome_name').at(-1)?.args.taken).toEqual(['format_matched_request']);
    await waitFor(() => expect(screen.getByTestId('rubric-save')).toBeEnabled());

    // Back to its own words: back to its own name, with nothing to save.
    await userEvent.clear(name);
    await userEvent.type(name, 'Task completed first pass');
    await waitFor(() => expect(within(first).queryByTestId('outcome-renamed')).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByTestId('rubric-save')).toBeDisabled());
  });

  it('numbers a name the engine finds taken', async () => {
    backend();
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');
    await userEvent.click(screen.getByTestId('add-outcome'));
    const card = screen.getAllByTestId('outcome-card')[2];
    await userEvent.type(within(card).getByTestId('outcome-name'), 'Format matched request');
    await userEvent.type(within(card).getByTestId('outcome-description'), 'Again');
    await userEvent.click(screen.getByTestId('show-yaml'));
    await waitFor(() => expect(screen.getByTestId('rubric-yaml')).toHaveTextContent('- name: format_matched_request_2'));
  });

  it('starts from the default four after asking', async () => {
    const b = backend();
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.click(screen.getByRole('button', { name: 'Start from the default four' }));
    await userEvent.click(screen.getByTestId('confirm-yes'));
    await waitFor(() => expect(screen.getAllByTestId('outcome-card')).toHaveLength(4));
    const names = screen.getAllByTestId('outcome-name').map((n) => (n as HTMLInputElement).value);
    expect(names).toEqual([
      'Task completed first pass',
      'Format matched request',
      'User accepted output',
      'Avoided known mistake',
    ]);
    expect(b.of('default_rubric')).toHaveLength(1);
  });

  it('shows the YAML it would save', async () => {
    backend();
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.click(screen.getByTestId('show-yaml'));
    const yaml = await screen.findByTestId('rubric-yaml');
    expect(yaml.textContent).toBe(
      'outcomes:\n  - name: task_completed_first_pass\n  - name: format_matched_request\ndreaming:\n  schedule: "0 2 * * *"\n',
    );
    expect(screen.getByTestId('show-yaml')).toHaveTextContent('Hide YAML');
  });

  it('imports YAML into the editor, or lists its problems by line and column', async () => {
    let answer: unknown = {
      rubric: null,
      yaml: null,
      issues: [{ line: 4, column: 13, field: 'outcomes[0].signal', message: '"urgent" is not high, medium or low' }],
    };
    const b = backend(defaultRubric, {
      pick_file: () => '/home/mei/rubric.yaml',
      import_rubric_file: () => answer,
    });
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.click(screen.getByRole('button', { name: 'Import YAML…' }));
    const problems = await screen.findByTestId('import-issues');
    expect(problems).toHaveTextContent('Line 4, column 13: "urgent" is not high, medium or low');
    expect(screen.getAllByTestId('outcome-card')).toHaveLength(2);
    expect(b.of('import_rubric_file')[0].args).toEqual({ path: '/home/mei/rubric.yaml' });
    expect(b.of('pick_file')[0].args).toEqual({
      purpose: 'import_rubric',
      filter: { name: 'YAML', extensions: ['yaml', 'yml'] },
      suggestedName: null,
    });

    answer = {
      rubric: { ...defaultRubric, outcomes: [{ name: 'only_one', description: 'One', signal: 'low' }] },
      yaml: 'x',
      issues: [],
    };
    await userEvent.click(screen.getByRole('button', { name: 'Import YAML…' }));
    await waitFor(() => expect(screen.getAllByTestId('outcome-card')).toHaveLength(1));
    expect(screen.getByTestId('outcome-name')).toHaveValue('Only one');
    expect(screen.queryByTestId('import-issues')).not.toBeInTheDocument();
    expect(b.of('save_rubric')).toHaveLength(0);
  });

  it('exports the stored YAML to the chosen file', async () => {
    const b = backend(defaultRubric, {
      pick_file: () => '/home/mei/social.yaml',
      export_rubric: () => null,
    });
    render(RubricTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.click(screen.getByRole('button', { name: 'Export YAML…' }));
    await waitFor(() => expect(b.of('export_rubric')).toHaveLength(1));
    expect(b.of('export_rubric')[0].args).toEqual({ agent: 'social-drafts', path: '/home/mei/social.yaml' });
    expect(b.of('pick_file')[0].args).toEqual({
      purpose: 'export_rubric',
      filter: { name: 'YAML', extensions: ['yaml', 'yml'] },
      suggestedName: 'social-drafts-rubric.yaml',
    });
    expect(await screen.findByText(/Exported the saved rubric to \/home\/mei\/social.yaml/)).toBeInTheDocument();
  });

  it('imports nothing when the person cancels the file dialog', async () => {
    const b = backend(defaultRubric, { pick_file: () => null, import_rubric_file: () => fail('internal', 'unexpected') });
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.click(screen.getByRole('button', { name: 'Import YAML…' }));
    await waitFor(() => expect(b.of('pick_file')).toHaveLength(1));
    expect(b.of('import_rubric_file')).toHaveLength(0);
    expect(screen.queryByTestId('action-error')).not.toBeInTheDocument();
  });

  it('asks before applying changes automatically: Cancel keeps it off, Turn on switches it on', async () => {
    const b = backend();
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');
    const toggle = screen.getByTestId('auto-apply');

    await userEvent.click(toggle);
    let dialog = screen.getByRole('alertdialog', { name: 'Apply changes automatically?' });
    expect(dialog).toHaveTextContent(
      'Reverie will add new memory entries by itself when sessions on at least 3 different days support them ' +
        'and nothing in them is flagged (links, contact details, keys, instructions). Removals, changes and ' +
        'combinations always wait for you, and every automatic change can be undone.',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(toggle).not.toBeChecked();
    expect(screen.getByTestId('rubric-save')).toBeDisabled();

    // Escape is a no as well.
    await userEvent.click(toggle);
    screen.getByRole('alertdialog', { name: 'Apply changes automatically?' });
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(toggle).not.toBeChecked();

    await userEvent.click(toggle);
    dialog = screen.getByRole('alertdialog', { name: 'Apply changes automatically?' });
    await userEvent.click(within(dialog).getByTestId('confirm-yes'));
    expect(toggle).toBeChecked();
    const save = screen.getByTestId('rubric-save');
    await waitFor(() => expect(save).toBeEnabled());
    await userEvent.click(save);
    await waitFor(() => expect(b.of('save_rubric')).toHaveLength(1));
    expect((b.of('save_rubric')[0].args.rubric as Rubric).dreaming.auto_apply).toBe(true);

    // Turning it off asks nothing.
    await userEvent.click(toggle);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(toggle).not.toBeChecked();
  });

  it('says the rubric’s own bar for applying automatically, and keeps it when saving', async () => {
    const raised: Rubric = {
      ...defaultRubric,
      dreaming: { ...defaultRubric.dreaming, auto_apply_min_sessions: 10, auto_apply_min_days: 5 },
    };
    const b = backend(raised);
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.click(screen.getByTestId('auto-apply'));
    const dialog = screen.getByRole('alertdialog', { name: 'Apply changes automatically?' });
    expect(dialog).toHaveTextContent(
      'when at least 10 sessions on at least 5 different days support them and nothing in them is flagged',
    );
    await userEvent.click(within(dialog).getByTestId('confirm-yes'));

    const save = screen.getByTestId('rubric-save');
    await waitFor(() => expect(save).toBeEnabled());
    await userEvent.click(save);
    await waitFor(() => expect(b.of('save_rubric')).toHaveLength(1));
    expect((b.of('save_rubric')[0].args.rubric as Rubric).dreaming).toEqual({
      schedule: '0 2 * * *',
      review_window_days: 7,
      auto_apply: true,
      auto_apply_min_sessions: 10,
      auto_apply_min_days: 5,
    });
    // What came back is what was sent: nothing left unsaved.
    await waitFor(() => expect(save).toBeDisabled());
  });

  it('says why a save failed, with the code', async () => {
    backend(defaultRubric, { save_rubric: () => fail('database', 'database is locked') });
    render(RubricTab, { agent: 'a' });
    await screen.findAllByTestId('outcome-card');

    await userEvent.type(screen.getByTestId('window-days'), '4');
    const save = screen.getByTestId('rubric-save');
    await waitFor(() => expect(save).toBeEnabled());
    await userEvent.click(save);
    const alert = await screen.findByTestId('action-error');
    expect(alert).toHaveTextContent("Couldn't save the rubric.");
    expect(alert).toHaveTextContent('Code: database');
  });

  it('shows a loading state, then an error it can retry', async () => {
    let attempts = 0;
    backend(defaultRubric, {
      get_rubric: () => (++attempts === 1 ? fail('not_found', 'no agent named a') : rubricView(defaultRubric, '')),
    });
    render(RubricTab, { agent: 'a' });
    expect(screen.getByTestId('loading')).toHaveTextContent('Loading the rubric…');
    const alert = await screen.findByTestId('error');
    expect(alert).toHaveTextContent("Couldn't load the rubric");
    expect(alert).toHaveTextContent('Code: not_found');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('outcome-card')).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { wordDiff } from '../lib/worddiff';
import { hrefFor, parseHash } from '../lib/route.svelte';
import { ApiError, api, type ScheduleOutcome } from '../lib/api';
import { provenance, scheduleOutcome } from '../lib/format';
import { fromCron, toCron, type SchedulePick } from '../lib/schedule';
import { fail, mockBackend } from './backend';
import { memoryEntry, socialDrafts } from './fixtures';

describe('word diff', () => {
  const render = (before: string, after: string) =>
    wordDiff(before, after)
      .map((p) => (p.kind === 'same' ? p.text : p.kind === 'added' ? `{+${p.text}}` : `[-${p.text}]`))
      .join('');

  it('marks removed and added words and keeps the rest', () => {
    expect(render('Meet our autumn blend! Warm.', 'Meet our autumn blend. Warm.')).toBe(
      'Meet our autumn [-blend!]{+blend.} Warm.',
    );
    expect(render('a b c d', 'a c d e')).toBe('a [-b ]c d{+ e}');
  });

  it('rebuilds both texts from its parts', () => {
    const before = 'Hello there,\nour new tea is here! #tea';
    const after = 'Hi there,\nour new tea is in. #tea #autumn';
    const parts = wordDiff(before, after);
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe(before);
    expect(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe(after);
  });

  it('reads a multi-word replacement as one removal and one addition', () => {
    // Without grouping, the shared spaces shred this into alternating one-word pieces.
    const parts = wordDiff('Books: add a couple of emoji to posts.', 'Books: never use any emoji in posts.');
    expect(parts).toEqual([
      { kind: 'same', text: 'Books: ' },
      { kind: 'removed', text: 'add a couple of' },
      { kind: 'added', text: 'never use any' },
      { kind: 'same', text: ' emoji ' },
      { kind: 'removed', text: 'to' },
      { kind: 'added', text: 'in' },
      { kind: 'same', text: ' posts.' },
    ]);
  });

  it('says nothing changed for equal texts', () => {
    expect(wordDiff('same words', 'same words')).toEqual([{ kind: 'same', text: 'same words' }]);
  });
});

describe('routes', () => {
  it('round-trips an agent, tab and session through the hash', () => {
    const href = hrefFor({ agent: 'social-drafts', tab: 'sessions', session: 's/1 x' });
    expect(href).toBe('#/agents/social-drafts/sessions/s%2F1%20x');
    expect(parseHash(href)).toEqual({
      agent: 'social-drafts',
      tab: 'sessions',
      session: 's/1 x',
      dream: null,
      settings: false,
    });
  });

  it('round-trips a conversation in the Work view, and a new one', () => {
    const href = hrefFor({ agent: 'a', tab: 'work', session: 'chat-20261102-090000-00af' });
    expect(href).toBe('#/agents/a/work/chat-20261102-090000-00af');
    expect(parseHash(href)).toEqual({
      agent: 'a',
      tab: 'work',
      session: 'chat-20261102-090000-00af',
      dream: null,
      settings: false,
    });
    expect(hrefFor({ agent: 'a', tab: 'work' })).toBe('#/agents/a/work');
    expect(parseHash('#/agents/a/work')).toEqual({ agent: 'a', tab: 'work', session: null, dream: null, settings: false });
  });

  it('round-trips a dream under review', () => {
    const href = hrefFor({ agent: 'a', tab: 'dreams', dream: 12 });
    expect(href).toBe('#/agents/a/dreams/12');
    expect(parseHash(href)).toEqual({ agent: 'a', tab: 'dreams', session: null, dream: 12, settings: false });
    expect(parseHash('#/agents/a/dreams/x')).toEqual({ agent: 'a', tab: 'dreams', session: null, dream: null, settings: false });
  });

  it('falls back to sessions for an unknown tab and home for anything else', () => {
    expect(parseHash('#/agents/a/settings')).toEqual({ agent: 'a', tab: 'sessions', session: null, dream: null, settings: false });
    expect(parseHash('#/agents/a/memory/s-1')).toEqual({ agent: 'a', tab: 'memory', session: null, dream: null, settings: false });
    expect(parseHash('')).toEqual({ agent: null, tab: 'sessions', session: null, dream: null, settings: false });
  });

  it('round-trips the settings screen, and an agent wins over it', () => {
    expect(hrefFor({ settings: true })).toBe('#/settings');
    expect(parseHash('#/settings')).toEqual({ agent: null, tab: 'sessions', session: null, dream: null, settings: true });
    expect(hrefFor({ agent: 'a', settings: true })).toBe('#/agents/a/sessions');
    expect(hrefFor({ agent: null })).toBe('#/');
  });
});

describe('api errors', () => {
  it('keeps the code of a backend error and wraps anything else as internal', () => {
    const coded = ApiError.from({ code: 'not_found', message: 'no agent named x' });
    expect([coded.code, coded.message, coded.field]).toEqual(['not_found', 'no agent named x', null]);
    const field = ApiError.from({ code: 'invalid_input', message: 'bad slug', field: 'slug' });
    expect([field.code, field.field]).toEqual(['invalid_input', 'slug']);
    const plain = ApiError.from('command list_agents not found');
    expect([plain.code, plain.message]).toEqual(['internal', 'command list_agents not found']);
  });
});

describe('api', () => {
  it('answers a command with its data, sending the arguments by name', async () => {
    const b = mockBackend({
      get_agent: () => socialDrafts,
      start_dream: () => ({ id: 9 }),
      delete_memory: () => null,
    });
    expect(await api.getAgent('social-drafts')).toEqual(socialDrafts);
    expect(await api.startDream('social-drafts', null)).toEqual({ id: 9 });
    expect(await api.deleteMemory('social-drafts', 3)).toBeNull();
    expect(b.calls).toEqual([
      { cmd: 'get_agent', args: { slug: 'social-drafts' } },
      { cmd: 'start_dream', args: { agent: 'social-drafts', windowDays: null } },
      { cmd: 'delete_memory', args: { agent: 'social-drafts', id: 3 } },
    ]);
  });

  it('throws the engine error as an ApiError with its code, message and field', async () => {
    mockBackend({ create_agent: () => fail('invalid_input', 'use lowercase letters', 'slug') });
    const error = await api.createAgent('Bad Slug', null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'invalid_input', message: 'use lowercase letters', field: 'slug' });
  });

  it('answers an infallible command as it is, and still throws an ApiError when it fails', async () => {
    const info = { expr: '0 2 * * *', words: 'Every night at 2:00', next_runs: [], next_runs_words: [], error: null };
    mockBackend({
      describe_schedule: () => info,
      check_rubric: () => fail('internal', 'the engine is gone'),
    });
    expect(await api.describeSchedule('0 2 * * *')).toEqual(info);
    await expect(api.checkRubric({ outcomes: [], dreaming: { schedule: '', review_window_days: 7, auto_apply: false } }))
      .rejects.toMatchObject({ name: 'ApiError', code: 'internal', message: 'the engine is gone' });
  });

  it('turns a failure of Tauri itself into an internal ApiError', async () => {
    mockBackend({
      list_agents: () => {
        throw 'command list_agents not found';
      },
      app_info: () => {
        throw new Error('IPC is down');
      },
    });
    await expect(api.listAgents()).rejects.toMatchObject({ name: 'ApiError', code: 'internal', message: 'command list_agents not found' });
    await expect(api.appInfo()).rejects.toMatchObject({ name: 'ApiError', code: 'internal', message: 'IPC is down' });
  });
});

describe('plain words', () => {
  it('names provenance as a person would', () => {
    expect(provenance(memoryEntry({ source: 'dream', dream_id: 4, support: 1 }))).toBe(
      'From dream #4 · 1 session',
    );
    expect(provenance(memoryEntry({ source: 'person', dream_id: null }))).toBe('Typed by a person');
    expect(provenance(memoryEntry({ source: 'person', dream_id: 7 }))).toBe(
      'Typed by a person · changed by dream #7',
    );
  });
});

describe('schedule presets', () => {
  const pick = (over: Partial<SchedulePick>): SchedulePick => ({
    preset: 'nightly',
    time: '02:00',
    weekday: 1,
    custom: '',
    ...over,
  });

  it('builds a crontab from each preset', () => {
    expect(toCron(pick({ preset: 'nightly', time: '02:00' }))).toBe('0 2 * * *');
    expect(toCron(pick({ preset: 'weekdays', time: '07:30' }))).toBe('30 7 * * 1-5');
    expect(toCron(pick({ preset: 'weekly', time: '18:05', weekday: 0 }))).toBe('5 18 * * 0');
    expect(toCron(pick({ preset: 'hourly' }))).toBe('0 * * * *');
    expect(toCron(pick({ preset: 'custom', custom: '*/10 * * * *' }))).toBe('*/10 * * * *');
  });

  it('reads a crontab back as its preset, and anything else as custom', () => {
    expect(fromCron('30 7 * * 1-5')).toMatchObject({ preset: 'weekdays', time: '07:30' });
    expect(fromCron('0 23 * * 6')).toMatchObject({ preset: 'weekly', time: '23:00', weekday: 6 });
    expect(fromCron('0 * * * *')).toMatchObject({ preset: 'hourly' });
    expect(fromCron('0 2 1 * *')).toMatchObject({ preset: 'custom', custom: '0 2 1 * *' });
    // Same times written differently stay as written, so loading never changes a schedule.
    for (const expr of ['0 2 * * 7', '00 2 * * *', ' 0 2 * * *', 'every night', '']) {
      expect(fromCron(expr)).toMatchObject({ preset: 'custom', custom: expr });
      expect(toCron(fromCron(expr))).toBe(expr);
    }
  });
});

describe('last scheduled outcome in words', () => {
  const record = (outcome: ScheduleOutcome, reason: string | null = null, dream_id: number | null = null) => ({
    slot: '2026-11-24T02:00:00Z',
    outcome,
    reason,
    dream_id,
    at: '2026-11-24T02:00:01Z',
  });

  it('says what happened and why', () => {
    expect(scheduleOutcome(record('dreamed', null, 12))).toBe('dreamed (#12)');
    expect(scheduleOutcome(record('skipped', 'No new sessions since the last dream'))).toBe(
      'skipped — No new sessions since the last dream',
    );
    expect(scheduleOutcome(record('failed', 'the database is locked'))).toBe('failed — the database is locked');
    expect(scheduleOutcome(record('busy'))).toBe('skipped — another dream was already running');
    expect(scheduleOutcome(record('canceled'))).toBe('canceled');
  });
});

describe('focus trap', () => {
  it('wraps Tab and Shift+Tab inside a dialog and skips disabled controls', async () => {
    const { trapTab } = await import('../lib/focus');
    const box = document.createElement('div');
    box.innerHTML = '<button id="a">A</button><input id="b"><button id="c">C</button><button id="d" disabled>D</button>';
    document.body.append(box);
    const [a, , c] = ['a', 'b', 'c'].map((id) => box.querySelector<HTMLElement>(`#${id}`)!);
    c.focus();
    const tab = new KeyboardEvent('keydown', { key: 'Tab', cancelable: true });
    trapTab(tab, box);
    expect(document.activeElement).toBe(a);
    expect(tab.defaultPrevented).toBe(true);
    const back = new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, cancelable: true });
    trapTab(back, box);
    expect(document.activeElement).toBe(c);
    const other = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true });
    trapTab(other, box);
    expect(other.defaultPrevented).toBe(false);
    box.remove();
  });
});

describe('errors in a team lead’s words', () => {
  it('says the provider could not be reached, and keeps the library’s words for support', async () => {
    const { hintFor } = await import('../lib/format');
    const net = {
      code: 'provider_failed' as const,
      message:
        'could not reach Anthropic: error sending request: client error (Connect): dns error: failed to lookup address (gave up after 5 attempts)',
    };
    expect(hintFor(net)).toBe('Reverie could not reach Anthropic. Check your internet connection, or the server address in Settings.');
    expect(hintFor({ code: 'provider_failed', message: 'Anthropic is overloaded (HTTP 529 overloaded_error)' })).toBe(
      'The AI provider could not be reached or gave an unusable answer.',
    );
    const { render, screen } = await import('@testing-library/svelte');
    const { default: InlineError } = await import('../lib/components/InlineError.svelte');
    const { ApiError } = await import('../lib/api');
    render(InlineError, { what: "Couldn't test the connection.", error: new ApiError(net.code, net.message) });
    const alert = screen.getByTestId('action-error');
    expect(alert).toHaveTextContent('Reverie could not reach Anthropic.');
    const details = screen.getByTestId('action-error-details');
    expect(details.tagName).toBe('DETAILS');
    expect(details).not.toHaveAttribute('open');
    expect(details).toHaveTextContent('dns error');
  });
});

import { describe, expect, it } from 'vitest';
import { wordDiff } from '../lib/worddiff';
import { hrefFor, parseHash } from '../lib/route.svelte';
import { ApiError } from '../lib/api';
import { provenance, scopeLabel } from '../lib/format';
import { memoryEntry } from './fixtures';

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

  it('says nothing changed for equal texts', () => {
    expect(wordDiff('same words', 'same words')).toEqual([{ kind: 'same', text: 'same words' }]);
  });
});

describe('routes', () => {
  it('round-trips an agent, tab and session through the hash', () => {
    const href = hrefFor({ agent: 'social-drafts', tab: 'sessions', session: 's/1 x' });
    expect(href).toBe('#/agents/social-drafts/sessions/s%2F1%20x');
    expect(parseHash(href)).toEqual({ agent: 'social-drafts', tab: 'sessions', session: 's/1 x' });
  });

  it('falls back to sessions for an unknown tab and home for anything else', () => {
    expect(parseHash('#/agents/a/dreams')).toEqual({ agent: 'a', tab: 'sessions', session: null });
    expect(parseHash('#/agents/a/memory/s-1')).toEqual({ agent: 'a', tab: 'memory', session: null });
    expect(parseHash('')).toEqual({ agent: null, tab: 'sessions', session: null });
  });
});

describe('api errors', () => {
  it('keeps the code of a backend error and wraps anything else as internal', () => {
    const coded = ApiError.from({ code: 'not_found', message: 'no agent named x' });
    expect([coded.code, coded.message]).toEqual(['not_found', 'no agent named x']);
    const plain = ApiError.from('command list_agents not found');
    expect([plain.code, plain.message]).toEqual(['internal', 'command list_agents not found']);
  });
});

describe('plain words', () => {
  it('names scopes and provenance as a person would', () => {
    expect(scopeLabel({})).toBe('Team-wide');
    expect(scopeLabel({ client: 'Harbour Tea' })).toBe('client: Harbour Tea');
    expect(provenance(memoryEntry({ source: 'dream', dream_id: 4, support: 1 }))).toBe(
      'From dream #4 · 1 session',
    );
  });
});

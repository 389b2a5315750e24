// Realistic data for component tests, shaped by the generated bindings.
import type { Agent } from '../lib/bindings/Agent';
import type { MemoryEntry } from '../lib/bindings/MemoryEntry';
import type { Session } from '../lib/bindings/Session';
import type { SessionSummary } from '../lib/bindings/SessionSummary';

export const socialDrafts: Agent = {
  slug: 'social-drafts',
  name: 'Social drafts',
  model: 'claude-sonnet',
  system_prompt: 'You draft social posts.',
  memory_enabled: true,
  created_at: '2026-10-01T08:00:00Z',
  sessions: 22,
  memory_entries: 3,
  last_session_at: '2026-11-20T09:00:00Z',
};

export const supportTriage: Agent = {
  ...socialDrafts,
  slug: 'support-triage',
  name: 'Support triage',
  sessions: 1,
  memory_entries: 0,
};

export function summary(overrides: Partial<SessionSummary> = {}): SessionSummary {
  return {
    id: 's-0001',
    agent: 'social-drafts',
    started_at: '2026-11-02T09:00:00Z',
    ended_at: '2026-11-02T09:05:00Z',
    user: 'mei',
    tags: { client: 'Harbour Tea' },
    message_count: 3,
    preview: "Draft today's post for Harbour Tea.",
    accepted: 0,
    revised: 1,
    rejected: 0,
    ...overrides,
  };
}

export const harbourSession: Session = {
  ...summary(),
  message_count: 5,
  source: 'reverie',
  messages: [
    { role: 'system', content: 'You draft social posts for small brands.', tool_calls: [] },
    { role: 'user', content: "Draft today's post for Harbour Tea.", tool_calls: [] },
    {
      role: 'assistant',
      content: 'Meet our autumn blend! Warm and spicy.',
      tool_calls: [{ name: 'search_catalog', input: { query: 'autumn blend' } }],
    },
    { role: 'tool', content: '{"name": "Autumn blend", "price": 12}', tool_calls: [] },
    { role: 'user', content: 'No exclamation marks, please.', tool_calls: [] },
  ],
  feedback: [
    {
      message: 2,
      verdict: 'revised',
      final_text: 'Meet our autumn blend. Warm and spicy.',
      comment: 'no exclamation marks',
    },
  ],
  outcomes: { task_completed_first_pass: false },
  grades: [
    {
      outcome: 'task_completed_first_pass',
      value: 'not_met',
      source: 'feedback',
      reason: 'The draft was revised before use.',
    },
    {
      outcome: 'format_matched_request',
      value: 'met',
      source: 'heuristic',
      reason: 'No reformat was asked for.',
    },
  ],
};

export function memoryEntry(overrides: Partial<MemoryEntry> = {}): MemoryEntry {
  return {
    id: 1,
    content: 'Never use exclamation marks in posts.',
    scope: {},
    source: 'person',
    dream_id: null,
    session_ids: [],
    support: 0,
    created_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-01T10:00:00Z',
    ...overrides,
  };
}

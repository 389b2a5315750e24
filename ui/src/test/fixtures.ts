// Realistic data for component tests, shaped by the generated bindings.
import type { Agent } from '../lib/bindings/Agent';
import type { AgentSchedule } from '../lib/bindings/AgentSchedule';
import type { Dream } from '../lib/bindings/Dream';
import type { DreamReport } from '../lib/bindings/DreamReport';
import type { ProgressReport } from '../lib/bindings/ProgressReport';
import type { Proposal } from '../lib/bindings/Proposal';
import type { Rubric } from '../lib/bindings/Rubric';
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

export function dream(overrides: Partial<Dream> = {}): Dream {
  return {
    id: 4,
    agent: 'social-drafts',
    status: 'completed',
    trigger: 'manual',
    window_days: 7,
    window_start: '2026-11-13T02:00:00Z',
    window_end: '2026-11-20T02:00:00Z',
    sessions_read: 22,
    memory_version_start: 3,
    model: 'offline',
    input_tokens: 0,
    output_tokens: 0,
    cached_tokens: 0,
    cost_usd: 0,
    warning: null,
    error: null,
    notes: [],
    started_at: '2026-11-20T02:00:00Z',
    finished_at: '2026-11-20T02:03:00Z',
    proposals: 3,
    pending: 3,
    applied: 0,
    rejected: 0,
    undone: false,
    ...overrides,
  };
}

export function proposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: 41,
    dream_id: 4,
    op: 'add',
    content: 'Harbour Tea posts never use exclamation marks.',
    scope: { client: 'Harbour Tea' },
    targets: [],
    evidence: [
      { session_id: 's-0001', quote: 'No exclamation marks, please.' },
      { session_id: 's-0007', quote: 'Again, no exclamation marks.' },
    ],
    confidence: 0.82,
    rationale: 'People removed exclamation marks in 5 of 6 Harbour Tea drafts.',
    decision: 'pending',
    reason: null,
    flags: [],
    ...overrides,
  };
}

/** A dream that adds one entry, refines another and removes a third. */
export function dreamReport(overrides: Partial<DreamReport> = {}): DreamReport {
  return {
    dream: dream(),
    proposals: [
      proposal(),
      proposal({
        id: 42,
        op: 'refine',
        content: 'Northwind wants numbered lists with at most five items.',
        scope: { client: 'Northwind' },
        targets: [7],
        rationale: 'Lists longer than five were cut every time.',
        evidence: [{ session_id: 's-0002', quote: 'Five items max.' }],
      }),
      proposal({
        id: 43,
        op: 'remove',
        content: 'Sign every post with the brand name.',
        scope: {},
        targets: [8],
        flags: ['contains_link'],
        rationale: 'Nobody kept the signature in 4 weeks.',
        evidence: [],
      }),
    ],
    targets: [
      memoryEntry({ id: 7, content: 'Northwind wants numbered lists.', scope: { client: 'Northwind' } }),
      memoryEntry({ id: 8, content: 'Sign every post with the brand name, see https://x.test.' }),
    ],
    ...overrides,
  };
}

export const defaultRubric: Rubric = {
  outcomes: [
    {
      name: 'task_completed_first_pass',
      description: 'Agent completed the task without requiring user to re-explain or correct course',
      signal: 'high',
    },
    {
      name: 'format_matched_request',
      description: 'Output format matched what the user asked for (no reformat requests)',
      signal: 'high',
    },
  ],
  dreaming: { schedule: '0 2 * * *', review_window_days: 7, auto_apply: false },
};

export function progressReport(overrides: Partial<ProgressReport> = {}): ProgressReport {
  const week = (start: string, sessions: number, a: number | null, b: number | null) => ({
    week_start: start,
    sessions,
    outcomes: {
      task_completed_first_pass: { met: 0, not_met: 0, rate: a },
      format_matched_request: { met: 0, not_met: 0, rate: b },
    },
  });
  return {
    outcomes: ['task_completed_first_pass', 'format_matched_request'],
    weeks: [
      week('2026-11-02T00:00:00Z', 24, 0.5, 0.75),
      week('2026-11-09T00:00:00Z', 12, 0.6, null),
      week('2026-11-16T00:00:00Z', 22, 0.8, 0.9),
    ],
    dreams: [
      { dream_id: 3, at: '2026-11-10T02:00:00Z', applied: 3 },
      { dream_id: 5, at: '2026-11-17T02:00:00Z', applied: 0 },
    ],
    guidance_per_week: 20,
    ...overrides,
  };
}

/** One agent's entry in `schedule_overview`: nightly at 2:00, nothing handled yet. */
export function agentSchedule(overrides: Partial<AgentSchedule> = {}): AgentSchedule {
  return {
    agent: 'social-drafts',
    name: 'Social drafts',
    schedule: '0 2 * * *',
    words: 'Every night at 2:00',
    next_run: '2026-11-25T02:00:00Z',
    last: null,
    pending: 0,
    ...overrides,
  };
}

// Realistic data for component tests, shaped by the generated bindings.
import type {
  Agent,
  AgentSchedule,
  Dream,
  DreamReport,
  MemoryEntry,
  MemoryPrompt,
  ProgressReport,
  Proposal,
  ProviderDefaults,
  Rubric,
  Session,
  SessionSummary,
} from '../lib/api';

/** A scope in words, as the engine says it: "Team-wide", or "client: Harbour Tea" joined by " · ". */
export function scopeWords(scope: Record<string, string>): string {
  const pairs = Object.entries(scope).sort(([a], [b]) => a.localeCompare(b));
  return pairs.length ? pairs.map(([k, v]) => `${k}: ${v}`).join(' · ') : 'Team-wide';
}

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
  pending_review: 0,
  review_dream: null,
  mcp_write: false,
};

export const supportTriage: Agent = {
  ...socialDrafts,
  slug: 'support-triage',
  name: 'Support triage',
  sessions: 1,
  memory_entries: 0,
};

export function summary(overrides: Partial<SessionSummary> = {}): SessionSummary {
  const tags = overrides.tags ?? { client: 'Harbour Tea' };
  return {
    id: 's-0001',
    agent: 'social-drafts',
    started_at: '2026-11-02T09:00:00Z',
    ended_at: '2026-11-02T09:05:00Z',
    user: 'mei',
    tags,
    message_count: 3,
    preview: "Draft today's post for Harbour Tea.",
    accepted: 0,
    revised: 1,
    rejected: 0,
    ...overrides,
    tags_label: overrides.tags_label ?? scopeWords(tags),
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
  comment: null,
  file: '/home/mei/harbour.jsonl',
  judged_here: [],
  grades: [
    {
      outcome: 'task_completed_first_pass',
      label: 'Task completed first pass',
      value: 'not_met',
      source: 'feedback',
      reason: 'The draft was revised before use.',
    },
    {
      outcome: 'format_matched_request',
      label: 'Format matched request',
      value: 'met',
      source: 'heuristic',
      reason: 'No reformat was asked for.',
    },
  ],
};

export function memoryEntry(overrides: Partial<MemoryEntry> = {}): MemoryEntry {
  const scope = overrides.scope ?? {};
  return {
    id: 1,
    content: 'Never use exclamation marks in posts.',
    scope,
    source: 'person',
    dream_id: null,
    session_ids: [],
    support: 0,
    created_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-01T10:00:00Z',
    ...overrides,
    scope_label: overrides.scope_label ?? scopeWords(scope),
  };
}

/** `memory_prompt`'s answer for Harbour Tea work: two entries in the text, one left out. */
export function memoryPrompt(overrides: Partial<MemoryPrompt> = {}): MemoryPrompt {
  const used = [
    memoryEntry({ id: 1, content: 'Keep posts under 200 words.' }),
    memoryEntry({ id: 2, content: 'Harbour Tea posts never use exclamation marks.', scope: { client: 'Harbour Tea' } }),
  ];
  return {
    enabled: true,
    tags: { client: 'Harbour Tea' },
    text:
      'What you have learned from past work:\n\nTeam-wide:\n- Keep posts under 200 words.\n\n' +
      'For client: Harbour Tea:\n- Harbour Tea posts never use exclamation marks.\n',
    tokens: 41,
    budget: 1500,
    used,
    left_out: [memoryEntry({ id: 3, content: 'Mention the autumn range in October.' })],
    note: '2 entries from memory, about 41 tokens; 1 entry left out to stay within 1500 tokens.',
    ...overrides,
  };
}

export function dream(overrides: Partial<Dream> = {}): Dream {
  return {
    id: 4,
    number: overrides.id ?? 4,
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
  const scope = overrides.scope ?? { client: 'Harbour Tea' };
  return {
    id: 41,
    dream_id: 4,
    op: 'add',
    content: 'Harbour Tea posts never use exclamation marks.',
    scope,
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
    support: 6,
    support_days: 4,
    auto_note: null,
    auto_applied: false,
    impact: { prevented: 5, revised: 9, words: "Would have saved 5 of last week's 9 revisions" },
    ...overrides,
    scope_label: overrides.scope_label ?? scopeWords(scope),
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
        flags: [{ kind: 'link', detail: 'a web address (x.test)' }],
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
    drafts: 10,
    accepted_as_drafted: Math.round((a ?? 0) * 10),
    minutes_to_accept: 12,
    correction_rounds: 1.5,
  });
  return {
    outcomes: ['task_completed_first_pass', 'format_matched_request'],
    labels: ['Task completed first pass', 'Format matched request'],
    weeks: [
      week('2026-11-02T00:00:00Z', 24, 0.5, 0.75),
      week('2026-11-09T00:00:00Z', 12, 0.6, null),
      week('2026-11-16T00:00:00Z', 22, 0.8, 0.9),
    ],
    dreams: [
      { dream_id: 3, number: 3, at: '2026-11-10T02:00:00Z', applied: 3 },
      { dream_id: 5, number: 5, at: '2026-11-17T02:00:00Z', applied: 0 },
    ],
    guidance_per_week: 20,
    tags: {},
    clients: ['Fernwood Cycles', 'Harbour Tea'],
    headline: {
      since: '2026-11-10T02:00:00Z',
      accepted_before: { n: 5, of: 10 },
      accepted_after: { n: 14, of: 20 },
      minutes_before: 18,
      minutes_after: 9,
      rounds_before: 2,
      rounds_after: 1,
      words: 'Accepted as drafted: 50% → 70% since Nov 10',
    },
    entries: [
      {
        id: 4,
        content: 'No exclamation marks.',
        scope: { client: 'Harbour Tea' },
        scope_label: 'client: Harbour Tea',
        since: '2026-11-10T02:00:00Z',
        check: 'used an exclamation mark',
        before: { n: 6, of: 10 },
        after: { n: 1, of: 14 },
        verdict: 'helps',
        words: 'Drafts for Harbour Tea used an exclamation mark: 6 of 10 before, 1 of 14 since Nov 10',
      },
      {
        id: 6,
        content: 'Never say "seamless".',
        scope: {},
        scope_label: 'Team-wide',
        since: '2026-10-20T02:00:00Z',
        check: 'said "seamless"',
        before: { n: 4, of: 8 },
        after: { n: 9, of: 18 },
        verdict: 'no_change',
        words: 'Drafts said "seamless": 4 of 8 before, 9 of 18 since Oct 20. No change after 4 weeks: keep, reword or remove?',
      },
    ],
    ...overrides,
  };
}

/** The four outcomes a new agent starts with, as `default_rubric` answers. */
export const engineDefaultRubric: Rubric = {
  outcomes: [
    ...defaultRubric.outcomes,
    {
      name: 'user_accepted_output',
      description: "The person used the agent's output as it was, without rewriting it",
      signal: 'medium',
    },
    {
      name: 'avoided_known_mistake',
      description: 'Agent did not repeat a mistake that its memory already warns about',
      signal: 'high',
    },
  ],
  dreaming: defaultRubric.dreaming,
};

/** `get_rubric`'s answer: the rubric, its outcomes in words, and its YAML. */
export function rubricView(rubric: Rubric = defaultRubric, yaml = 'stored') {
  const labels = rubric.outcomes.map((o) => {
    const words = o.name.replace(/_/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  });
  return { rubric, labels, yaml };
}

/** One agent's entry in `schedule_overview`: nightly at 2:00, nothing handled yet. */
export function agentSchedule(overrides: Partial<AgentSchedule> = {}): AgentSchedule {
  return {
    agent: 'social-drafts',
    name: 'Social drafts',
    schedule: '0 2 * * *',
    words: 'Every night at 2:00',
    next_run: '2026-11-25T02:00:00Z',
    next_run_words: 'tonight at 2:00',
    last: null,
    pending: 0,
    ...overrides,
  };
}

/** What each provider uses when a field is left empty, as `provider_defaults` answers. */
export const PROVIDER_DEFAULTS: ProviderDefaults[] = [
  {
    kind: 'anthropic',
    label: 'Anthropic',
    base_url: 'https://api.anthropic.com',
    base_url_placeholder: 'https://api.anthropic.com',
    base_url_help: 'Leave empty for Anthropic’s own server.',
    base_url_env: 'ANTHROPIC_BASE_URL',
    model: 'claude-sonnet-4-5',
    model_help: 'Leave empty for the default shown.',
    key_env: 'ANTHROPIC_API_KEY',
  },
  {
    kind: 'openai',
    label: 'the OpenAI-compatible server',
    base_url: 'https://api.openai.com/v1',
    base_url_placeholder: 'http://localhost:11434/v1',
    base_url_help: 'Where your server listens, e.g. http://localhost:11434/v1 for Ollama.',
    base_url_env: 'OPENAI_BASE_URL',
    model: 'gpt-4.1-mini',
    model_help: 'The model’s name as your server knows it, e.g. llama3.1. Empty means gpt-4.1-mini.',
    key_env: 'OPENAI_API_KEY',
  },
];

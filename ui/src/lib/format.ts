// Turning engine values into the plain words and numbers a person reads.
import type {
  Decision,
  Destination,
  DestinationKind,
  Dream,
  DreamStatus,
  ErrorCode,
  GradeSource,
  GradeValue,
  KeySource,
  MemoryEntry,
  MemoryEventKind,
  Proposal,
  ProposalOp,
  ScheduleRecord,
  Signal,
  Source,
  Synced,
  Verdict,
} from './api';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

function date(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "2 Nov 2026, 09:00" in the person's locale. */
export function dateTime(value: string | null | undefined): string {
  const d = date(value);
  return d ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

/** "2 Nov 2026" in the person's locale. */
export function dayOnly(value: string | null | undefined): string {
  const d = date(value);
  return d ? d.toLocaleDateString(undefined, { dateStyle: 'medium' }) : '';
}

/** "5 min" between two instants, or '' when either is missing. */
export function duration(from: string | null, to: string | null): string {
  const a = date(from);
  const b = date(to);
  if (!a || !b) return '';
  const minutes = Math.round((b.getTime() - a.getTime()) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/**
 * "task_completed_first_pass" → "Task completed first pass", for names the engine has not put
 * in words: an outcome being typed in the editor, an imported outcome with no grade yet.
 */
export function outcomeLabel(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const VERDICT_LABEL: Record<Verdict, string> = {
  accepted: 'Accepted',
  revised: 'Revised',
  rejected: 'Rejected',
};

export const GRADE_LABEL: Record<GradeValue, string> = {
  met: 'Met',
  not_met: 'Not met',
  unknown: 'Unknown',
};

export const GRADE_SOURCE_LABEL: Record<GradeSource, string> = {
  feedback: 'From feedback',
  heuristic: 'Rule of thumb',
  llm: 'AI grader',
  person: 'A person',
  grader: 'Outcome grader',
};

/** Where a memory entry came from, in words. */
export function provenance(entry: MemoryEntry): string {
  // A person's or an imported entry that a dream later refined or merged says so too.
  const changed = entry.dream_id != null ? ` · changed by dream #${entry.dream_id}` : '';
  switch (entry.source) {
    case 'person':
      return `Typed by a person${changed}`;
    case 'import':
      return `Imported${changed}`;
    case 'dream': {
      const sessions = entry.support || entry.session_ids.length;
      const from = entry.dream_id != null ? `From dream #${entry.dream_id}` : 'From a dream';
      return sessions ? `${from} · ${plural(sessions, 'session')}` : from;
    }
  }
}

/** A friendly headline for an error code; the engine's message and the code go below it. */
export const ERROR_HINT: Record<ErrorCode, string> = {
  not_found: 'It may have been removed, or the link is out of date.',
  invalid_input: 'Something in the request was not in the expected form.',
  invalid_rubric: 'The rubric has a problem that needs fixing first.',
  already_exists: 'Something with that name already exists.',
  database_too_new: 'This database was written by a newer version of Reverie. Update the app to open it.',
  database: 'Reverie could not read or write its database.',
  busy: "Reverie's database was busy; try again in a moment.",
  io: 'A file could not be read or written.',
  already_decided: 'This change was already decided.',
  already_undone: 'This dream was already undone.',
  changed_since: 'Memory changed since you opened this; reload and try again.',
  dream_running: 'Another dream for this agent is still running; wait for it or cancel it.',
  not_running: 'That dream is no longer running.',
  canceled: 'The work was canceled before it finished.',
  no_provider: 'Choose an AI provider in Settings first.',
  no_key: 'Add your API key in Settings.',
  keychain_locked: 'Your system keychain is locked; unlock it and try again.',
  system_refused: 'Your system did not allow this change.',
  key_refused: 'The AI provider refused the API key. Check it in Settings.',
  provider_failed: 'The AI provider could not be reached or gave an unusable answer.',
  internal: 'Something went wrong inside Reverie.',
};

/** Failures whose message is a library's technical words: shown behind "Technical details". */
export const TECHNICAL: ErrorCode[] = ['provider_failed', 'internal', 'database'];

/**
 * What to tell the person about an error: the code's hint, made specific where the message
 * says more (the provider could not be reached at all, as opposed to answering badly).
 */
export function hintFor(error: { code: ErrorCode; message: string }, hints: Record<string, string> = ERROR_HINT): string {
  if (error.code === 'provider_failed') {
    const who = /^(could not reach )?(Anthropic|OpenAI|the local model|[A-Z][\w.-]*)/.exec(error.message)?.[2];
    if (/could not reach|did not answer in time|dns|connect/i.test(error.message)) {
      return `Reverie could not reach ${who ?? 'the AI provider'}. Check your internet connection, or the server address in Settings.`;
    }
  }
  return hints[error.code] ?? ERROR_HINT.internal;
}

/** The same for the Work view, where `busy` means the agent is still answering. */
export const WORK_ERROR_HINT: Record<ErrorCode, string> = {
  ...ERROR_HINT,
  busy: 'The agent is still answering in this conversation; wait for it or stop it.',
  provider_failed: 'The AI provider could not be reached or gave an unusable answer. Your message is saved.',
};

/** Errors a person fixes in Settings (the provider, its key). */
export const SETTINGS_ERRORS: ErrorCode[] = ['no_provider', 'no_key', 'key_refused', 'keychain_locked'];

export const SIGNAL_LABEL: Record<Signal, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const DREAM_STATUS_LABEL: Record<DreamStatus, string> = {
  pending: 'Waiting to start',
  running: 'Dreaming…',
  completed: 'Finished',
  failed: 'Failed',
  canceled: 'Canceled',
  interrupted: 'Interrupted',
};

export const DECISION_LABEL: Record<Decision, string> = {
  pending: 'Waiting for you',
  approved: 'Approved',
  rejected: 'Rejected',
  applied: 'Approved and applied',
  superseded: 'Replaced by a later change',
};

/** A change's kind in a team lead's words. */
export const OP_LABEL: Record<ProposalOp, string> = {
  add: 'New',
  remove: 'Remove',
  refine: 'Change',
  merge: 'Combine',
};

/** How strong a change's evidence is, in words: "Strong: 6 sessions on 3 days". */
export function strength(p: Pick<Proposal, 'confidence' | 'support' | 'support_days'>): string {
  const level = p.confidence >= 0.75 ? 'Strong' : p.confidence >= 0.5 ? 'Moderate' : 'Weak';
  if (!p.support) return level;
  return `${level}: ${plural(p.support, 'session')} on ${plural(Math.max(1, p.support_days), 'day')}`;
}

/** What the safety check found, as the caution a reviewer reads before the details. */
export const FLAG_CAUTION = 'Never applied automatically: it contains';

/** Whether auto-apply put this change in memory, and it is still there. */
export function appliedAutomatically(p: Proposal): boolean {
  return p.auto_applied;
}

/**
 * Why auto-apply applied a change or left it waiting. The engine rewrites the note when a
 * person takes an automatic change back, so it is shown as it comes.
 */
export function autoNote(p: Proposal): string | null {
  return p.auto_note?.trim() || null;
}

/** The line above a review whose dream applied changes by itself. */
export function autoSummary(applied: number): string {
  return applied === 1
    ? '1 change was applied automatically; it says why below. You can undo it.'
    : `${applied.toLocaleString()} changes were applied automatically; each says why below. You can undo any of them.`;
}

/**
 * What turning auto-apply on means, with the rubric's own minimums (3 sessions on 3 days when it
 * sets none; it may only raise them).
 */
export function autoApplyMeaning(minSessions: number | null, minDays: number | null): string {
  const days = Math.max(3, minDays ?? 3);
  const sessions = Math.max(3, minSessions ?? 3);
  // "Sessions on at least 3 different days" already means at least 3 sessions.
  const support =
    sessions > days
      ? `at least ${sessions} sessions on at least ${days} different days support them`
      : `sessions on at least ${days} different days support them`;
  return (
    `Reverie will add new memory entries by itself when ${support} and nothing in them is ` +
    'flagged (links, contact details, keys, instructions). Removals, changes and combinations ' +
    'always wait for you, and every automatic change can be undone.'
  );
}

/** "Dream #4" or "a person": who made a memory change. */
export const EVENT_LABEL: Record<MemoryEventKind, string> = {
  add: 'Added',
  edit: 'Edited',
  remove: 'Removed',
  refine: 'Refined',
  merge: 'Merged',
  restore: 'Restored',
};

/** "75%" for a 0–1 fraction. */
export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** "Tue 3 Nov, 02:00": a coming run, in the person's locale and time zone. */
export function runTime(value: string): string {
  const d = date(value);
  return d
    ? d.toLocaleString(undefined, {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: 'numeric',
        minute: '2-digit',
      })
    : '';
}

/**
 * What the scheduler last did, in words: "dreamed (#12)", "skipped — No new sessions since the
 * last dream", "failed — the database is locked".
 */
export function scheduleOutcome(record: ScheduleRecord): string {
  const reason = record.reason?.trim();
  switch (record.outcome) {
    case 'dreamed':
      return record.dream_id != null ? `dreamed (#${record.dream_id})` : 'dreamed';
    case 'busy':
      return `skipped — ${reason || 'another dream was already running'}`;
    default:
      return reason ? `${record.outcome} — ${reason}` : record.outcome;
  }
}

/** Where the API key comes from, in words. Never the key. */
export function keySourceLabel(source: KeySource, envName: string): string {
  switch (source) {
    case 'keychain':
      return 'Saved in your system keychain';
    case 'missing':
      return 'No key yet';
    case 'environment':
      return `Taken from ${envName} in the environment`;
    case 'not_needed':
      return 'Not needed for this local server';
    case 'keychain_unavailable':
      return 'Your system keychain is not available';
  }
}

/** "$0.0123": small costs keep four decimals, larger ones two. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  return value < 1 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

/**
 * Who dreamed and what it cost: "Offline dreamer", or
 * "Curated by claude-sonnet-4-5 · 12,400 input tokens (9,000 cached) · 830 output · $0.0123".
 */
export function dreamUsage(
  dream: Pick<Dream, 'model' | 'input_tokens' | 'output_tokens' | 'cached_tokens' | 'cost_usd'>,
): string {
  if (dream.model === 'offline') return 'Offline dreamer';
  const cached = dream.cached_tokens;
  const parts = [
    `Curated by ${dream.model}`,
    `${plural(dream.input_tokens, 'input token')}${cached ? ` (${cached.toLocaleString()} cached)` : ''}`,
    `${dream.output_tokens.toLocaleString()} output`,
    usd(dream.cost_usd),
  ];
  return parts.join(' · ');
}

/** Where memory is published, as the kind picker and the destination list say it. */
export const DESTINATION_KIND_LABEL: Record<DestinationKind, string> = {
  'claude-md': 'CLAUDE.md (Claude Code)',
  'agents-md': 'AGENTS.md (Codex and other agents)',
  'claude-memory': 'Claude Code memory folder',
  markdown: 'Markdown file',
  jsonl: 'JSON Lines file',
};

/** The tags a source stamps on its sessions, in words. */
export function sourceTags(source: Pick<Source, 'tags' | 'tags_label'>): string {
  return Object.keys(source.tags).length ? source.tags_label : 'No tags';
}

/** Which memory a destination receives, in words. */
export function destinationScope(destination: Pick<Destination, 'tags' | 'tags_label'>): string {
  return Object.keys(destination.tags).length
    ? `Team-wide entries and ${destination.tags_label}`
    : 'All of memory';
}

/** "billing.jsonl, line 7", or the whole file when the engine says line 0. */
export function problemPlace(file: string, line: number): string {
  return line > 0 ? `${file}, line ${line.toLocaleString()}` : `${file} (the whole file)`;
}

/** "Last synced 2 Nov 2026, 09:00", or that it never was. */
export function lastSynced(at: string | null): string {
  return at ? `Last synced ${dateTime(at)}` : 'Not synced yet';
}

/** "Last written 2 Nov 2026, 09:00", or that nothing was written yet. */
export function lastWritten(at: string | null): string {
  return at ? `Last written ${dateTime(at)}` : 'Not written yet';
}

/** What arrived from a source just connected: "12 sessions from billing-api". */
export function arrived(synced: Synced, from: string): string {
  const { source, report } = synced;
  const words = `${plural(source.sessions, 'session')} from ${from}`;
  return report.failed ? `${words}; ${plural(report.failed, 'line')} could not be read` : words;
}

/** What a sync brought in: "3 new sessions, 1 updated", or "Nothing new". */
export function syncWords(synced: Synced[]): string {
  const imported = synced.reduce((n, s) => n + s.report.imported, 0);
  const updated = synced.reduce((n, s) => n + s.report.updated, 0);
  if (!imported && !updated) return 'Nothing new to import.';
  const parts = [];
  if (imported) parts.push(plural(imported, 'new session'));
  if (updated) parts.push(`${plural(updated, 'session')} updated`);
  return `Imported ${parts.join(', ')}.`;
}

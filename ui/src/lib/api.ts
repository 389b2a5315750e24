// The one door to the backend: the only module that imports `@tauri-apps/*`.
// Each function is one Tauri command; components never call `invoke` themselves, which is what
// lets component tests swap the backend with `mockIPC`.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { open, save } from '@tauri-apps/plugin-dialog';

import type { Agent } from './bindings/Agent';
import type { AgentPatch } from './bindings/AgentPatch';
import type { AgentSchedule } from './bindings/AgentSchedule';
import type { AppInfo } from './bindings/AppInfo';
import type { AppSettings } from './bindings/AppSettings';
import type { Dream } from './bindings/Dream';
import type { DreamProgress } from './bindings/DreamProgress';
import type { DreamReport } from './bindings/DreamReport';
import type { ErrorCode } from './bindings/ErrorCode';
import type { ImportProgress } from './bindings/ImportProgress';
import type { ImportReport } from './bindings/ImportReport';
import type { MemoryEntry } from './bindings/MemoryEntry';
import type { MemoryEvent } from './bindings/MemoryEvent';
import type { OpenDream } from './bindings/OpenDream';
import type { ProgressReport } from './bindings/ProgressReport';
import type { Proposal } from './bindings/Proposal';
import type { ProviderConfig } from './bindings/ProviderConfig';
import type { ProviderKind } from './bindings/ProviderKind';
import type { ProviderStatus } from './bindings/ProviderStatus';
import type { Rubric } from './bindings/Rubric';
import type { RubricCheck } from './bindings/RubricCheck';
import type { RubricView } from './bindings/RubricView';
import type { ScheduleInfo } from './bindings/ScheduleInfo';
import type { ScopeCount } from './bindings/ScopeCount';
import type { Session } from './bindings/Session';
import type { SessionFilter } from './bindings/SessionFilter';
import type { SessionPage } from './bindings/SessionPage';

/** A failed backend call, with the engine's stable error code to branch on. */
export class ApiError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }

  /** Whatever `invoke` rejected with, as an ApiError. */
  static from(raw: unknown): ApiError {
    if (raw instanceof ApiError) return raw;
    if (raw && typeof raw === 'object' && 'code' in raw && 'message' in raw) {
      const { code, message } = raw as { code: unknown; message: unknown };
      return new ApiError(code as ErrorCode, String(message));
    }
    // Tauri itself rejects with a plain string (e.g. an unknown command or a bad argument).
    if (typeof raw === 'string') return new ApiError('internal', raw);
    if (raw instanceof Error) return new ApiError('internal', raw.message);
    return new ApiError('internal', String(raw));
  }
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    throw ApiError.from(raw);
  }
}

/** Import formats the engine reads; `null` lets it detect the format. */
export type ImportFormat = 'reverie' | 'anthropic' | 'openai' | 'claude-code';

export const appInfo = () => call<AppInfo>('app_info');

export const listAgents = () => call<Agent[]>('list_agents');
export const getAgent = (slug: string) => call<Agent>('get_agent', { slug });
/** `invalid_input` for a bad slug, `conflict` if an agent with that slug exists; `null` names it after the slug. */
export const createAgent = (slug: string, name: string | null) =>
  call<Agent>('create_agent', { slug, name });
/** `null` fields stay as they are; an empty `model` goes back to the default model. */
export const updateAgent = (slug: string, patch: AgentPatch) =>
  call<Agent>('update_agent', { slug, patch });

export const listSessions = (agent: string, filter: SessionFilter) =>
  call<SessionPage>('list_sessions', { agent, filter });
export const getSession = (agent: string, id: string) =>
  call<Session>('get_session', { agent, id });

export const listScopes = (agent: string) => call<ScopeCount[]>('list_scopes', { agent });

/** Tag pairs a memory entry applies to; `{}` is team-wide. */
export type Scope = { [key in string]?: string };

export const listMemory = (agent: string) => call<MemoryEntry[]>('list_memory', { agent });
export const addMemory = (agent: string, content: string, scope: Scope) =>
  call<MemoryEntry>('add_memory', { agent, content, scope });
export const editMemory = (agent: string, id: number, content: string, scope: Scope) =>
  call<MemoryEntry>('edit_memory', { agent, id, content, scope });
export const deleteMemory = (agent: string, id: number) =>
  call<null>('delete_memory', { agent, id });
export const memoryHistory = (agent: string) => call<MemoryEvent[]>('memory_history', { agent });
export type MemoryFormat = 'markdown' | 'jsonl';
export const exportMemory = (agent: string, format: MemoryFormat, path: string) =>
  call<null>('export_memory', { agent, format, path });

export const getRubric = (agent: string) => call<RubricView>('get_rubric', { agent });
export const checkRubric = (rubric: Rubric) => call<RubricCheck>('check_rubric', { rubric });
export const saveRubric = (agent: string, rubric: Rubric) =>
  call<RubricView>('save_rubric', { agent, rubric });
export const importRubricFile = (path: string) =>
  call<RubricCheck>('import_rubric_file', { path });
export const exportRubric = (agent: string, path: string) =>
  call<null>('export_rubric', { agent, path });
export const describeSchedule = (expr: string) =>
  call<ScheduleInfo>('describe_schedule', { expr });
/** Every agent's schedule: in words, its next run and what the last scheduled slot did. */
export const scheduleOverview = () => call<AgentSchedule[]>('schedule_overview');

export const listDreams = (agent: string) => call<Dream[]>('list_dreams', { agent });
export const getDream = (id: number) => call<DreamReport>('get_dream', { id });
export const startDream = (agent: string, windowDays: number | null = null) =>
  call<Dream>('start_dream', { agent, windowDays });
export const cancelDream = (id: number) => call<null>('cancel_dream', { id });
export const approveProposals = (ids: number[]) =>
  call<Proposal[]>('approve_proposals', { ids });
export const rejectProposals = (ids: number[], reason: string | null) =>
  call<Proposal[]>('reject_proposals', { ids, reason });
export const undoDream = (id: number) => call<DreamReport>('undo_dream', { id });

export const progress = (agent: string) => call<ProgressReport>('progress', { agent });
export const createDemo = () => call<Agent>('create_demo');

export const getSettings = () => call<AppSettings>('get_settings');
/** Applies start at login first; if the system refuses, fails with `not_available` and saves nothing. */
export const saveSettings = (settings: AppSettings) =>
  call<AppSettings>('save_settings', { settings });

export const providerStatus = () => call<ProviderStatus>('provider_status');
/** `null` turns the LLM tier off: dreams use the offline dreamer alone. */
export const providerSet = (config: ProviderConfig | null) =>
  call<ProviderStatus>('provider_set', { config });
/** The key goes to the OS keychain and never comes back; callers should not keep it. */
export const providerKeySet = (kind: ProviderKind, key: string) =>
  call<null>('provider_key_set', { kind, key });
/** Whether there was a key to remove. */
export const providerKeyRemove = (kind: ProviderKind) =>
  call<boolean>('provider_key_remove', { kind });
/** A plain answer such as "Connected to Anthropic (claude-…): OK". */
export const providerTest = () => call<string>('provider_test');

/**
 * Hear the dream events while a screen is open; returns the function that stops listening.
 * Events are a nicety: without them the screen still refreshes from the list.
 */
export async function onDreamEvents(handlers: {
  progress: (progress: DreamProgress) => void;
  finished: (dream: Dream) => void;
}): Promise<() => void> {
  const stops = await Promise.all([
    listen<DreamProgress>('dream-progress', (e) => handlers.progress(e.payload)).catch(() => null),
    listen<Dream>('dream-finished', (e) => handlers.finished(e.payload)).catch(() => null),
  ]);
  return () => stops.forEach((stop) => stop?.());
}

/**
 * Hear `open-dream`: the person clicked a dream's notification and the window should open that
 * dream's review. Returns the function that stops listening.
 */
export async function onOpenDream(handler: (open: OpenDream) => void): Promise<() => void> {
  const stop = await listen<OpenDream>('open-dream', (e) => handler(e.payload)).catch(() => null);
  return () => stop?.();
}

/** Import a session file; `onProgress` hears the `import-progress` events while it runs. */
export async function importFile(
  path: string,
  format: ImportFormat | null,
  agent: string | null,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  // Progress is a nicety: an import still runs if the event channel is unavailable.
  const unlisten = onProgress
    ? await listen<ImportProgress>('import-progress', (event) => onProgress(event.payload)).catch(
        () => null,
      )
    : null;
  try {
    return await call<ImportReport>('import_file', { path, format, agent });
  } finally {
    unlisten?.();
  }
}

/** The OS file picker, for session files; `null` when the person cancels. */
export async function pickSessionFile(): Promise<string | null> {
  try {
    const picked = await open({
      title: 'Choose a session file',
      multiple: false,
      directory: false,
      filters: [{ name: 'Session files', extensions: ['jsonl', 'json'] }],
    });
    return picked ?? null;
  } catch (raw) {
    throw ApiError.from(raw);
  }
}

/** The OS file picker, for a rubric YAML file; `null` when the person cancels. */
export async function pickRubricFile(): Promise<string | null> {
  try {
    const picked = await open({
      title: 'Choose a rubric file',
      multiple: false,
      directory: false,
      filters: [{ name: 'Rubric (YAML)', extensions: ['yaml', 'yml'] }],
    });
    return picked ?? null;
  } catch (raw) {
    throw ApiError.from(raw);
  }
}

/** The OS "save as" picker; `null` when the person cancels. */
export async function pickSavePath(
  title: string,
  defaultPath: string,
  filter: { name: string; extensions: string[] },
): Promise<string | null> {
  try {
    return (await save({ title, defaultPath, filters: [filter] })) ?? null;
  } catch (raw) {
    throw ApiError.from(raw);
  }
}

/** An empty session filter: every session, first page. */
export function sessionFilter(overrides: Partial<SessionFilter> = {}): SessionFilter {
  return {
    scope_key: null,
    scope_value: null,
    outcome: null,
    outcome_met: null,
    from: null,
    to: null,
    search: null,
    limit: null,
    offset: null,
    ...overrides,
  };
}

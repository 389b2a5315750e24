// The one door to the backend: the only module that imports `@tauri-apps/*`.
// Each function is one Tauri command; components never call `invoke` themselves, which is what
// lets component tests swap the backend with `mockIPC`.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { open } from '@tauri-apps/plugin-dialog';

import type { Agent } from './bindings/Agent';
import type { AppInfo } from './bindings/AppInfo';
import type { ErrorCode } from './bindings/ErrorCode';
import type { ImportProgress } from './bindings/ImportProgress';
import type { ImportReport } from './bindings/ImportReport';
import type { MemoryEntry } from './bindings/MemoryEntry';
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

export const listSessions = (agent: string, filter: SessionFilter) =>
  call<SessionPage>('list_sessions', { agent, filter });
export const getSession = (agent: string, id: string) =>
  call<Session>('get_session', { agent, id });

export const listMemory = (agent: string) => call<MemoryEntry[]>('list_memory', { agent });

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

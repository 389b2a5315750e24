// The one door to the backend: the only module that imports the generated `./bindings` and
// `@tauri-apps/*`. Components call `api.x(...)`, which is what lets component tests swap the
// backend with `mockIPC` and the e2e tests drive the real one.
import {
  commands,
  events,
  type Dream,
  type DestinationKind,
  type DreamProgress,
  type ErrorCode,
  type ErrorJson,
  type ImportProgress,
  type MemoryFormat,
  type OpenDream,
  type SessionFilter,
  type Synced,
  type RunEvent,
  type TeamRun,
  type WorkDelta,
  type WorkEnded,
} from './bindings';

// Every type the Rust side exports, so components never import the generated file themselves.
export type * from './bindings';

/** A failed backend call, with the engine's stable error code to branch on. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  /** The argument or file field at fault, when the engine names one (`invalid_input`). */
  readonly field: string | null;

  constructor(code: ErrorCode, message: string, field: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
  }

  /** Whatever a command failed with, as an ApiError. */
  static from(raw: unknown): ApiError {
    if (raw instanceof ApiError) return raw;
    if (raw && typeof raw === 'object' && 'code' in raw && 'message' in raw) {
      const { code, message, field } = raw as ErrorJson;
      return new ApiError(code, String(message), field ?? null);
    }
    // Tauri itself rejects with a plain string (e.g. an unknown command or a bad argument).
    if (typeof raw === 'string') return new ApiError('internal', raw);
    if (raw instanceof Error) return new ApiError('internal', raw.message);
    return new ApiError('internal', String(raw));
  }
}

/** What a fallible generated command answers. */
type Answer<T> = { status: 'ok'; data: T } | { status: 'error'; error: ErrorJson };
/** The data of an answer; an infallible command's value as it is. */
type Data<R> = [R] extends [Answer<infer T>] ? T : R;
type Unwrap<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: A) => Promise<Data<R>>
  : never;

/** Every generated command, answering its data or throwing an ApiError. */
export type Api = { [K in keyof typeof commands]: Unwrap<(typeof commands)[K]> };

// Exactly `{status, data}` or `{status, error}`: no infallible command's value has that shape.
function isAnswer(value: unknown): value is Answer<unknown> {
  if (!value || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  const { status } = value as { status?: unknown };
  return (
    keys.length === 2 &&
    ((status === 'ok' && keys.includes('data')) || (status === 'error' && keys.includes('error')))
  );
}

function unwrap(command: (...args: never[]) => Promise<unknown>) {
  return async (...args: never[]) => {
    let answer: unknown;
    try {
      answer = await command(...args);
    } catch (raw) {
      // A rejected invoke: Tauri's own failure, or an infallible command's engine error.
      throw ApiError.from(raw);
    }
    if (!isAnswer(answer)) return answer;
    if (answer.status === 'error') throw ApiError.from(answer.error);
    return answer.data;
  };
}

export const api = Object.fromEntries(
  Object.entries(commands).map(([name, command]) => [name, unwrap(command)]),
) as Api;

/** Listen to an event until the returned function is called; `null` if listening failed. */
async function hear<T>(
  event: { listen: (cb: (e: { payload: T }) => void) => Promise<() => void> },
  handler: (payload: T) => void,
): Promise<(() => void) | null> {
  // Events are a nicety: without them the screens still refresh from their lists.
  return event.listen((e) => handler(e.payload)).catch(() => null);
}

/**
 * Hear the dream events while a screen is open; returns the function that stops listening.
 * Events are a nicety: without them the screen still refreshes from the list.
 */
export async function onDreamEvents(handlers: {
  progress: (progress: DreamProgress) => void;
  finished: (dream: Dream) => void;
}): Promise<() => void> {
  const stops = await Promise.all([
    hear(events.dreamProgress, handlers.progress),
    hear(events.dreamFinished, handlers.finished),
  ]);
  return () => stops.forEach((stop) => stop?.());
}

/**
 * Hear `open-dream`: the person clicked a dream's notification and the window should open that
 * dream's review. Returns the function that stops listening.
 */
export async function onOpenDream(handler: (open: OpenDream) => void): Promise<() => void> {
  const stop = await hear(events.openDream, handler);
  return () => stop?.();
}

/**
 * Hear an agent's answers as they stream (`work-text`) and end (`work-finished`), for every
 * session; returns the function that stops listening. Unlike the other events these carry the
 * answer itself: the Work view shows an answer only through them.
 */
export async function onWorkEvents(handlers: {
  text: (delta: WorkDelta) => void;
  finished: (ended: WorkEnded) => void;
}): Promise<() => void> {
  const stops = await Promise.all([
    hear(events.workText, handlers.text),
    hear(events.workFinished, handlers.finished),
  ]);
  return () => stops.forEach((stop) => stop?.());
}

/**
 * Hear `import-progress` while `api.importFile` runs; returns the function that stops
 * listening. An import still runs if the event channel is unavailable.
 */
export async function onImportProgress(
  handler: (progress: ImportProgress) => void,
): Promise<() => void> {
  const stop = await hear(events.importProgress, handler);
  return () => stop?.();
}

/**
 * Hear `sources-synced`: a watched folder changed (or Reverie started) and new sessions may have
 * arrived. Returns the function that stops listening.
 */
export async function onSourcesSynced(handler: (synced: Synced[]) => void): Promise<() => void> {
  const stop = await hear(events.sourcesSynced, handler);
  return () => stop?.();
}

/** Hear a team run's steps and its end while a screen is open. */
export async function onTeamRunEvents(handlers: {
  step: (event: RunEvent) => void;
  finished: (run: TeamRun) => void;
}): Promise<() => void> {
  const stops = await Promise.all([
    hear(events.teamRunStep, handlers.step),
    hear(events.teamRunFinished, handlers.finished),
  ]);
  return () => stops.forEach((s) => s?.());
}

// The native file dialogs run on the Rust side: only a path picked there, for the same purpose,
// is accepted by the command that reads or writes it, so the web view cannot name other files.

/** The OS file picker, for session files; `null` when the person cancels. */
export function pickSessionFile(): Promise<string | null> {
  return api.pickFile('import_sessions', { name: 'Session files', extensions: ['jsonl', 'json'] }, null);
}

/** The OS folder picker, for a folder of session files to import once; `null` when canceled. */
export function pickSessionFolder(): Promise<string | null> {
  return api.pickFile('import_folder', null, null);
}

/** The OS folder picker, for the folder a team shares; `null` when canceled. */
export function pickTeamFolder(): Promise<string | null> {
  return api.pickFile('team_folder', null, null);
}

/** The OS picker for a folder to keep syncing sessions from; `null` when canceled. */
export function pickSourceFolder(): Promise<string | null> {
  return api.pickFile('source_folder', null, null);
}

/** The OS picker for a session file to keep syncing; `null` when canceled. */
export function pickSourceFile(): Promise<string | null> {
  return api.pickFile('source_file', { name: 'Session files', extensions: ['jsonl', 'json'] }, null);
}

/** Where each kind of destination is saved, and the name the "save as" dialog suggests. */
const PUBLISH_FILE: Record<Exclude<DestinationKind, 'claude-memory'>, { name: string; ext: string; suggested: string }> = {
  'claude-md': { name: 'Markdown', ext: 'md', suggested: 'CLAUDE.md' },
  'agents-md': { name: 'Markdown', ext: 'md', suggested: 'AGENTS.md' },
  markdown: { name: 'Markdown', ext: 'md', suggested: 'memory.md' },
  jsonl: { name: 'JSON Lines', ext: 'jsonl', suggested: 'memory.jsonl' },
};

/**
 * The OS picker for where to publish memory of `kind`: a folder for a Claude Code memory folder,
 * else a "save as" dialog with the usual file name; `null` when the person cancels.
 */
export function pickPublishTarget(kind: DestinationKind): Promise<string | null> {
  if (kind === 'claude-memory') return api.pickFile('publish_folder', null, null);
  const file = PUBLISH_FILE[kind];
  return api.pickFile('publish_file', { name: file.name, extensions: [file.ext] }, file.suggested);
}

/** The OS file picker, for a rubric YAML file; `null` when the person cancels. */
export function pickRubricFile(): Promise<string | null> {
  return api.pickFile('import_rubric', { name: 'YAML', extensions: ['yaml', 'yml'] }, null);
}

/** The OS "save as" picker for an agent's memory in `format`; `null` when the person cancels. */
export function pickMemoryExport(agent: string, format: MemoryFormat): Promise<string | null> {
  const filter =
    format === 'markdown'
      ? { name: 'Markdown', extensions: ['md'] }
      : { name: 'JSON Lines', extensions: ['jsonl'] };
  return api.pickFile('export_memory', filter, `${agent}-memory.${filter.extensions[0]}`);
}

/** The OS "save as" picker for an agent's rubric; `null` when the person cancels. */
export function pickRubricExport(agent: string): Promise<string | null> {
  return api.pickFile('export_rubric', { name: 'YAML', extensions: ['yaml', 'yml'] }, `${agent}-rubric.yaml`);
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

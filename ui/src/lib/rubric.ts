// The rubric editor's helpers: outcome cards that keep their identity while reordered, and
// where an issue belongs.
import type { Outcome, RubricIssue } from './api';
import { outcomeLabel } from './format';

/**
 * One outcome in the editor; `key` stays the same while the card moves, so focus can follow.
 * People write the outcome's name in words; the engine makes the YAML name from them.
 */
export type Card = {
  key: number;
  outcome: Outcome;
  /** The name in words, as the person reads and writes it. */
  words: string;
  /** The name and words it came with (`null` for a new outcome), to tell a rename. */
  original: { name: string; words: string } | null;
  /** The engine is making the name from new words. */
  naming: boolean;
};

let nextKey = 0;

/** A card for an outcome; `words` is the engine's label for it when known. */
export function cardOf(outcome: Outcome, words?: string): Card {
  const said = words ?? (outcome.name ? outcomeLabel(outcome.name) : '');
  return {
    key: nextKey++,
    outcome: { ...outcome },
    words: said,
    original: outcome.name ? { name: outcome.name, words: said } : null,
    naming: false,
  };
}

/** Fields the editor shows next to an input; any other issue is listed at the top. */
export function isEditorField(field: string): boolean {
  return (
    /^outcomes\[\d+\]\.(name|description|signal)$/.test(field) ||
    field === 'dreaming.schedule' ||
    field === 'dreaming.review_window_days'
  );
}

/** "Line 4, column 9" for an issue read from a file, or '' for one from the editor. */
export function issuePlace(issue: RubricIssue): string {
  if (issue.line == null) return '';
  return issue.column == null ? `Line ${issue.line}` : `Line ${issue.line}, column ${issue.column}`;
}

/** The messages about one field, e.g. `dreaming.schedule`. */
export function messagesFor(issues: RubricIssue[], field: string): string[] {
  return issues.filter((i) => i.field === field).map((i) => i.message);
}

/** The messages about outcome `index`, by its field: `name`, `description`, `signal`. */
export function outcomeMessages(issues: RubricIssue[], index: number): Record<string, string[]> {
  const at = `outcomes[${index}].`;
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    if (issue.field.startsWith(at)) (out[issue.field.slice(at.length)] ??= []).push(issue.message);
  }
  return out;
}

// The rubric editor's helpers: the default four outcomes to start from, and issue lookup.
import type { Outcome } from './bindings/Outcome';
import type { RubricIssue } from './bindings/RubricIssue';

/** The engine's default outcomes (`Rubric::default()` in src/rubric/mod.rs). */
export const DEFAULT_OUTCOMES: Outcome[] = [
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
];

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

// App-wide state that is not a place: whether the import dialog is open, a counter that
// screens read so they reload after an import changed the data, and a first-run hint.
export const app = $state({
  importOpen: false,
  dataVersion: 0,
  /** A one-off pointer for the next screen, e.g. "Click Dream now" after the demo is made. */
  hint: null as string | null,
  /** The dream whose evidence opened the session on screen, for a way back to it. */
  fromDream: null as { agent: string; dream: number; session: string } | null,
});

export function dataChanged(): void {
  app.dataVersion += 1;
}

// App-wide state that is not a place: whether the import dialog is open, and a counter that
// screens read so they reload after an import changed the data.
export const app = $state({
  importOpen: false,
  dataVersion: 0,
});

export function dataChanged(): void {
  app.dataVersion += 1;
}

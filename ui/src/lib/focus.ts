// Keeping Tab inside a modal dialog: from the last control Tab wraps to the first, and
// Shift+Tab from the first wraps to the last, so keyboard users cannot wander behind it.

const CONTROLS = 'button, input, select, textarea, [href]';

/** Call from the dialog's keydown handler; does nothing for keys other than Tab. */
export function trapTab(event: KeyboardEvent, container: HTMLElement): void {
  if (event.key !== 'Tab') return;
  const focusable = [...container.querySelectorAll<HTMLElement>(CONTROLS)].filter(
    (el) => !el.hasAttribute('disabled'),
  );
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

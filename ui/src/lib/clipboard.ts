// Copying text for the person to paste elsewhere (an MCP client's settings, a terminal).

/** Put `text` on the clipboard; `false` when neither way worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Some web views refuse the clipboard API; the old way below still works from a click.
  }
  return copyBySelection(text);
}

function copyBySelection(text: string): boolean {
  const focused = document.activeElement;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  // Selecting moved the focus; give it back to the button that was clicked.
  if (focused instanceof HTMLElement) focused.focus();
  return copied;
}

// Agent short names ("slugs"): what the engine accepts, and one made from a display name.

export const SLUG_MAX = 64;

/**
 * "Support replies!" -> "support-replies": lowercase letters and digits, runs of anything else
 * become one dash, no dash at either end, at most 64 characters. Accents are dropped ("Café" ->
 * "cafe"); a name with no usable letters gives "".
 */
export function slugify(name: string): string {
  const plain = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  let out = '';
  for (const c of plain) {
    if (/[a-z0-9]/i.test(c)) out += c.toLowerCase();
    else if (out && !out.endsWith('-')) out += '-';
  }
  return out.slice(0, SLUG_MAX).replace(/-+$/, '');
}

/** Why `slug` can't be used, in plain words; `null` when it can (the engine's own rule). */
export function slugProblem(slug: string): string | null {
  if (!slug) return 'Give the agent a short name.';
  if (slug.length > SLUG_MAX) return `Keep the short name to ${SLUG_MAX} characters or fewer.`;
  if (!/^[a-z0-9-]+$/.test(slug)) return 'Use only lowercase letters, digits and dashes, like support-replies.';
  if (slug.startsWith('-') || slug.endsWith('-')) return "The short name can't start or end with a dash.";
  return null;
}

// A word-level diff (longest common subsequence) between a draft and the text a person used,
// so a revision shows what was removed and added rather than two walls of text.

export type DiffPart = { kind: 'same' | 'removed' | 'added'; text: string };

/** Words and the whitespace between them, as separate tokens; joined, they restore the text. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

// Past this many cells the table costs more than the view is worth; fall back to replace-all.
const MAX_CELLS = 4_000_000;

export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);

  // Common prefix and suffix are cheap and usually most of a revision.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }

  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else if (text) parts.push({ kind, text });
  };

  for (let i = 0; i < start; i++) push('same', b[i]);

  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    push('removed', midA.join(''));
    push('added', midB.join(''));
  } else {
    // lcs[i][j] = length of the LCS of midA[i..] and midB[j..].
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] =
          midA[i] === midB[j]
            ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        push('same', midB[j]);
        i++;
        j++;
      } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        // Removals first, so a replaced word reads "old → new".
        push('removed', midA[i++]);
      } else {
        push('added', midB[j++]);
      }
    }
  }

  for (let k = endB; k < b.length; k++) push('same', b[k]);
  return groupChanges(parts);
}

/**
 * LCS happily matches the single spaces between replaced words, which shreds a replacement into
 * "~~add a~~no ~~couple~~emoji". Absorb whitespace that sits between changes into both sides,
 * so each replacement reads as one removed run followed by one added run.
 */
function groupChanges(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) out.push({ kind: 'removed', text: removed });
    if (added) out.push({ kind: 'added', text: added });
    removed = '';
    added = '';
  };
  parts.forEach((part, i) => {
    const inChange = removed !== '' || added !== '';
    const nextChanges = i + 1 < parts.length && parts[i + 1].kind !== 'same';
    if (part.kind === 'removed') removed += part.text;
    else if (part.kind === 'added') added += part.text;
    else if (inChange && nextChanges && /^\s+$/.test(part.text)) {
      removed += part.text;
      added += part.text;
    } else {
      flush();
      const last = out[out.length - 1];
      if (last && last.kind === 'same') last.text += part.text;
      else out.push(part);
    }
  });
  flush();
  return out;
}

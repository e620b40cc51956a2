/** Offsets → 1-based line and column, for diagnostics. */

/** Resolves offsets of one text to line:col. */
export interface LineIndex {
  /** 1-based line and column of `offset` (clamped to the text). Columns count UTF-16 code units. */
  position(offset: number): { readonly line: number; readonly col: number };
}

/** Builds a {@link LineIndex} for `text`. */
export function createLineIndex(text: string): LineIndex {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return {
    position(offset) {
      const at = Math.max(0, Math.min(offset, text.length));
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, col: at - starts[lo]! + 1 };
    },
  };
}

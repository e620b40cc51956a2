/**
 * {@link parseZnodes} for a list read again and again: each child's parse and validation is kept,
 * keyed by its znode path and its data bytes, so a change under 1,000 children parses and validates
 * only the children that are new or whose data changed, reuses the entry objects of the others and
 * merges new children into the sorted order instead of sorting everything. The result is always
 * exactly what `parseZnodes` gives for the same children.
 */
import type { BackendEntry, ZookeeperFormat } from '../../core/index.js';
import { backendEntry } from './entry.js';
import { childParser } from './parsers.js';
import { assemble, byName, checkChild, parseChildren, znodePath, type CheckedChild } from './parse-children.js';
import type { FormatContext, FormatResult, ZnodeChild } from './types.js';

/** A {@link FormatResult} plus whether it differs from the previous one (when it does not, the same arrays come back). */
export interface IncrementalResult extends FormatResult {
  readonly changed: boolean;
}

/** Parses successive reads of one service's children. */
export interface IncrementalParser {
  parse(children: readonly ZnodeChild[], ctx: FormatContext): IncrementalResult;
  /** Forgets everything: the next parse starts from scratch (and reports a change). */
  reset(): void;
}

/** What is kept of one child between reads. */
interface Slot {
  readonly name: string;
  readonly znode: string;
  /** The child object last seen: the reader hands out the same object while the data is unchanged. */
  child: ZnodeChild;
  checked: CheckedChild;
  /** The entry for `checked.url` from this znode, made once. */
  entry: BackendEntry | undefined;
  /** The parse generation that last saw this child. */
  seen: number;
}

function sameData(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.equals(b));
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameEntries(a: readonly BackendEntry[], b: readonly BackendEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The parser's memory of the last read. */
interface ParserState {
  readonly parse: ReturnType<typeof childParser>;
  parent: string | undefined;
  slots: Map<string, Slot>;
  /** The slots of the last result, sorted by name. */
  order: Slot[];
  last: FormatResult | undefined;
  generation: number;
}

/** What one read changed against the last: new slots, how many old ones it still has, changed data. */
interface Scan {
  readonly added: Slot[];
  readonly kept: number;
  readonly dataChanged: boolean;
}

/** Creates a parser for `format`; see the module comment. */
export function createIncrementalParser(format: ZookeeperFormat): IncrementalParser {
  const st: ParserState = { parse: childParser(format), parent: undefined, slots: new Map(), order: [], last: undefined, generation: 0 };
  return { reset: () => { reset(st); }, parse: (children, ctx) => parseAll(st, children, ctx) };
}

function reset(st: ParserState): void {
  st.parent = undefined;
  st.slots = new Map();
  st.order = [];
  st.last = undefined;
}

function check(st: ParserState, slot: Slot, child: ZnodeChild): void {
  const checked = checkChild(st.parse, child);
  const url = checked.kind === 'url' ? checked.url : undefined;
  if (url === undefined) slot.entry = undefined;
  else if (slot.entry?.url !== url) slot.entry = backendEntry(url, slot.znode);
  slot.checked = checked;
  slot.child = child;
}

function parseAll(st: ParserState, children: readonly ZnodeChild[], ctx: FormatContext): IncrementalResult {
  if (ctx.parentPath !== st.parent) { reset(st); st.parent = ctx.parentPath; }
  const gen = ++st.generation;
  const atRoot = ctx.parentPath === '/';
  const scan = scanChildren(st, children, ctx.parentPath, gen);
  if (scan === undefined) {
    // The same name twice (ZooKeeper never does this): no shortcut, and start afresh next time.
    reset(st);
    return { ...parseChildren(st.parse, atRoot ? children.filter((c) => c.name !== 'zookeeper') : children, ctx), changed: true };
  }
  const removed = st.order.length - scan.kept;
  if (st.last !== undefined && scan.added.length === 0 && removed === 0 && !scan.dataChanged) return { ...st.last, changed: false };

  let next = st.order;
  if (removed > 0) {
    next = st.order.filter((s) => s.seen === gen);
    for (const s of st.order) if (s.seen !== gen) st.slots.delete(s.name);
  }
  if (scan.added.length > 0) next = merge(next, scan.added.sort(byName));
  st.order = next;

  const result = assemble(next);
  const previous = st.last;
  const changed = previous === undefined || !sameEntries(previous.backends, result.backends) || !sameStrings(previous.warnings, result.warnings);
  st.last = changed || previous === undefined ? result : previous;
  return { ...st.last, changed };
}

/** Marks the children of this read (generation `gen`) in their slots; undefined when a name repeats. */
function scanChildren(st: ParserState, children: readonly ZnodeChild[], parentPath: string, gen: number): Scan | undefined {
  const atRoot = parentPath === '/';
  const added: Slot[] = [];
  let kept = 0;
  let dataChanged = false;
  for (const child of children) {
    // ZooKeeper's own node is not a backend when reading the root.
    if (atRoot && child.name === 'zookeeper') continue;
    let slot = st.slots.get(child.name);
    if (slot === undefined) {
      slot = { name: child.name, znode: znodePath(parentPath, child.name), child, checked: { kind: 'ignore' }, entry: undefined, seen: gen };
      check(st, slot, child);
      st.slots.set(child.name, slot);
      added.push(slot);
      continue;
    }
    if (slot.seen === gen) return undefined;
    slot.seen = gen;
    kept++;
    if (slot.child !== child) {
      if (sameData(slot.child.data, child.data)) slot.child = child;
      else { check(st, slot, child); dataChanged = true; }
    }
  }
  return { added, kept, dataChanged };
}

/** Merges two lists each sorted by name. */
function merge(a: readonly Slot[], b: readonly Slot[]): Slot[] {
  if (a.length === 0) return [...b];
  const out: Slot[] = new Array<Slot>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = byName(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

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

/** Creates a parser for `format`; see the module comment. */
export function createIncrementalParser(format: ZookeeperFormat): IncrementalParser {
  const parse = childParser(format);
  let parent: string | undefined;
  let slots = new Map<string, Slot>();
  /** The slots of the last result, sorted by name. */
  let order: Slot[] = [];
  let last: FormatResult | undefined;
  let generation = 0;

  function check(slot: Slot, child: ZnodeChild): void {
    const checked = checkChild(parse, child);
    const url = checked.kind === 'url' ? checked.url : undefined;
    if (url === undefined) slot.entry = undefined;
    else if (slot.entry?.url !== url) slot.entry = backendEntry(url, slot.znode);
    slot.checked = checked;
    slot.child = child;
  }

  function reset(): void {
    parent = undefined;
    slots = new Map();
    order = [];
    last = undefined;
  }

  function parseAll(children: readonly ZnodeChild[], ctx: FormatContext): IncrementalResult {
    if (ctx.parentPath !== parent) { reset(); parent = ctx.parentPath; }
    const gen = ++generation;
    const atRoot = ctx.parentPath === '/';
    const added: Slot[] = [];
    let kept = 0;
    let dataChanged = false;
    for (const child of children) {
      // ZooKeeper's own node is not a backend when reading the root.
      if (atRoot && child.name === 'zookeeper') continue;
      let slot = slots.get(child.name);
      if (slot === undefined) {
        slot = { name: child.name, znode: znodePath(ctx.parentPath, child.name), child, checked: { kind: 'ignore' }, entry: undefined, seen: gen };
        check(slot, child);
        slots.set(child.name, slot);
        added.push(slot);
        continue;
      }
      if (slot.seen === gen) {
        // The same name twice (ZooKeeper never does this): no shortcut, and start afresh next time.
        reset();
        return { ...parseChildren(parse, atRoot ? children.filter((c) => c.name !== 'zookeeper') : children, ctx), changed: true };
      }
      slot.seen = gen;
      kept++;
      if (slot.child !== child) {
        if (sameData(slot.child.data, child.data)) slot.child = child;
        else { check(slot, child); dataChanged = true; }
      }
    }
    const removed = order.length - kept;
    if (last !== undefined && added.length === 0 && removed === 0 && !dataChanged) return { ...last, changed: false };

    let next = order;
    if (removed > 0) {
      next = order.filter((s) => s.seen === gen);
      for (const s of order) if (s.seen !== gen) slots.delete(s.name);
    }
    if (added.length > 0) next = merge(next, added.sort(byName));
    order = next;

    const result = assemble(order);
    const previous = last;
    const changed = previous === undefined || !sameEntries(previous.backends, result.backends) || !sameStrings(previous.warnings, result.warnings);
    last = changed || previous === undefined ? result : previous;
    return { ...last, changed };
  }

  return { reset, parse: parseAll };
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

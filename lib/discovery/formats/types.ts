/** Shared shapes of the pure znode → backend URL formats (SPEC §5). */
import type { BackendEntry } from '../../core/index.js';

/** One znode as read from ZooKeeper: its name (not the path) and its data, if it was read. */
export interface ZnodeChild {
  readonly name: string;
  readonly data: Buffer | undefined;
}

/** Where the children were read: `parentPath` joined with a child name is the znode path. */
export interface FormatContext {
  readonly parentPath: string;
}

/** Backends (sorted by znode path, URLs validated and unique) plus one warning per skipped child. */
export interface FormatResult {
  readonly backends: readonly BackendEntry[];
  readonly warnings: readonly string[];
}

/** What one child turns into: a URL to validate, a skip with the reason, or nothing at all (silently). */
export type ChildOutcome =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'ignore' };

/** The per-child half of a format; {@link FormatParser}s are built from it by `parseChildren`. */
export type ChildParser = (child: ZnodeChild) => ChildOutcome;

/** A whole format: a pure function from children to backends plus warnings. Never throws. */
export type FormatParser = (children: readonly ZnodeChild[], ctx: FormatContext) => FormatResult;

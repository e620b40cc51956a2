/** `url`: the data of each child is one backend URL. */
import { dataText } from './parse-children.js';
import type { ChildOutcome, ZnodeChild } from './types.js';

/** One child → its data as a URL (validated by the caller). */
export function parseUrlChild(child: ZnodeChild): ChildOutcome {
  const text = dataText(child);
  return text === undefined ? { kind: 'skip', reason: 'no data' } : { kind: 'url', url: text };
}

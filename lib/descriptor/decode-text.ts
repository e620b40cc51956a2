/**
 * Strict UTF-8 decoding of descriptor files. Node's `readFile(f, 'utf8')` turns every byte that is
 * not UTF-8 into U+FFFD, so a Latin-1 file was silently corrupted (and `descriptor set` wrote the
 * damage back); here such a file is refused with the byte offset of the first bad byte.
 */
import { DescriptorError } from '../core/index.js';
import { createDiagnosticSink, formatDiagnostic } from './diagnostics.js';

// ignoreBOM: a leading BOM stays in the text (as U+FEFF), so that an edited file is written back with it.
const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes `bytes` (the content of `file`) as UTF-8; a leading BOM is kept. Throws DescriptorError
 * (HAD_ERR_DESCRIPTOR_INVALID) with one diagnostic at the first byte that is not UTF-8, its message
 * naming the file, line, column and byte offset.
 */
export function decodeDescriptorBytes(bytes: Uint8Array, file: string): string {
  try {
    return STRICT.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = STRICT.decode(bytes.subarray(0, offset));
    const byte = bytes[offset]?.toString(16).toUpperCase().padStart(2, '0') ?? '';
    const declared = /^\uFEFF?<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(before)?.[1];
    const hint = declared !== undefined && !/^utf-?8$/i.test(declared)
      ? `only UTF-8 is read, the XML declaration says ${declared}: convert the file, e.g. iconv -f ${declared} -t UTF-8`
      : 'save the file as UTF-8';
    const sink = createDiagnosticSink(file, before);
    sink.error(before.length, `not UTF-8: byte 0x${byte} at byte offset ${offset} cannot be decoded (${hint})`);
    const diagnostics = sink.list();
    throw new DescriptorError(diagnostics.map(formatDiagnostic).join('\n'), diagnostics);
  }
}

/** Length of a UTF-8 sequence by its lead byte, with the allowed range of its second byte (RFC 3629). */
function sequenceOf(lead: number): { readonly length: number; readonly lo: number; readonly hi: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, lo: 0x80, hi: 0xbf };
  if (lead === 0xe0) return { length: 3, lo: 0xa0, hi: 0xbf };
  if (lead === 0xed) return { length: 3, lo: 0x80, hi: 0x9f }; // no surrogates
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, lo: 0x80, hi: 0xbf };
  if (lead === 0xf0) return { length: 4, lo: 0x90, hi: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, lo: 0x80, hi: 0xbf };
  if (lead === 0xf4) return { length: 4, lo: 0x80, hi: 0x8f };
  return undefined;
}

/** Offset of the first byte of the first ill-formed sequence (bytes.length when all are well-formed). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const seq = sequenceOf(lead);
    if (!seq || i + seq.length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < seq.lo || second > seq.hi) return i;
    for (let k = 2; k < seq.length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += seq.length;
  }
  return i;
}

/** `hadispatch descriptor convert TOPOLOGY.xml [-o FILE]`. */
import { DescriptorError, UsageError, writeFileAtomic } from '../../core/index.js';
import { convertTopology, readTextFile } from '../../descriptor/index.js';
import { parseCommandArgs } from '../args.js';
import { diagnosticsError } from './descriptor-report.js';

/** `hadispatch descriptor convert --help`. */
export const CONVERT_HELP = `usage: hadispatch descriptor convert TOPOLOGY.xml [-o FILE]

Turns a Knox topology (HaProvider params, <service><role><url>) into the equivalent HA descriptor
(Knox's ha.xml format plus <url> children): every HA-managed service with its effective settings.

  -o, --output FILE   write the descriptor to FILE atomically instead of stdout

Exit status: 0 ok; 1 the file cannot be read, is not a topology or has errors (its diagnostics on
stdout, one summary line on stderr); 2 bad usage.
`;

/** Runs `convert`: the HA descriptor goes to stdout, or atomically to `-o FILE`. */
export async function runConvert(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('descriptor convert', argv, { output: { type: 'string', short: 'o' } });
  if (positionals.length !== 1) throw new UsageError('expected exactly one TOPOLOGY.xml');
  const file = positionals[0]!;
  const text = await readTextFile(file);
  let xml: string;
  try {
    xml = convertTopology(text, file);
  } catch (err) {
    const invalid = err instanceof DescriptorError && err.diagnostics.some((d) => d.severity === 'error');
    throw invalid ? diagnosticsError(`${file}: invalid, nothing converted`, err.diagnostics) : err;
  }
  if (values.output === undefined) process.stdout.write(xml);
  else await writeFileAtomic(values.output, xml);
  return 0;
}

/** `hadispatch descriptor convert TOPOLOGY.xml [-o FILE]`. */
import { UsageError, writeFileAtomic } from '../../core/index.js';
import { convertTopology, readTextFile } from '../../descriptor/index.js';
import { parseCommandArgs } from '../args.js';

/** Runs `convert`: the HA descriptor goes to stdout, or atomically to `-o FILE`. */
export async function runConvert(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('descriptor convert', argv, { output: { type: 'string', short: 'o' } });
  if (positionals.length !== 1) throw new UsageError('descriptor convert: expected exactly one TOPOLOGY.xml');
  const file = positionals[0]!;
  const xml = convertTopology(await readTextFile(file), file);
  if (values.output === undefined) process.stdout.write(xml);
  else await writeFileAtomic(values.output, xml);
  return 0;
}

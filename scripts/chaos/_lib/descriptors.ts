/** Descriptor text for the scenarios (built on the test helper's `haXml`). */
import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { haXml } from '../../../test/helpers/gateway.js';

export { haXml };

/** The topology every scenario serves, and the gateway path of its WHOAMI service. */
export const TOPOLOGY = 'chaos';
export const WHOAMI_PATH = `/gateway/${TOPOLOGY}/whoami`;

/** One load-balanced WHOAMI service over `urls` with extra attributes. */
export function whoamiXml(urls: readonly string[], attrs: Readonly<Record<string, string | number | boolean>> = {}): string {
  return haXml([{ name: 'WHOAMI', urls, attrs: { enableLoadBalancing: true, failoverSleep: 20, ...attrs } }]);
}

/** Writes `dir/NAME.xml` atomically (temp file + rename), as an operator's tooling would. */
export async function writeDescriptor(dir: string, name: string, xml: string): Promise<void> {
  const tmp = join(dir, `.${name}.xml.tmp-${process.pid}`);
  await writeFile(tmp, xml);
  await rename(tmp, join(dir, `${name}.xml`));
}

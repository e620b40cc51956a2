/** The per-child parser of each format (SPEC §5). */
import type { ZookeeperFormat } from '../../core/index.js';
import { parseAtlasChild } from './atlas.js';
import { parseCuratorChild } from './curator.js';
import { parseHbaseChild } from './hbase.js';
import { parseHiveChild } from './hive.js';
import { parseKafkaChild } from './kafka.js';
import { parseSolrChild } from './solr.js';
import type { ChildParser } from './types.js';
import { parseUrlChild } from './url.js';

/** The function turning one child of `format` into a URL, a skip or nothing. */
export function childParser(format: ZookeeperFormat): ChildParser {
  switch (format) {
    case 'hive': return parseHiveChild;
    case 'hbase': return parseHbaseChild;
    case 'kafka': return parseKafkaChild;
    case 'solr': return parseSolrChild;
    case 'atlas': return parseAtlasChild;
    case 'curator': return parseCuratorChild;
    case 'url': return parseUrlChild;
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

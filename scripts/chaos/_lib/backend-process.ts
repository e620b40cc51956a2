/**
 * A backend as its own process, so that it can be SIGKILLed. Run as
 * `node --import tsx scripts/chaos/_lib/backend-process.ts NAME PORT LOGFILE [GET_DELAY_MS] [POST_DELAY_MS]`.
 * Answers `200` with `x-backend: NAME` (GET after GET_DELAY_MS, POST after reading the body and
 * POST_DELAY_MS). Writes one byte per event to LOGFILE with a synchronous write, so the record survives
 * a SIGKILL: `G`/`P` when a GET/POST arrives, `g`/`p` when its answer was written. Prints `ready PORT`.
 */
import { createServer } from 'node:http';
import { openSync, writeSync } from 'node:fs';

const [name = 'b', portArg = '0', logFile = '/dev/null', getDelayArg = '0', postDelayArg = '0'] = process.argv.slice(2);
const getDelay = Number(getDelayArg);
const postDelay = Number(postDelayArg);
const fd = openSync(logFile, 'a');
const mark = (c: string): void => { writeSync(fd, c); };

const server = createServer((req, res) => {
  const isPost = req.method !== 'GET' && req.method !== 'HEAD';
  mark(isPost ? 'P' : 'G');
  const answer = (): void => {
    res.writeHead(200, { 'x-backend': name, 'content-type': 'text/plain' });
    res.end(name, () => mark(isPost ? 'p' : 'g'));
  };
  const delay = isPost ? postDelay : getDelay;
  req.resume();
  req.on('end', () => { if (delay > 0) setTimeout(answer, delay); else answer(); });
});
server.keepAliveTimeout = 5000;
server.listen(Number(portArg), '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`ready ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => { server.close(); process.exit(0); });

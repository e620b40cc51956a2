/**
 * A tiny HTTP client for dispatch tests (node:http, so every header is under the test's control).
 */
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

/** A received response, body as text. */
export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

/** Request options of {@link call}. */
export interface CallOptions {
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
}

/** Sends one request and reads the whole response; rejects on a broken connection. */
export function call(url: string, options: CallOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('aborted', () => { reject(new Error('response aborted')); });
      res.on('end', () => {
        if (!res.complete) { reject(new Error('response incomplete')); return; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `x-backend` header of a reply ('' when missing). */
export function backendOf(reply: Reply): string {
  const value = reply.headers['x-backend'];
  return typeof value === 'string' ? value : '';
}

/** Parses an error reply's JSON body. */
export function errorOf(reply: Reply): { code: string; message: string } {
  return JSON.parse(reply.body) as { code: string; message: string };
}

/** hadispatch's client-facing HTTP/1.1 server (see server.ts). */
export { createHttp1Server, type Http1Server } from './server.js';
export type { Http1Handler, Http1Request, Http1Response, Http1ServerOptions } from './types.js';

/** The part of node-http-proxy 1.18 the bench uses (the package ships no types). */
declare module 'http-proxy' {
  import type { Agent, IncomingMessage, ServerResponse } from 'node:http';
  import type { Socket } from 'node:net';

  interface ServerOptions { readonly agent?: Agent; readonly target?: string }
  interface ProxyServer {
    web(req: IncomingMessage, res: ServerResponse, options?: ServerOptions): void;
    on(event: 'error', listener: (err: Error, req: IncomingMessage, res: ServerResponse | Socket) => void): this;
  }
  const httpProxy: { createProxyServer(options?: ServerOptions): ProxyServer };
  export default httpProxy;
}

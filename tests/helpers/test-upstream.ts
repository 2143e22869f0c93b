// A mirror stand-in for the package path's tests, on the stand's own bridge address: it forwards
// each request to the real mirror the Host header names (so apt gets real, signed release files and
// packages) and behaves as a strict, slow, stalling or failing upstream would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type UpstreamMode =
  /** RFC 9112 section 3.2: a request with more than one Host header gets 400, as some mirrors' paths answer. */
  | 'strict'
  /** strict, and each answer starts `delayMs` late. */
  | 'slow'
  /** strict, and the first request for each release file gets its headers and half its body, then nothing. */
  | 'stall-once'
  /** 503 to everything. */
  | 'error';

export interface UpstreamRequest {
  method: string;
  url: string;
  hostHeaders: number;
  status: number;
}

export interface TestUpstream {
  /** host:port, for the package cache's `upstream` option. */
  address: string;
  requests: UpstreamRequest[];
  stalled: string[];
  close(): Promise<void>;
}

const RELEASE_FILE = /\/dists\/[^/]+\/(In)?Release(\.gpg)?$/;
/** What the mirror is asked with: the request's own headers that matter, each once. */
const FORWARDED = ['accept', 'user-agent', 'if-modified-since', 'if-none-match', 'range', 'if-range'];

export async function startTestUpstream(listenAddress: string, mode: UpstreamMode, delayMs = 0): Promise<TestUpstream> {
  const requests: UpstreamRequest[] = [];
  const stalled: string[] = [];
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const hostHeaders = req.rawHeaders.filter(
      (_, i) => i % 2 === 0 && req.rawHeaders[i]!.toLowerCase() === 'host',
    ).length;
    const record = (status: number) =>
      requests.push({ method: req.method ?? '', url: req.url ?? '', hostHeaders, status });
    if (hostHeaders !== 1) {
      record(400);
      res
        .writeHead(400, { 'content-type': 'text/plain', connection: 'close' })
        .end('400 Bad Request: one Host header\n');
      return;
    }
    if (mode === 'error') {
      record(503);
      res.writeHead(503, { 'content-type': 'text/plain' }).end('503 Service Unavailable (test upstream)\n');
      return;
    }
    const stall = mode === 'stall-once' && RELEASE_FILE.test(req.url ?? '') && !stalled.includes(req.url!);
    if (stall) stalled.push(req.url!);
    setTimeout(() => {
      const headers: Record<string, string> = { host: req.headers.host! };
      for (const h of FORWARDED) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
      const up = http.request(
        {
          host: req.headers.host!.split(':')[0],
          port: 80,
          method: req.method,
          path: req.url,
          headers,
          timeout: 30_000,
        },
        (upRes) => {
          record(upRes.statusCode ?? 502);
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          if (!stall) {
            upRes.pipe(res);
            return;
          }
          // Half the body, then silence with the connection open: the answer a racing cache gave.
          const length = Number(upRes.headers['content-length'] ?? 0);
          let sent = 0;
          upRes.on('data', (chunk: Buffer) => {
            if (sent >= length / 2) return;
            const part = chunk.subarray(0, Math.max(0, Math.floor(length / 2) - sent));
            sent += part.length;
            res.write(part);
          });
        },
      );
      up.on('timeout', () => up.destroy(new Error('mirror timeout')));
      up.on('error', () => {
        record(502);
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
      up.end();
    }, delayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenAddress, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `${listenAddress}:${port}`,
    requests,
    stalled,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

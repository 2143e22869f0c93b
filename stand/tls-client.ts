// How the project's tools (status, benchmarks, tests) reach the stand's services when TLS is on:
// the CA and the controller's client certificate from the pki folder (the pki role writes them),
// and a fetch-like request that uses them for https URLs.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { stand } from '../inventories/stand.js';
import { PROJECT_ROOT } from '../lib/python-env.js';

export const PKI_DIR = process.env.PGHA_PKI_DIR ?? path.join(PROJECT_ROOT, '.secrets', 'pki');

/** The scheme of the stand's Patroni REST API and etcd client URLs. */
export const scheme = (): 'https' | 'http' => (stand.tls ? 'https' : 'http');

export interface TlsMaterial {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

let material: TlsMaterial | undefined;

/** The CA and the controller's client certificate; an error naming the folder when missing. */
export function tlsMaterial(): TlsMaterial {
  if (material) return material;
  const read = (name: string) => {
    const file = path.join(PKI_DIR, name);
    if (!fs.existsSync(file))
      throw new Error(`${file} is missing: site.yml's pki play creates it (or set PGHA_PKI_DIR to the CA's folder)`);
    return fs.readFileSync(file);
  };
  material = { ca: read('ca.crt'), cert: read('controller.crt'), key: read('controller.key') };
  return material;
}

function pkiFile(name: string): Buffer {
  const file = path.join(PKI_DIR, name);
  if (!fs.existsSync(file))
    throw new Error(`${file} is missing: site.yml's pki play creates it (or set PGHA_PKI_DIR to the CA's folder)`);
  return fs.readFileSync(file);
}

let etcdMaterial: TlsMaterial | undefined;

/**
 * For etcd's client port, which takes only certificates of the etcd CA and serves one: the etcd
 * CA and the controller's etcd client certificate (no etcd user: health and status, no keys).
 */
export function etcdTlsMaterial(): TlsMaterial {
  etcdMaterial ??= {
    ca: pkiFile('etcd-ca.crt'),
    cert: pkiFile('etcd-controller.crt'),
    key: pkiFile('etcd-controller.key'),
  };
  return etcdMaterial;
}

export interface SimpleResponse {
  ok: boolean;
  status: number;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** fetch's subset the tools use, with the stand's CA and client certificate for https. */
export function request(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
    /** Another CA and client certificate than the pki folder's (tests present foreign ones). */
    tls?: TlsMaterial;
    /** The source address (tests call from an address the cluster does not know). */
    localAddress?: string;
  } = {},
): Promise<SimpleResponse> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const lib = secure ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method: init.method ?? 'GET',
        // Patroni's REST API answers a chunked body with 411: send its length.
        headers: {
          ...init.headers,
          ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
        },
        timeout: init.timeoutMs ?? 3000,
        ...(init.localAddress ? { localAddress: init.localAddress } : {}),
        ...(secure ? (init.tls ?? tlsMaterial()) : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            text: () => Promise.resolve(body),
            json: () => Promise.resolve(JSON.parse(body) as unknown),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${String(init.timeoutMs ?? 3000)} ms`)));
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/**
 * node-postgres `ssl` for the stand: the server's certificate verified against the CA; not its
 * name, since through HAProxy the address is the proxy's (libpq's verify-ca).
 */
export function pgSsl(): false | { ca: Buffer; checkServerIdentity: () => undefined } {
  return stand.tls ? { ca: tlsMaterial().ca, checkServerIdentity: () => undefined } : false;
}

// Watches etcd's client port on each member from the network while a deploy runs, as a holder of
// an etcd client certificate without a user would: a read of a key, every answer kept, so a test
// sees whether the port ever served it while etcd's authentication was off (such a client could
// then write too, or create root first), and that it did answer, refusing, once it was on.
import fs from 'node:fs';
import path from 'node:path';
import { PORTS } from '../../roles-src/ports.js';
import { PKI_DIR, request, type TlsMaterial } from '../../stand/tls-client.js';

export interface AuthAnswer {
  host: string;
  atSeconds: number;
  enabled: boolean;
}

export class EtcdOpenWatch {
  readonly answers: AuthAnswer[] = [];
  private running = false;
  private loop?: Promise<void>;
  private readonly t0 = performance.now();

  constructor(private readonly addresses: Readonly<Record<string, string>>) {}

  start(): void {
    this.running = true;
    this.loop = this.watch();
  }

  async stop(): Promise<AuthAnswer[]> {
    this.running = false;
    await this.loop;
    return this.answers;
  }

  private found?: TlsMaterial;

  /** The controller's etcd client certificate, once the deploy's pki play has made it (read once). */
  private material(): TlsMaterial | undefined {
    if (this.found) return this.found;
    const file = (n: string) => path.join(PKI_DIR, n);
    if (!['etcd-ca.crt', 'etcd-controller.crt', 'etcd-controller.key'].every((n) => fs.existsSync(file(n))))
      return undefined;
    return (this.found = {
      ca: fs.readFileSync(file('etcd-ca.crt')),
      cert: fs.readFileSync(file('etcd-controller.crt')),
      key: fs.readFileSync(file('etcd-controller.key')),
    });
  }

  private async watch(): Promise<void> {
    while (this.running) {
      const tls = this.material();
      if (tls)
        await Promise.all(
          Object.entries(this.addresses).map(async ([host, address]) => {
            try {
              const r = await request(`https://${address}:${PORTS.etcdClient}/v3/kv/range`, {
                method: 'POST',
                body: JSON.stringify({ key: Buffer.from('/pgha-open-probe').toString('base64') }),
                timeoutMs: 1000,
                tls,
              });
              const text = await r.text();
              // Served: authentication off. Refused for want of a user (etcd says "user name is
              // empty" or "permission denied"): on. Anything else says neither.
              if (!r.ok && !/user name is empty|permission denied/.test(text)) return;
              this.answers.push({ host, atSeconds: (performance.now() - this.t0) / 1000, enabled: !r.ok });
            } catch {
              // Refused or not answering: closed to this client, which is what is wanted.
            }
          }),
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

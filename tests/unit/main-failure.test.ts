// `npm run main`'s few lines for a failed step: each distinct Ansible failure once, with its hosts.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

async function summary(log: string, step: string) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-main-')), 'main.log');
  fs.writeFileSync(file, log);
  const r = await execa('node', ['tools/main-failure.mjs', file, step]);
  fs.rmSync(path.dirname(file), { recursive: true });
  return r.stdout;
}

const fatal = (host: string, msg: string) =>
  `fatal: [${host}]: FAILED! => ${JSON.stringify({ changed: false, msg: msg.replaceAll('HOST', host) })}`;

describe("main's failure summary", () => {
  it('gives each failure message once with the hosts it came from, from the failed step only', async () => {
    const msg =
      'apt-get update failed on HOST: http://m/debian/dists/bookworm/InRelease 400 Bad Request. Check the log.';
    const log = [
      '=== lint: npm run -s lint (t)',
      fatal('old', 'an earlier step'),
      '=== deploy: npx tsx stand/cli.ts play site (t)',
      'TASK [Read the package sources]',
      fatal('pg01', msg),
      fatal('pg02', msg),
      fatal('ns', 'another thing went wrong'),
      '',
    ].join('\n');
    expect((await summary(log, 'deploy')).split('\n')).toEqual([
      '  pg01, pg02: apt-get update failed on each: http://m/debian/dists/bookworm/InRelease 400 Bad Request. Check the log.',
      '  ns: another thing went wrong',
    ]);
  });

  it("falls back to the step's error lines when Ansible printed no failure", async () => {
    const log = '=== build: npm run -s build (t)\nroles-src/x.ts:3:1: bad thing\nbuild failed: TypeScript errors\n';
    expect(await summary(log, 'build')).toBe('  roles-src/x.ts:3:1: bad thing\n  build failed: TypeScript errors');
  });
});

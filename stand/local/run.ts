// Small process helpers shared by the stand's steps.
import { execa, type Options } from 'execa';
import fs from 'node:fs';
import { spawn } from 'node:child_process';

export async function run(cmd: string, args: string[], opts: Options = {}): Promise<string> {
  const r = await execa(cmd, args, { stdin: 'ignore', ...opts });
  return String(r.stdout ?? '');
}

export async function tryRun(cmd: string, args: string[], opts: Options = {}): Promise<boolean> {
  const r = await execa(cmd, args, { stdin: 'ignore', reject: false, ...opts });
  return r.exitCode === 0;
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); treat it as gone.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` is true or the deadline passes; returns the last result. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  stepMs = 200,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
}

export function progress(host: string, step: string): void {
  process.stderr.write(`[stand] ${host.padEnd(6)} ${step}\n`);
}

/** Starts a long-lived process in its own session, output appended to `log`; returns its PID. */
export function spawnDetached(cmd: string, args: string[], log: string): number {
  const out = fs.openSync(log, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  return child.pid;
}

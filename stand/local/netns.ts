// A stand host's network namespace, entered from the controller: what addresses the host holds
// can be read even while its link is cut or its processes are stalled (SSH would not answer).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { paths } from './paths.js';

const ownNetns = () => fs.readlinkSync('/proc/self/ns/net');

/** The host's systemd (PID 1 inside): nspawn puts it in the payload's init.scope. */
export function hostNetnsPid(name: string): number | undefined {
  const procs = path.join(paths.cgroupDirs(name)[1]!, 'payload', 'init.scope', 'cgroup.procs');
  if (!fs.existsSync(procs)) return undefined;
  const mine = ownNetns();
  for (const line of fs.readFileSync(procs, 'utf8').split('\n')) {
    const pid = Number(line);
    if (!pid) continue;
    try {
      if (fs.readlinkSync(`/proc/${pid}/ns/net`) !== mine) return pid;
    } catch {
      /* ended meanwhile */
    }
  }
  return undefined;
}

/** Whether the host has the address on one of its interfaces; undefined when it is not running. */
export async function hostHasAddress(name: string, address: string): Promise<boolean | undefined> {
  const pid = hostNetnsPid(name);
  if (pid === undefined) return undefined;
  const r = await execa(
    'nsenter',
    [`--net=/proc/${pid}/ns/net`, 'ip', '-4', '-o', 'addr', 'show', 'to', `${address}/32`],
    {
      reject: false,
      stdin: 'ignore',
      timeout: 2000,
    },
  );
  return r.exitCode === 0 ? r.stdout.trim().length > 0 : undefined;
}

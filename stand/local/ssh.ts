// The stand's SSH key and a helper to run commands in a host.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { paths } from './paths.js';
import { run } from './run.js';

export async function ensureSshKey(): Promise<string> {
  if (!fs.existsSync(paths.sshKey)) {
    fs.mkdirSync(path.dirname(paths.sshKey), { recursive: true, mode: 0o700 });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pgha-stand', '-f', paths.sshKey]);
  }
  return paths.sshKey;
}

export function sshArgs(address: string, timeoutSeconds = 5): string[] {
  return [
    '-i',
    paths.sshKey,
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${timeoutSeconds}`,
    '-o',
    `UserKnownHostsFile=${paths.knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'LogLevel=ERROR',
    `root@${address}`,
  ];
}

/** Runs a shell command in a host; resolves with exit code and output, never throws. */
/** `input` goes to the command's standard input: the way to pass a password, never the command line (`ps` shows it). */
/** `commandSeconds` bounds the whole command (120 s unless said). */
export async function sshExec(
  address: string,
  command: string,
  timeoutSeconds = 5,
  input?: string,
  commandSeconds = 120,
) {
  const r = await execa('ssh', [...sshArgs(address, timeoutSeconds), command], {
    reject: false,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    timeout: commandSeconds * 1000,
  });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Ends Ansible's shared SSH connections (ControlPersist masters, see ansible.cfg) when a host powers
 * off or loses its disk: a master to a dead host would otherwise linger, and a later run would
 * reach the host started blank (new keys) through it. All of them, since the sockets are named by
 * a hash; the others are opened again on the next task.
 */
export async function closeSshMasters(): Promise<void> {
  if (!fs.existsSync(paths.sshControlDir)) return;
  for (const name of fs.readdirSync(paths.sshControlDir)) {
    const socket = path.join(paths.sshControlDir, name);
    await execa('ssh', ['-o', `ControlPath=${socket}`, '-O', 'exit', 'stand-host'], { reject: false, timeout: 10_000 });
    fs.rmSync(socket, { force: true });
  }
}

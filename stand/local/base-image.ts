// The read-only Debian 12 root every host's overlay sits on. Built once from the machine's
// own apt mirror, then reused by every stand and clone on the machine.
import fs from 'node:fs';
import path from 'node:path';
import { paths } from './paths.js';
import { progress, run } from './run.js';
import { ensureSshKey } from './ssh.js';

const PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'python3',
  'sudo',
  'iproute2',
  'ca-certificates',
  'apt-utils',
  'procps',
  'iputils-ping',
  'netbase',
];

/** Reads the machine's bookworm mirror from its apt sources; never a hard-coded one. */
export function machineMirror(): string {
  const dir = '/etc/apt/sources.list.d';
  const texts: string[] = [];
  if (fs.existsSync('/etc/apt/sources.list')) texts.push(fs.readFileSync('/etc/apt/sources.list', 'utf8'));
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.endsWith('.sources') || f.endsWith('.list')) texts.push(fs.readFileSync(path.join(dir, f), 'utf8'));
    }
  }
  for (const text of texts) {
    // deb822 stanzas: URIs + Suites: bookworm
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]?.split(/\s+/) ?? [];
      if (uri && suites.includes('bookworm')) return uri;
    }
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (line?.[1]) return line[1];
  }
  throw new Error(
    "No Debian bookworm mirror found in /etc/apt/sources.list{,.d}: the stand builds its base image from the machine's own mirror.",
  );
}

export function baseExists(): boolean {
  return fs.existsSync(path.join(paths.base, '.pgha-base-ready'));
}

export async function ensureBaseImage(): Promise<void> {
  if (baseExists()) return;
  const mirror = machineMirror();
  fs.rmSync(paths.baseBuilding, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(paths.base), { recursive: true });
  progress('base', `debootstrap bookworm from ${mirror} (about a minute, once per machine)`);
  await run('debootstrap', [
    '--variant=minbase',
    `--include=${PACKAGES.join(',')}`,
    'bookworm',
    paths.baseBuilding,
    mirror,
  ]);
  progress('base', 'preparing the image');
  await prepareBase(paths.baseBuilding);
  fs.writeFileSync(path.join(paths.baseBuilding, '.pgha-base-ready'), new Date().toISOString() + '\n');
  fs.rmSync(paths.base, { recursive: true, force: true });
  fs.renameSync(paths.baseBuilding, paths.base);
}

async function prepareBase(root: string): Promise<void> {
  const at = (p: string) => path.join(root, p);
  // apt in the hosts uses the same sources as the machine (through the stand's proxy).
  for (const f of fs.readdirSync('/etc/apt/sources.list.d')) {
    if (
      f.endsWith('.sources') &&
      fs.readFileSync(path.join('/etc/apt/sources.list.d', f), 'utf8').includes('bookworm')
    ) {
      fs.copyFileSync(path.join('/etc/apt/sources.list.d', f), at(`etc/apt/sources.list.d/${f}`));
      fs.rmSync(at('etc/apt/sources.list'), { force: true });
    }
  }
  fs.rmSync(at('etc/resolv.conf'), { force: true });
  fs.writeFileSync(
    at('etc/resolv.conf'),
    '# No resolver until the dns role configures one; names come from /etc/hosts.\n',
  );
  fs.writeFileSync(at('etc/machine-id'), '');
  for (const f of fs.readdirSync(at('etc/ssh'))) {
    if (f.startsWith('ssh_host_')) fs.rmSync(at(`etc/ssh/${f}`));
  }
  const key = await ensureSshKey();
  fs.mkdirSync(at('root/.ssh'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(at('root/.ssh/authorized_keys'), fs.readFileSync(`${key}.pub`), { mode: 0o600 });
  await run('systemctl', [`--root=${root}`, 'enable', 'systemd-networkd.service']);
  await run('systemctl', [
    `--root=${root}`,
    'mask',
    'apt-daily.timer',
    'apt-daily-upgrade.timer',
    'e2scrub_all.timer',
    'e2scrub_reap.service',
    'fstrim.timer',
    'systemd-networkd-wait-online.service',
  ]);
  // Container quirk, handled by the stand and not by the roles: chrony's unit requires
  // CAP_SYS_TIME, which a container must not have; run it without touching the clock (-x).
  fs.mkdirSync(at('etc/systemd/system/chrony.service.d'), { recursive: true });
  fs.writeFileSync(
    at('etc/systemd/system/chrony.service.d/10-container.conf'),
    '[Unit]\nConditionCapability=\n\n[Service]\nExecStart=\nExecStart=!/usr/sbin/chronyd $DAEMON_OPTS -x\n',
  );
  // Keep images small and apt quiet about missing dialog frontends.
  fs.writeFileSync(
    at('etc/apt/apt.conf.d/90pgha-stand'),
    'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n',
  );
  await run('chroot', [root, 'apt-get', 'clean']);
}

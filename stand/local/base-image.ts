// The read-only Debian 12 root every host's overlay sits on. Built once from the machine's
// own apt mirror, then reused by every stand and clone on the machine.
import fs from 'node:fs';
import path from 'node:path';
import { paths } from './paths.js';
import { progress, run } from './run.js';
import { machineMirror } from './mirrors.js';
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

/** About a minute on a good path; 20 on a very slow one is still a bound. */
const DEBOOTSTRAP_TIMEOUT_MS = 20 * 60_000;

/** wget's settings for debootstrap: a stalled read gives up after 60 s, 3 tries. */
function boundedWgetrc(): string {
  const file = `${paths.baseBuilding}.wgetrc`;
  fs.writeFileSync(file, 'read_timeout = 60\nconnect_timeout = 20\ntries = 3\n');
  return file;
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
  // Bounded: a mirror that stalls ends the step with a message instead of an endless wait
  // (debootstrap's wget would wait 15 minutes per read and retry 20 times).
  try {
    await run(
      'debootstrap',
      ['--variant=minbase', `--include=${PACKAGES.join(',')}`, 'bookworm', paths.baseBuilding, mirror],
      { timeout: DEBOOTSTRAP_TIMEOUT_MS, env: { WGETRC: boundedWgetrc() } },
    );
  } catch (e) {
    const log = path.join(paths.baseBuilding, 'debootstrap', 'debootstrap.log');
    throw new Error(
      `building the base image from ${mirror} failed or took over ${DEBOOTSTRAP_TIMEOUT_MS / 60_000} min: ` +
        `${(e as Error).message.split('\n')[0]}. Check that the machine reaches that mirror (apt-get update), ` +
        `and debootstrap's log ${log}. Running the command again starts the image anew.`,
      { cause: e },
    );
  } finally {
    fs.rmSync(`${paths.baseBuilding}.wgetrc`, { force: true });
  }
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
      // apt reaches the mirror through the stand's HTTP proxy: plain http (the proxy speaks https
      // to an https mirror; InRelease's signature is what apt trusts either way).
      const text = fs.readFileSync(path.join('/etc/apt/sources.list.d', f), 'utf8');
      fs.writeFileSync(at(`etc/apt/sources.list.d/${f}`), text.replace(/^(URIs:\s*)https:\/\//gm, '$1http://'));
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

// Test helpers for the stand tier: the stand's CLI, SSH into hosts, Ansible runs and their recap.
import path from 'node:path';
import { execa } from 'execa';
import { ansibleEnv, mitogenEnv } from '../../lib/python-env.js';
import { hostAddress, layoutHosts, stand, vipAddress } from '../../inventories/stand.js';
import { sshExec } from '../../stand/local/ssh.js';
import { OPERATOR_USER } from '../../stand/pg-client.js';
import { ensureSecrets } from '../../ops/secrets.js';
import { ROOT, venvBin } from './project.js';
import { HOST_TLS_DIR } from '../../playbooks/lib/tls.js';

/** The hosts of the default layout, the one the stand tests share. */
export const hosts = layoutHosts('default');
/** A stand host's address; `vip`: the cluster's virtual IP, where clients connect. */
export const addressOf = (name: string) =>
  name === 'vip'
    ? vipAddress('local')
    : hostAddress(
        stand.hosts.find((h) => h.name === name)!,
        'local',
      );

export async function standCli(...args: string[]) {
  return tsxCli('stand/cli.ts', args);
}

/** `npm run ops -- ARGS` (secrets, play): the tools for any cluster. */
export async function opsCli(...args: string[]) {
  return tsxCli('ops/cli.ts', args);
}

async function tsxCli(script: string, args: string[]) {
  const r = await execa(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, script), ...args], {
    cwd: ROOT,
    reject: false,
  });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/** A POSIX shell word for any text (the stand tier's passwords are hostile on purpose). */
export const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export async function onHost(name: string, command: string) {
  return sshExec(addressOf(name), command, 10);
}

/** Who psqlOnHost logs in as: the operations' user unless another is named. */
const PSQL_LOGINS = {
  operator: () => ({ user: OPERATOR_USER, password: ensureSecrets().pgha_operator_password }),
  superuser: () => ({ user: 'postgres', password: ensureSecrets().pgha_superuser_password }),
  replication: () => ({ user: 'replicator', password: ensureSecrets().pgha_replication_password }),
  rewind: () => ({ user: 'rewind', password: ensureSecrets().pgha_rewind_password }),
} as const;

/**
 * psql on a stand host to `conninfo`, the password on psql's standard input (read into PGPASSWORD
 * there): never on a command line, where `ps` on either end shows it.
 */
export async function psqlOnHost(
  name: string,
  conninfo: string,
  sql: string,
  login: keyof typeof PSQL_LOGINS = 'operator',
) {
  const { user, password } = PSQL_LOGINS[login]();
  return sshExec(
    addressOf(name),
    `IFS= read -r PGPASSWORD && export PGPASSWORD && psql -XAtq -c ${shellQuote(sql)} ${shellQuote(`${conninfo} user=${user} dbname=postgres connect_timeout=5`)} 2>&1`,
    10,
    `${password}\n`,
  );
}

/**
 * An etcdctl command line for a stand host as root administers the cluster: the etcd role's
 * pgha-etcdctl (etcd's root user once authentication is on, the host's certificate with TLS).
 */
export function etcdctl(endpoint: string, args: string): string {
  return `/usr/local/sbin/pgha-etcdctl --endpoints=${stand.tls ? 'https' : 'http'}://${endpoint} ${args}`;
}

/** Plain etcdctl with the host's etcd client certificate (with TLS) and no etcd user, as a process that may read its key could run it. */
export function etcdctlWithoutUser(endpoint: string, args: string): string {
  const tls = stand.tls
    ? ` --cacert=${HOST_TLS_DIR}/etcd-ca.crt --cert=${HOST_TLS_DIR}/etcd-client.crt --key=${HOST_TLS_DIR}/etcd-client.key`
    : '';
  return `ETCDCTL_API=3 etcdctl --endpoints=${stand.tls ? 'https' : 'http'}://${endpoint}${tls} ${args}`;
}

/** Runs out/<name>.yml, or a playbook file given by its path (e.g. in a scratch project's out/). */
export async function playbook(name: string, ...args: string[]) {
  return playbookWith({}, name, ...args);
}

/** `playbook` with extra environment variables (another secrets file, a vault password file). */
export async function playbookWith(env: Record<string, string>, name: string, ...args: string[]) {
  const t0 = performance.now();
  const file = name.includes('/') ? name : path.join(ROOT, 'out', `${name}.yml`);
  const r = await execa(venvBin('ansible-playbook'), [file, ...args], {
    cwd: ROOT,
    reject: false,
    all: true,
    env: {
      ...ansibleEnv(),
      ...mitogenEnv(),
      ANSIBLE_NOCOLOR: '1',
      PGHA_SECRETS_FILE: process.env.PGHA_SECRETS_FILE ?? path.join(ROOT, '.secrets/cluster.yml'),
      ...env,
    },
  });
  return { code: r.exitCode, output: r.all, seconds: (performance.now() - t0) / 1000 };
}

/** PLAY RECAP counters per host. */
export function recap(output: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const section = output.split('PLAY RECAP').pop() ?? '';
  for (const m of section.matchAll(/^(\S+)\s+:\s+(.*)$/gm)) {
    out[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1]!, Number(x[2])]));
  }
  return out;
}

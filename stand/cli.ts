// The stand's command line: npm run stand:up / stand:down / stand:status.
import { Command } from 'commander';
import readline from 'node:readline/promises';
import { RESTORE_CLUSTER } from '../playbooks/restore.js';
import { clusterStatus, formatClusterStatus } from './cluster-status.js';
import { runPlaybook } from '../ops/play.js';
import { stand } from '../inventories/stand.js';
import { activeHosts, activeInventory, isLayout } from './local/layout.js';
import { formatStandStatus, standDown, standStatus, standUp } from './local/stand.js';

import type { ServiceAction } from './local/faults.js';

const faults = () => import('./local/faults.js');

/**
 * restore replaces every member's data: on a terminal, the operator types the cluster's name;
 * without one (a script), only --yes goes on. What is typed goes to restore.yml, which checks it.
 */
async function askCluster(): Promise<string> {
  if (!process.stdin.isTTY)
    throw new Error(
      `restore stops every member of cluster '${RESTORE_CLUSTER}' and replaces its data: pass --yes to go ahead`,
    );
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (
      await rl.question(
        `restore stops every member of cluster '${RESTORE_CLUSTER}' and replaces its data. Type the cluster's name to go ahead: `,
      )
    ).trim();
  } finally {
    rl.close();
  }
}

const program = new Command('stand').description(
  `The local container stand, in one of its layouts: ${Object.entries(stand.layouts)
    .map(([name, hosts]) => `${name} (${hosts.join(', ')})`)
    .join('; ')}`,
);

async function timed(label: string, fn: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  await fn();
  process.stderr.write(`[stand] ${label} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

program
  .command('up')
  .description('build the base image if needed and start the hosts of a layout')
  .option('--layout <name>', `${Object.keys(stand.layouts).join(' or ')} (default: the one that is up, else default)`)
  .action((opts: { layout?: string }) => {
    const { layout } = opts;
    if (layout === undefined) return timed('up', () => standUp());
    if (!isLayout(layout))
      return program.error(
        `--layout: no layout '${layout}' in inventories/stand.ts (there are ${Object.keys(stand.layouts).join(', ')})`,
      );
    return timed('up', () => standUp(layout));
  });
program
  .command('base')
  .description("build the hosts' Debian base image if the machine has none (up does it too)")
  .action(() => timed('base image', async () => (await import('./local/base-image.js')).ensureBaseImage()));
program
  .command('down')
  .description('stop the hosts and remove every trace of the stand')
  .action(() => timed('down', standDown));
program
  .command('status')
  .description('show each host and the package cache')
  .option('--json', 'print JSON')
  .action((opts: { json?: boolean }) => {
    const s = standStatus();
    console.log(opts.json ? JSON.stringify(s, null, 2) : formatStandStatus(s));
  });

program
  .command('cluster-status')
  .description('the cluster as patronictl list shows it, plus HAProxy backends')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const s = await clusterStatus();
    console.log(opts.json ? JSON.stringify(s, null, 2) : formatClusterStatus(s));
    if (!s.members.length) process.exitCode = 1;
  });
program
  .command('op')
  .description(
    'run an operation playbook: switchover [--to MEMBER], failover --to MEMBER [--force], config, ' +
      'backup [--type full|diff|incr], restore-drill [--target-time T] [--check-table NAME], restore --type TYPE [--target T], ' +
      'restore-cleanup --copies all|STAMP,...',
  )
  .argument('<operation>', 'switchover, failover, config, backup, restore-drill, restore or restore-cleanup')
  .option('--to <member>', 'the member to make leader')
  .option('--force', 'failover: allow moving away from a healthy leader')
  .option('--type <type>', 'backup: full, diff or incr; restore: latest, time, lsn, name or backup')
  .option('--target <target>', "restore: the time ('YYYY-MM-DD HH:MM:SS+ZZ'), LSN (X/Y), restore point or backup label")
  .option('--target-time <time>', 'restore-drill: recover the scratch instance to this time')
  .option('--check-table <name>', 'restore-drill: report this table’s row count')
  .option('--yes', `restore: do not ask; the cluster (${RESTORE_CLUSTER}) is named for you`)
  .option('--copies <copies>', "restore-cleanup: 'all', or the time stamps npm run status lists (comma-separated)")
  .action(
    async (
      operation: string,
      opts: {
        to?: string;
        force?: boolean;
        type?: string;
        target?: string;
        targetTime?: string;
        checkTable?: string;
        yes?: boolean;
        copies?: string;
      },
    ) => {
      const e = (name: string, value: string | undefined) =>
        value === undefined ? [] : ['-e', `${name}=${JSON.stringify(value)}`];
      const extra: Record<string, string[]> = {
        switchover: e('switchover_candidate', opts.to),
        failover: [
          ...e('failover_candidate', opts.to),
          ...(opts.force ? ['-e', 'failover_allow_healthy_leader=true'] : []),
        ],
        config: [],
        backup: e('backup_type', opts.type),
        'restore-drill': [...e('drill_target_time', opts.targetTime), ...e('drill_check_table', opts.checkTable)],
        restore: [
          ...e('restore_type', opts.type),
          ...e('restore_target', opts.target),
          ...(operation === 'restore' ? e('restore_confirm', opts.yes ? RESTORE_CLUSTER : await askCluster()) : []),
        ],
        'restore-cleanup': e('restore_cleanup', opts.copies),
      };
      if (!(operation in extra))
        throw new Error(`unknown operation '${operation}': expected ${Object.keys(extra).join(', ')}`);
      if (operation === 'failover' && !opts.to) throw new Error('failover needs --to MEMBER (the replica to promote)');
      await runPlaybook(operation, extra[operation], activeInventory());
    },
  );
program
  .command('bench-ops')
  .description('write unavailability and lost writes seen by a client during a switchover')
  .option('--rounds <n>', 'switchovers to measure', '3')
  .action(async (opts: { rounds: string }) => {
    const { benchSwitchover } = await import('./bench-ops.js');
    await benchSwitchover(Number(opts.rounds));
  });
program
  .command('bench-deploy')
  .description('fresh and unchanged site.yml per layout, TLS on and off, each beside a floor of as many trivial tasks')
  .option('--layouts <names>', 'comma-separated stand layouts', 'default,five')
  .option('--tls <values>', 'comma-separated: on, off', 'on,off')
  .option('--no-fresh', 'only the unchanged run, on the stand as it is')
  .action(async (opts: { layouts: string; tls: string; fresh: boolean }) => {
    const layouts = opts.layouts.split(',');
    const bad = layouts.filter((l) => !isLayout(l));
    if (bad.length) return program.error(`--layouts: no layout ${bad.join(', ')} in inventories/stand.ts`);
    const { benchDeploy } = await import('./bench-deploy.js');
    await benchDeploy({
      layouts: layouts.filter(isLayout),
      tls: opts.tls.split(',').map((t) => t === 'on'),
      fresh: opts.fresh,
    });
  });
program
  .command('bench-dr')
  .description('backup, restore drill and whole-cluster restore times on a pgbench database of about 1 GB')
  .option('--scale <n>', 'pgbench scale (64: about 1 GB)', '64')
  .option('--all-hosts-loss', 'also kill and wipe every database host, then site.yml and restore.yml (RPO)')
  .action(async (opts: { scale: string; allHostsLoss?: boolean }) => {
    const { benchDr } = await import('./bench-dr.js');
    await benchDr({ scale: Number(opts.scale), allHostsLoss: opts.allHostsLoss === true });
  });
const fault = program
  .command('fault')
  .description('inject a fault into one stand host, or end it (see README: Faults)');
const hostFault = (name: string, description: string, fn: (host: string) => Promise<void>) =>
  fault
    .command(name)
    .description(description)
    .argument('<host>', 'ns, pg01, pg02 or pg03')
    .action((host: string) => timed(`${name} ${host}`, () => fn(host)));
hostFault('kill', 'power loss: every process of the host at once; its disk stays', (h) =>
  faults().then((f) => f.killHost(h)),
);
hostFault('start', 'boot a killed host with its disk (or a wiped one blank)', (h) =>
  faults().then((f) => f.startHost(h)),
);
hostFault('wipe', 'disk loss: remove the host and its disk; start boots it blank', (h) =>
  faults().then((f) => f.wipeHost(h)),
);
hostFault('stall', 'pause every process of the host', (h) => faults().then((f) => f.stallHost(h)));
hostFault('resume', 'resume a stalled host', (h) => faults().then((f) => f.resumeHost(h)));
hostFault('cut', "take the host's network link down", (h) => faults().then((f) => f.cutOffHost(h)));
hostFault('reconnect', "bring the host's network link up again", (h) => faults().then((f) => f.reconnectHost(h)));
fault
  .command('service')
  .description('stop, start or kill (SIGKILL) one service in a host; "postgresql" is the postmaster Patroni runs')
  .argument('<action>', 'stop, start, restart or kill')
  .argument('<host>', 'the host')
  .argument('<service>', 'a systemd unit (etcd, patroni, haproxy...) or postgresql')
  .action((action: string, host: string, service: string) => {
    if (!['stop', 'start', 'restart', 'kill'].includes(action))
      throw new Error(`unknown action '${action}': expected stop, start, restart or kill`);
    return timed(`${action} ${service} on ${host}`, () =>
      faults().then((f) => f.serviceFault(host, service, action as ServiceAction)),
    );
  });
fault
  .command('heal')
  .description('end every fault: resume, reconnect and boot (with their disks) all hosts')
  .action(() => timed('heal', async () => (await faults()).healAll(activeHosts().map((h) => h.name))));

program
  .command('bench-ha')
  .description(
    'fault scenarios with a writing client: unavailability, lost writes, heal time, split brain; writes a report',
  )
  .argument('[scenario...]', 'scenarios to run (default: all)')
  .option('--async', 'run with asynchronous replication (the cluster is put back as it was afterwards)')
  .option('--out <dir>', 'report folder (default: bench-results/ha-<time>)')
  .action(async (names: string[], opts: { async?: boolean; out?: string }) => {
    const { benchHa } = await import('./ha/bench.js');
    await benchHa(names, opts);
  });
program
  .command('play')
  .description('run an emitted playbook (out/NAME.yml) against the stand')
  .argument('<name>', 'playbook name, e.g. site')
  .argument('[ansibleArgs...]', 'extra ansible-playbook arguments')
  .action((name: string, ansibleArgs: string[]) => runPlaybook(name, ansibleArgs, activeInventory()));

program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`stand: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

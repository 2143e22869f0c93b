// The faults the cluster must survive, each as: what to break, for how long, and how the fault
// ends. Every scenario starts from a healed cluster and picks its victim from the roles then.
import { execa, type ResultPromise } from 'execa';
import { PROJECT_ROOT } from '../../lib/python-env.js';
import { ensureSecrets } from '../../ops/secrets.js';
import {
  cutOffHost,
  killHost,
  reconnectHost,
  resumeHost,
  serviceFault,
  stallHost,
  startHost,
} from '../local/faults.js';
import { sshExec } from '../local/ssh.js';
import { stand } from '../../inventories/stand.js';
import { dbHosts, etcdHosts, patroniWrite, vipHolder, waitUntil } from './cluster-view.js';

export interface Roles {
  leader: string;
  sync?: string;
  replicas: string[];
  /** The database host holding the virtual IP. */
  vipHolder?: string;
}

export interface Scenario {
  name: string;
  title: string;
  /** Arranges the cluster before the client starts (e.g. where the virtual IP is); returns the roles then. */
  arrange?(r: Roles): Promise<Roles>;
  /** Breaks something; returns once the fault is in place. */
  inject(r: Roles): Promise<void>;
  /** Checks what must hold while the fault lasts (within holdSeconds); throws when it does not. */
  during?(r: Roles): Promise<void>;
  /** Seconds the fault lasts before `end` (0: the fault is a single event). */
  holdSeconds: number;
  end?(r: Roles): Promise<void>;
}

/** The etcd member on the leader's host when it runs one, else the first member. */
function etcdMemberToStop(r: { leader: string }): string {
  const members: string[] = etcdHosts().map((h) => h.name);
  return members.includes(r.leader) ? r.leader : members[0]!;
}

/** A majority of the etcd members, the leader's host's spared: etcd loses quorum. */
function etcdMajority(r: { leader: string }): string[] {
  const members: string[] = etcdHosts().map((h) => h.name);
  return members.filter((h) => h !== r.leader).slice(0, Math.floor(members.length / 2) + 1);
}

const addressOf = (name: string) => dbHosts().find((h) => h.name === name)!.address;

async function switchover(r: Roles): Promise<void> {
  const res = await patroniWrite(
    addressOf(r.leader),
    'POST',
    '/switchover',
    ensureSecrets().pgha_rest_api_password,
    { leader: r.leader },
    30_000,
  );
  if (!res.ok) throw new Error(`switchover refused: ${res.status} ${await res.text()}`);
}

/**
 * Puts the virtual IP on one host: keepalived stopped everywhere else until the host holds it,
 * then started again (as backups, which never take the address from a healthy holder).
 */
export async function placeVip(host: string, r: Roles): Promise<Roles> {
  if (r.vipHolder === host) return r;
  const others = dbHosts()
    .map((h) => h.name)
    .filter((h) => h !== host);
  for (const h of others) await serviceFault(h, 'keepalived', 'stop');
  try {
    if (!(await waitUntil(async () => (await vipHolder()) === host, 15_000, 200)))
      throw new Error(`the virtual IP did not move to ${host} within 15 s`);
  } finally {
    for (const h of others) await serviceFault(h, 'keepalived', 'start');
  }
  return { ...r, vipHolder: host };
}

/** The replica that is not the synchronous standby (its loss costs commits nothing). */
const asyncReplica = (r: Roles) => r.replicas.find((h) => h !== r.sync) ?? r.replicas[0]!;
const holder = (r: Roles) => {
  if (!r.vipHolder) throw new Error('no host holds the virtual IP');
  return r.vipHolder;
};

const sleepSeconds = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

/**
 * With ns gone, every database host still resolves the others and the virtual IP's name (from
 * /etc/hosts) and still has a time source it can reach (its peers).
 */
async function expectClusterWithoutNs(): Promise<void> {
  const names = [...dbHosts().map((h) => h.name), 'db'];
  for (const h of dbHosts()) {
    const r = await sshExec(
      h.address,
      `for n in ${names.join(' ')}; do getent hosts "$n.${stand.domain}" || echo "unresolved $n"; done; chronyc -n -c sources`,
    );
    if (r.code !== 0 || r.stdout.includes('unresolved'))
      throw new Error(`${h.name} without ns: ${r.stdout.trim()} ${r.stderr.trim()}`);
    const reachablePeers = r.stdout.split('\n').filter((l) => l.startsWith('=,') && !l.split(',')[5]?.match(/^0$/));
    if (reachablePeers.length === 0) throw new Error(`${h.name} without ns reaches no time peer:\n${r.stdout}`);
  }
}

/** Two type-checks of the project in a loop, one per core of this machine: builds running in parallel. */
let load: { running: boolean; loops: Promise<void>[]; current: Set<ResultPromise> } | undefined;
function startLoad(): Promise<void> {
  const state = { running: true, loops: [] as Promise<void>[], current: new Set<ResultPromise>() };
  const loop = async () => {
    while (state.running) {
      const p = execa('node_modules/.bin/tsc', ['--noEmit', '-p', 'tsconfig.json'], {
        cwd: PROJECT_ROOT,
        reject: false,
      });
      state.current.add(p);
      await p;
      state.current.delete(p);
    }
  };
  state.loops = [loop(), loop()];
  load = state;
  return Promise.resolve();
}
async function stopLoad(): Promise<void> {
  if (!load) return;
  load.running = false;
  for (const p of load.current) p.kill();
  await Promise.all(load.loops);
  load = undefined;
}

/** The replica to hurt: the synchronous standby, whose loss stalls commits until Patroni reacts. */
const victimReplica = (r: Roles) => r.sync ?? r.replicas[0]!;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'leader-kill',
    title: 'Leader host killed (power loss), started again with its disk 30 s later',
    inject: (r) => killHost(r.leader),
    // Longer than Patroni's detection (ttl 20 s, then a loop of 5 s) with room for the promotion.
    holdSeconds: 30,
    end: (r) => startHost(r.leader),
  },
  {
    name: 'leader-postgres-kill',
    title: 'Leader PostgreSQL postmaster killed with SIGKILL, Patroni alive',
    inject: (r) => serviceFault(r.leader, 'postgresql', 'kill'),
    holdSeconds: 0,
  },
  {
    name: 'leader-cut',
    title: 'Leader cut off the network, reconnected 30 s later',
    inject: (r) => cutOffHost(r.leader),
    holdSeconds: 30,
    end: (r) => reconnectHost(r.leader),
  },
  {
    name: 'leader-stall',
    title: 'Leader host stalled (every process paused) for 30 s, longer than the leader TTL, then resumed',
    inject: (r) => stallHost(r.leader),
    holdSeconds: 30,
    end: (r) => resumeHost(r.leader),
  },
  {
    name: 'replica-kill',
    title: 'Synchronous replica host killed, started again with its disk 20 s later',
    inject: (r) => killHost(victimReplica(r)),
    holdSeconds: 20,
    end: (r) => startHost(victimReplica(r)),
  },
  {
    name: 'etcd-member-stop',
    title: "One etcd member stopped for 20 s (the one on the leader's host, if it runs one)",
    inject: (r) => serviceFault(etcdMemberToStop(r), 'etcd', 'stop'),
    holdSeconds: 20,
    end: (r) => serviceFault(etcdMemberToStop(r), 'etcd', 'start'),
  },
  {
    name: 'etcd-quorum-loss',
    title:
      "etcd stopped on a majority of its members for 40 s (no quorum; the leader's host keeps its own), PostgreSQL hosts healthy",
    inject: async (r) => {
      for (const h of etcdMajority(r)) await serviceFault(h, 'etcd', 'stop');
    },
    holdSeconds: 40,
    end: async (r) => {
      for (const h of etcdMajority(r)) await serviceFault(h, 'etcd', 'start');
    },
  },
  {
    name: 'haproxy-restart',
    title: 'HAProxy restarted on the host holding the virtual IP',
    inject: (r) => serviceFault(holder(r), 'haproxy', 'restart'),
    holdSeconds: 0,
  },
  {
    name: 'vip-holder-kill',
    title: 'Host holding the virtual IP (a replica, not the synchronous one) killed, started again 20 s later',
    arrange: (r) => placeVip(asyncReplica(r), r),
    inject: (r) => killHost(holder(r)),
    holdSeconds: 20,
    end: (r) => startHost(holder(r)),
  },
  {
    name: 'leader-vip-kill',
    title: 'Leader host killed while it also holds the virtual IP, started again 30 s later',
    arrange: (r) => placeVip(r.leader, r),
    inject: (r) => killHost(r.leader),
    holdSeconds: 30,
    end: (r) => startHost(r.leader),
  },
  {
    name: 'vip-haproxy-stop',
    title: 'HAProxy stopped (service only) on the host holding the virtual IP, started again 20 s later',
    inject: (r) => serviceFault(holder(r), 'haproxy', 'stop'),
    holdSeconds: 20,
    end: (r) => serviceFault(holder(r), 'haproxy', 'start'),
  },
  {
    name: 'ns-kill',
    title:
      'The hosts off the write path killed: ns (name and time server) and bk (backup repository), started again 60 s later',
    inject: async () => {
      await Promise.all([killHost('ns'), killHost('bk')]);
    },
    during: async () => {
      await sleepSeconds(10);
      await expectClusterWithoutNs();
    },
    // Longer than archive_timeout: the leader queues at least one segment for the absent repository.
    holdSeconds: 60,
    end: async () => {
      await Promise.all([startHost('ns'), startHost('bk')]);
    },
  },
  {
    name: 'ns-cut',
    title: 'Infrastructure host ns cut off the network, reconnected 30 s later',
    inject: () => cutOffHost('ns'),
    holdSeconds: 30,
    end: () => reconnectHost('ns'),
  },
  {
    name: 'loaded-machine',
    title: 'No fault: both cores of the machine busy with type-checks for 90 s (false failovers?)',
    inject: startLoad,
    holdSeconds: 90,
    end: stopLoad,
  },
  {
    name: 'switchover',
    title: "Switchover through Patroni's REST API (planned)",
    inject: switchover,
    holdSeconds: 0,
  },
];

export function scenarioNamed(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown scenario '${name}': expected one of ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}

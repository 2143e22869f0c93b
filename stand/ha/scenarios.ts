// The faults the cluster must survive, each as: what to break, for how long, and how the fault
// ends. Every scenario starts from a healed cluster and picks its victim from the roles then.
import { execa, type ResultPromise } from 'execa';
import { PROJECT_ROOT } from '../../lib/python-env.js';
import { ensureSecrets } from '../secrets.js';
import {
  cutOffHost,
  killHost,
  reconnectHost,
  resumeHost,
  serviceFault,
  stallHost,
  startHost,
} from '../local/faults.js';
import { dbHosts, etcdHosts, patroniWrite } from './cluster-view.js';

export interface Roles {
  leader: string;
  sync?: string;
  replicas: string[];
}

export interface Scenario {
  name: string;
  title: string;
  /** Breaks something; returns once the fault is in place. */
  inject(r: Roles): Promise<void>;
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
    title: 'HAProxy restarted on ns',
    inject: () => serviceFault('ns', 'haproxy', 'restart'),
    holdSeconds: 0,
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

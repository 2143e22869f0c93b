// Building blocks of the operation playbooks: Patroni's REST API called from the control host
// (the HAProxy host, which sees the members as HAProxy does), the cluster's view and its
// preconditions, SQL checks on one member, and a switchover that waits until clients follow.
import { PORTS } from '../../roles-src/ports.js';
import { assert, debug, postgresql_query, set_fact, task, type TaskItem, uri, wait_for } from '../../dsl/index.js';
import type { RawValue } from '../../dsl/module.js';
import { ENTRY_HOST, operatorLogin, pgLogin, RW_PORT } from './connection.js';
import { CA_FILE, TLS_ON } from './tls.js';

export const PATRONI_PORT = PORTS.patroniRest;
/** Roles of a replica in GET /cluster (Patroni 4 names the synchronous ones apart). */
export const REPLICA_ROLES = ['replica', 'sync_standby', 'quorum_standby'] as const;
const replicaRoles = `[${REPLICA_ROLES.map((r) => `'${r}'`).join(', ')}]`;
/**
 * Host pattern of the control host: the first infrastructure host, in the clients' network (the
 * site's tools play gives it the PostgreSQL client libraries).
 */
export const CONTROL_HOST = 'infra[0]';

/** Jinja expression for a member's address; `member` is itself a Jinja expression. */
export const addressOf = (member: string) => `hostvars[${member}].ansible_host`;
const url = (member: string, path: string) =>
  `{{ 'https' if ${TLS_ON} else 'http' }}://{{ ${addressOf(member)} }}:${PATRONI_PORT}${path}`;
const verify = { ca_path: `{{ '${CA_FILE}' if ${TLS_ON} else omit }}` } as const;
const auth = { url_username: 'patroni', url_password: '{{ pgha_rest_api_password }}', force_basic_auth: true } as const;

export const restGet = (member: string, path: string) =>
  uri({ url: url(member, path), ...verify, method: 'GET', return_content: true, status_code: [200, 503], timeout: 5 });

export const restCall = (
  member: string,
  path: string,
  method: 'POST' | 'PATCH',
  body: RawValue,
  statusCode: number[] = [200],
) =>
  uri({
    url: url(member, path),
    ...verify,
    method,
    ...auth,
    body_format: 'json',
    body,
    return_content: true,
    status_code: statusCode,
    timeout: 90,
  });

/** One member's recovery and WAL receiver state, read over SQL from the control host. */
export const memberSql = (member: string, query: string) =>
  postgresql_query({
    ...pgLogin,
    login_host: `{{ ${addressOf(member)} }}`,
    login_port: PORTS.postgres,
    login_db: 'postgres',
    query,
  });

export const RECEIVER_SQL =
  "SELECT pg_is_in_recovery() AS in_recovery, coalesce((SELECT status FROM pg_stat_wal_receiver), '') AS receiver, " +
  "coalesce((SELECT sender_host FROM pg_stat_wal_receiver), '') AS sender";

/**
 * Reads the cluster as Patroni sees it (GET /cluster, from every member that answers) into facts:
 * pgha_cluster, pgha_leaders (names), pgha_running (names), pgha_down (inventory members not running),
 * pgha_sync_standbys (names; empty in asynchronous mode) and pgha_candidates (replicas, the
 * synchronous standbys first, then by lag): who a switchover may choose.
 */
export function readCluster(): TaskItem[] {
  return [
    task('Read the cluster from every member that answers', restGet('item', '/cluster'), {
      loop: "{{ groups['pg'] }}",
      register: 'pgha_cluster_views',
      failed_when: false,
      changed_when: false,
    }),
    task(
      'Keep the cluster view',
      set_fact({
        pgha_cluster:
          "{{ pgha_cluster_views.results | selectattr('status', 'equalto', 200) | map(attribute='json') | first | default({'members': []}, true) }}",
      }),
    ),
    task(
      'Name the leaders and the members that run',
      set_fact({
        pgha_leaders:
          "{{ pgha_cluster.members | selectattr('role', 'in', pgha_leader_roles) | map(attribute='name') | list }}",
        pgha_running:
          "{{ pgha_cluster.members | selectattr('state', 'in', ['running', 'streaming']) | map(attribute='name') | list }}",
      }),
      { vars: { pgha_leader_roles: ['leader', 'master', 'primary', 'standby_leader'] } },
    ),
    task('Name the members that are down', set_fact({ pgha_down: "{{ groups['pg'] | difference(pgha_running) }}" })),
    task(
      'Name the synchronous standbys and the replicas by lag',
      set_fact({
        pgha_sync_standbys:
          "{{ pgha_cluster.members | selectattr('role', 'equalto', 'sync_standby') | map(attribute='name') | list }}",
        pgha_replicas_by_lag:
          "{{ pgha_cluster.members | selectattr('role', 'in', pgha_repl_roles) | selectattr('lag', 'number') | sort(attribute='lag') | map(attribute='name') | list }}",
      }),
      { vars: { pgha_repl_roles: [...REPLICA_ROLES] } },
    ),
    task(
      'Name the switchover candidates, synchronous standbys first',
      set_fact({ pgha_candidates: '{{ (pgha_sync_standbys + pgha_replicas_by_lag) | unique }}' }),
    ),
  ];
}

/** The preconditions of switchover and config: one leader, every member running, nothing scheduled. */
export function requireHealthyCluster(operation: string): TaskItem[] {
  return [
    task(
      'Require an answer from Patroni',
      assert({
        that: ['pgha_cluster.members | length > 0'],
        quiet: true,
        fail_msg: `${operation}: no member's Patroni REST API answers (port ${PATRONI_PORT} on {{ groups['pg'] | join(', ') }})`,
      }),
    ),
    task(
      'Require exactly one leader',
      assert({
        that: ['pgha_leaders | length == 1'],
        quiet: true,
        fail_msg: `${operation} refused: the cluster has {{ pgha_leaders | length }} leaders ({{ pgha_leaders | join(', ') or 'none' }}); when the leader is gone, use the failover playbook`,
      }),
    ),
    task(
      'Require every member to run',
      assert({
        that: ['pgha_down | length == 0'],
        quiet: true,
        fail_msg: `${operation} refused: {{ pgha_down | join(', ') }} not running (Patroni sees {{ pgha_cluster.members | map(attribute='name') | join(', ') }}); bring it back first, or use the failover playbook`,
      }),
    ),
    task(
      'Require no scheduled switchover and no maintenance mode',
      assert({
        that: ['pgha_cluster.scheduled_switchover is not defined', 'not (pgha_cluster.pause | default(false))'],
        quiet: true,
        fail_msg: `${operation} refused: a switchover is already scheduled ({{ pgha_cluster.scheduled_switchover | default('') }}) or the cluster is paused`,
      }),
    ),
  ];
}

/** Checks that `candidate` (a fact holding a member name) is a streaming replica within the lag bound. */
export function requireGoodCandidate(operation: string, candidate: string, maxLag: string): TaskItem[] {
  const member = `(pgha_cluster.members | selectattr('name', 'equalto', ${candidate}) | first | default({}))`;
  return [
    task(
      'Require the candidate to be a replica',
      assert({
        that: [`${candidate} not in pgha_leaders`, `${member}.role | default('') in ${replicaRoles}`],
        quiet: true,
        fail_msg: `${operation} refused: candidate {{ ${candidate} }} is {{ 'the leader already' if ${candidate} in pgha_leaders else 'not a replica Patroni knows (' ~ (${member}.role | default('absent')) ~ ')' }}`,
      }),
    ),
    // Patroni hands the leadership over only to a synchronous standby: only it has every acknowledged commit.
    task(
      'Require the candidate to be the synchronous standby in synchronous mode',
      assert({
        that: [`pgha_sync_standbys | length == 0 or ${candidate} in pgha_sync_standbys`],
        quiet: true,
        fail_msg: `${operation} refused: candidate {{ ${candidate} }} is an asynchronous replica; in synchronous mode only the synchronous standby ({{ pgha_sync_standbys | join(', ') }}) has every acknowledged commit, so Patroni switches over to it alone. Name it, or leave the candidate empty`,
      }),
    ),
    task(
      'Require the candidate to lag no more than the bound',
      assert({
        that: [`${member}.lag is number`, `${member}.lag <= ${maxLag} | int`],
        quiet: true,
        fail_msg: `${operation} refused: candidate {{ ${candidate} }} lags {{ ${member}.lag | default('unknown') }} bytes (bound {{ ${maxLag} }})`,
      }),
    ),
    task("Read the candidate's WAL receiver", memberSql(candidate, RECEIVER_SQL), {
      register: 'pgha_candidate_receiver',
      changed_when: false,
    }),
    task(
      'Require the candidate to stream from the leader',
      assert({
        that: ["pgha_candidate_receiver.query_result[0].receiver == 'streaming'"],
        quiet: true,
        fail_msg: `${operation} refused: candidate {{ ${candidate} }} is not streaming (WAL receiver: '{{ pgha_candidate_receiver.query_result[0].receiver }}')`,
      }),
    ),
  ];
}

/** Waits until `member` leads, HAProxy's read-write port reaches it and `oldLeader` streams from it. */
export function waitForNewLeader(member: string, oldLeader?: string, retries = 120): TaskItem[] {
  const items: TaskItem[] = [
    task('Wait until the new leader answers as primary', restGet(member, '/primary'), {
      register: 'pgha_new_primary',
      until: 'pgha_new_primary.status == 200',
      retries,
      delay: 1,
      changed_when: false,
    }),
    task(
      "Wait until HAProxy's read-write port reaches the new leader",
      postgresql_query({
        ...operatorLogin,
        login_host: ENTRY_HOST,
        login_port: RW_PORT,
        login_db: 'postgres',
        query: 'SELECT host(inet_server_addr()) AS address, pg_is_in_recovery() AS in_recovery',
      }),
      {
        register: 'pgha_rw_check',
        failed_when: false,
        changed_when: false,
        retries,
        delay: 1,
        until: `pgha_rw_check.query_result is defined and pgha_rw_check.query_result[0].address == ${addressOf(member)} and not pgha_rw_check.query_result[0].in_recovery`,
      },
    ),
  ];
  if (oldLeader) {
    items.push(
      task('Wait until the old leader streams from the new one', memberSql(oldLeader, RECEIVER_SQL), {
        register: 'pgha_old_leader_receiver',
        failed_when: false,
        changed_when: false,
        retries,
        delay: 1,
        until: `pgha_old_leader_receiver.query_result is defined and pgha_old_leader_receiver.query_result[0].receiver == 'streaming' and pgha_old_leader_receiver.query_result[0].sender == ${addressOf(member)}`,
      }),
    );
  }
  return items;
}

/** Patroni's answer when the candidate stopped being the synchronous standby after the cluster was read. */
const SYNC_MOVED = "pgha_switchover.status == 412 and 'sync_standby' in pgha_switchover.content | default('')";

/**
 * The same tasks once more, only when the synchronous standby moved, under names of their own (a
 * play's task names are unique). A condition on each rather than a block keeps the output's lines
 * within ansible-lint's width.
 */
const again = (items: readonly TaskItem[]): TaskItem[] =>
  items.map((t) => ({
    ...t,
    name: `${t.name} again`,
    when: t.when === undefined ? SYNC_MOVED : [SYNC_MOVED, t.when].flat(),
  }));

/**
 * A switchover from the leader to `candidate` (a fact, set from the Jinja expression `choose`),
 * checked and awaited. Assumes readCluster() ran and the cluster passed requireHealthyCluster().
 */
export function switchoverTasks(operation: string, candidate: string, maxLag: string, choose: string): TaskItem[] {
  const post = (register: string, statusCode: number[]) =>
    task(
      "Switch over through Patroni's REST API",
      restCall(
        'pgha_old_leader',
        '/switchover',
        'POST',
        { leader: '{{ pgha_old_leader }}', candidate: `{{ ${candidate} }}` },
        statusCode,
      ),
      { register, changed_when: `${register}.status == 200` },
    );
  const choice = [
    task('Choose the candidate', set_fact({ [candidate]: choose })),
    ...requireGoodCandidate(operation, candidate, maxLag),
    task(
      "Note the switchover's start",
      set_fact({ pgha_old_leader: '{{ pgha_leaders[0] }}', pgha_switchover_started: '{{ now().timestamp() }}' }),
    ),
  ];
  return [
    ...choice,
    post('pgha_switchover', [200, 412]),
    // The synchronous standby can move between the read and the request (a replica that has just
    // restarted and caught up takes the role back): read the cluster again after one Patroni loop
    // and choose again, with every check, once.
    ...again([
      task('Wait one Patroni loop', wait_for({ timeout: 6 })),
      ...readCluster(),
      ...requireHealthyCluster(operation),
      ...choice,
      post('pgha_switchover_again', [200]),
    ]),
    task(
      'Require Patroni to accept the switchover',
      assert({
        that: ['pgha_switchover.status == 200 or (pgha_switchover_again.status | default(0)) == 200'],
        quiet: true,
        fail_msg: `${operation} refused by Patroni: {{ pgha_switchover.content | default(pgha_switchover.msg) }}`,
      }),
    ),
    ...waitForNewLeader(candidate, 'pgha_old_leader'),
    task(
      'Measure the switchover',
      set_fact({
        pgha_switchover_seconds: "{{ '%.1f' | format(now().timestamp() - (pgha_switchover_started | float)) }}",
      }),
    ),
    task(
      'Report the switchover',
      debug({
        msg: `Switchover from {{ pgha_old_leader }} to {{ ${candidate} }} done in {{ pgha_switchover_seconds }} s; HAProxy's read-write port reaches {{ ${candidate} }}, {{ pgha_old_leader }} streams from it`,
      }),
    ),
  ];
}

// The cluster's ports as the roles declare them, for everything outside the roles that talks to
// the cluster (playbooks, the stand's status and benchmarks, Molecule, tests): change a role's
// default and every user follows.
import { defaultOf } from '../dsl/index.js';
import etcd from './etcd/role.js';
import haproxy from './haproxy/role.js';
import patroni from './patroni/role.js';

export const PORTS = {
  etcdClient: defaultOf(etcd, 'etcd_client_port'),
  etcdPeer: defaultOf(etcd, 'etcd_peer_port'),
  postgres: defaultOf(patroni, 'patroni_pg_port'),
  patroniRest: defaultOf(patroni, 'patroni_rest_api_port'),
  readWrite: defaultOf(haproxy, 'haproxy_rw_port'),
  readOnly: defaultOf(haproxy, 'haproxy_ro_port'),
  stats: defaultOf(haproxy, 'haproxy_stats_port'),
} as const;

export const HAPROXY_STATS_USER = defaultOf(haproxy, 'haproxy_stats_user');

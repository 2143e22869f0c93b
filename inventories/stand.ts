// The one definition of the stand: hosts, addresses, groups, domain and the layouts it comes in.
// The inventories the build emits, the local container stand and the Vagrantfile all read it.

export type StandHostName = 'ns' | 'bk' | 'pg01' | 'pg02' | 'pg03' | 'pg04' | 'pg05';
/** The groups the project's playbooks run on. */
export type StandGroup = 'infra' | 'backup' | 'etcd' | 'pg';

export interface StandHost {
  name: StandHostName;
  /** Last octet of the host's address in every network of the stand. */
  octet: number;
  groups: readonly StandGroup[];
  /** Memory for a Vagrant VM, in MiB. */
  vagrantMemory: number;
}

export interface StandNetwork {
  /** The first three octets of a /24. */
  prefix: string;
}

export const stand = {
  domain: 'pgha.test',
  /** TLS for etcd, Patroni's REST API and PostgreSQL (the inventories' pgha_tls; the tools follow it). */
  tls: true as boolean,
  /** Last octet of the cluster's virtual IP (pgha_vip) in every network of the stand. */
  vip: { octet: 100 },
  hosts: [
    { name: 'ns', octet: 10, groups: ['infra'], vagrantMemory: 512 },
    // The backup repository on a host of its own: its pgBackRest is trusted by every database host
    // (it runs a backup's SQL there as postgres), so it serves nothing else on the network.
    { name: 'bk', octet: 20, groups: ['backup'], vagrantMemory: 512 },
    { name: 'pg01', octet: 101, groups: ['pg', 'etcd'], vagrantMemory: 1024 },
    { name: 'pg02', octet: 102, groups: ['pg', 'etcd'], vagrantMemory: 1024 },
    { name: 'pg03', octet: 103, groups: ['pg', 'etcd'], vagrantMemory: 1024 },
    { name: 'pg04', octet: 104, groups: ['pg'], vagrantMemory: 1024 },
    { name: 'pg05', octet: 105, groups: ['pg'], vagrantMemory: 1024 },
  ] as const satisfies readonly StandHost[],
  /**
   * Which hosts each layout runs. `default`: one infrastructure host (time, names, operations),
   * the backup repository's host and three database hosts, each an etcd member. `five`: five database hosts, etcd staying on the first three (a
   * separate, smaller group: Patroni on pg04 and pg05 reaches etcd over the network).
   */
  layouts: {
    default: ['ns', 'bk', 'pg01', 'pg02', 'pg03'],
    five: ['ns', 'bk', 'pg01', 'pg02', 'pg03', 'pg04', 'pg05'],
  } satisfies Record<string, readonly StandHostName[]>,
  networks: {
    /** The original plan, kept for VirtualBox. */
    vagrant: { prefix: '192.168.50' },
    /** The local container stand: a private bridge of its own. */
    local: { prefix: '10.213.50' },
  } satisfies Record<string, StandNetwork>,
} as const;

export type StandNetworkName = keyof typeof stand.networks;
export type StandLayout = keyof typeof stand.layouts;

/** The hosts of a layout, in the definition's order. */
export function layoutHosts(layout: StandLayout): StandHost[] {
  const names: readonly string[] = stand.layouts[layout];
  return stand.hosts.filter((h) => names.includes(h.name));
}

export function hostAddress(host: StandHost, network: StandNetworkName): string {
  return `${stand.networks[network].prefix}.${host.octet}`;
}

/** The cluster's virtual IP on a network: what clients connect to. */
export function vipAddress(network: StandNetworkName): string {
  return `${stand.networks[network].prefix}.${stand.vip.octet}`;
}

export function gatewayAddress(network: StandNetworkName): string {
  return `${stand.networks[network].prefix}.1`;
}

export function subnetCidr(network: StandNetworkName): string {
  return `${stand.networks[network].prefix}.0/24`;
}

/** The in-addr.arpa zone of a network's /24, e.g. 50.168.192.in-addr.arpa. */
export function reverseZone(network: StandNetworkName): string {
  return `${stand.networks[network].prefix.split('.').reverse().join('.')}.in-addr.arpa`;
}

export function hostsInGroup(group: StandGroup, layout: StandLayout = 'default'): StandHost[] {
  return layoutHosts(layout).filter((h) => (h.groups as readonly string[]).includes(group));
}

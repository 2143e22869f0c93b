// The stand's inventories (local containers in each layout, Vagrant VMs), from the stand definition.
import { inventory, type Inventory } from '../dsl/inventory.js';
import {
  gatewayAddress,
  stand,
  hostAddress,
  hostsInGroup,
  reverseZone,
  subnetCidr,
  type StandGroup,
  type StandLayout,
  type StandNetworkName,
  vipAddress,
} from './stand.js';

const GROUPS: readonly StandGroup[] = ['infra', 'backup', 'etcd', 'pg'];

/** The inventory's name: the network's, with the layout's after it unless it is the default one. */
export function standInventoryName(network: StandNetworkName, layout: StandLayout): string {
  return layout === 'default' ? network : `${network}-${layout}`;
}

export function standInventory(
  network: StandNetworkName,
  connection: Record<string, unknown>,
  hostExtra: (name: string) => Record<string, unknown>,
  layout: StandLayout = 'default',
): Inventory {
  return inventory(standInventoryName(network, layout), {
    network: subnetCidr(network),
    vars: {
      ansible_python_interpreter: '/usr/bin/python3',
      ...connection,
      // TLS for etcd, Patroni's REST API and PostgreSQL (the one switch; playbooks default it on).
      pgha_tls: stand.tls,
      // The clients' entry: keepalived keeps it on a database host whose HAProxy runs.
      pgha_vip: vipAddress(network),
      // The stand's tools and tests call Patroni's REST API from the controller's bridge address.
      pgha_admin_addresses: [gatewayAddress(network)],
      // What the roles need to know of this network (their required variables).
      dns_domain: stand.domain,
      dns_reverse_zone: reverseZone(network),
      dns_allow_query: subnetCidr(network),
      ntp_allow: subnetCidr(network),
      patroni_allowed_network: subnetCidr(network),
      // The local stand's bridge leads nowhere: its name server forwards to no one. Vagrant VMs
      // keep the resolver their NAT gives them (the dns role remembers it).
      ...(network === 'local' ? { dns_forwarders: [] } : {}),
      // Where a package-path failure sends the reader (stand/local/package-cache.ts keeps this log).
      ...(network === 'local'
        ? {
            pgha_package_source_hint:
              "the stand's package cache log /var/lib/pgha-stand/package-cache/log/access.log on the machine (each request with its answer and the mirror's), and that the machine reaches its mirror (apt-get update there)",
          }
        : {}),
    },
    groups: Object.fromEntries(
      GROUPS.map((g) => [
        g,
        {
          // A host's variables go with its first group; Ansible merges the others' mention of it.
          hosts: Object.fromEntries(
            hostsInGroup(g, layout).map((h) => [
              h.name,
              h.groups[0] === g ? { ansible_host: hostAddress(h, network), ...hostExtra(h.name) } : {},
            ]),
          ),
        },
      ]),
    ),
  });
}

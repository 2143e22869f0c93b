// The stand's inventories (local containers, Vagrant VMs), both from the stand definition.
import { inventory, type Inventory } from '../dsl/inventory.js';
import { stand, hostAddress, reverseZone, subnetCidr, type StandGroup, type StandNetworkName } from './stand.js';

const GROUPS: readonly StandGroup[] = ['infra', 'pg'];

export function standInventory(
  network: StandNetworkName,
  connection: Record<string, unknown>,
  hostExtra: (name: string) => Record<string, unknown>,
): Inventory {
  return inventory(network, {
    network: subnetCidr(network),
    vars: {
      ansible_python_interpreter: '/usr/bin/python3',
      ...connection,
      // What the roles need to know of this network (their required variables).
      dns_domain: stand.domain,
      dns_reverse_zone: reverseZone(network),
      dns_allow_query: subnetCidr(network),
      ntp_allow: subnetCidr(network),
      patroni_allowed_network: subnetCidr(network),
      // The local stand's bridge leads nowhere: its name server forwards to no one. Vagrant VMs
      // keep the resolver their NAT gives them (the dns role remembers it).
      ...(network === 'local' ? { dns_forwarders: [] } : {}),
    },
    groups: Object.fromEntries(
      GROUPS.map((g) => [
        g,
        {
          hosts: Object.fromEntries(
            stand.hosts
              .filter((h) => (h.groups as readonly string[]).includes(g))
              .map((h) => [h.name, { ansible_host: hostAddress(h, network), ...hostExtra(h.name) }]),
          ),
        },
      ]),
    ),
  });
}

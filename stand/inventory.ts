// The inventories the build emits (out/inventory/local.yml, out/inventory/vagrant.yml) and the
// host list the Vagrantfile reads (out/stand/vagrant.json), all from the stand definition.
import { inventory, type Inventory } from '../dsl/inventory.js';
import { stand, hostAddress, reverseZone, subnetCidr, type StandGroup, type StandNetworkName } from './definition.js';

const GROUPS: readonly StandGroup[] = ['infra', 'pg'];

function standInventory(
  network: StandNetworkName,
  connection: Record<string, unknown>,
  hostExtra: (name: string) => Record<string, unknown>,
): Inventory {
  const ns = stand.hosts.find((h) => h.name === 'ns')!;
  return inventory(network, {
    vars: {
      ansible_python_interpreter: '/usr/bin/python3',
      ...connection,
      stand_domain: stand.domain,
      stand_subnet: subnetCidr(network),
      stand_reverse_zone: reverseZone(network),
      stand_ns_address: hostAddress(ns, network),
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

export const inventories: Inventory[] = [
  // The local stand: root over SSH with the stand's key (ansible.cfg sets key and known_hosts).
  standInventory('local', { ansible_user: 'root' }, () => ({})),
  // Vagrant VMs: the vagrant user with sudo and the key Vagrant generated for each VM.
  standInventory('vagrant', { ansible_user: 'vagrant', ansible_become: true }, (name) => ({
    ansible_ssh_private_key_file: `{{ inventory_dir }}/../../.vagrant/machines/${name}/virtualbox/private_key`,
  })),
];

export const standData: Record<string, unknown> = {
  'stand/vagrant.json': {
    domain: stand.domain,
    box: 'debian/bookworm64',
    hosts: stand.hosts.map((h) => ({
      name: h.name,
      address: hostAddress(h, 'vagrant'),
      memory: h.vagrantMemory,
      groups: h.groups,
    })),
  },
};

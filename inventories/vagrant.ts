// The Vagrant stand: the vagrant user with sudo and the key Vagrant generated for each VM.
// Emitted as out/inventory/vagrant.yml, with the host list the Vagrantfile reads.
import { hostAddress, layoutHosts, stand } from './stand.js';
import { standInventory } from './stand-inventory.js';

export default standInventory('vagrant', { ansible_user: 'vagrant', ansible_become: true }, (name) => ({
  ansible_ssh_private_key_file: `{{ inventory_dir }}/../../.vagrant/machines/${name}/virtualbox/private_key`,
}));

/** Files the build writes beside the inventory: out/stand/vagrant.json for the Vagrantfile. */
export const emits: Record<string, unknown> = {
  'stand/vagrant.json': {
    domain: stand.domain,
    box: 'debian/bookworm64',
    hosts: layoutHosts('default').map((h) => ({
      name: h.name,
      address: hostAddress(h, 'vagrant'),
      memory: h.vagrantMemory,
      groups: h.groups,
    })),
  },
};

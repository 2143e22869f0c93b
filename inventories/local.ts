// The local stand (systemd-nspawn containers on a private bridge): root over SSH with the stand's
// key (ansible.cfg sets the key and known_hosts). Emitted as out/inventory/local.yml.
import { standInventory } from './stand-inventory.js';

export default standInventory('local', { ansible_user: 'root' }, () => ({}));

// The local stand in its five-database-host layout (`npm run stand:up -- --layout five`): etcd
// stays on pg01-pg03. Emitted as out/inventory/local-five.yml.
import { standInventory } from './stand-inventory.js';

export default standInventory('local', { ansible_user: 'root' }, () => ({}), 'five');

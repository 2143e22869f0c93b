import type { Play } from '../../dsl/index.js';
import { readInstalledPackages } from '../../roles-src/packages.js';

/**
 * Each host's installed packages, read once per run before the roles: their installs then skip
 * what is there (roles-src/packages.ts). Tagged always, so a run limited by --tags reads them too.
 */
export const installedPackages: Play = {
  name: 'Read what each host has installed',
  hosts: 'all',
  become: true,
  gather_facts: false,
  tags: ['always'],
  tasks: readInstalledPackages(),
};

import type { Play } from '../../dsl/index.js';
import { readInstalledPackages } from '../../roles-src/packages.js';

/**
 * The package path checked (roles-src/packages.ts: packagePath), then each host's installed
 * packages, read once per run before the roles: their installs then skip
 * what is there (roles-src/packages.ts). Tagged always, so a run limited by --tags reads them too.
 */
export const installedPackages: Play = {
  name: 'Read what each host has installed',
  hosts: 'all',
  become: true,
  gather_facts: false,
  // A host whose package sources fail stops the run for all: no host goes on half served.
  any_errors_fatal: true,
  tags: ['always'],
  tasks: readInstalledPackages(),
};

// ntp: chrony. The server (ns) serves the stand's subnet and falls back to its local clock,
// since no upstream is reachable; clients (pg01-03) follow the server and are peers of each
// other, so while the server is lost they keep one time among themselves (chrony's orphan mode).
import { defineRole, handler, int, list, str, systemd_service, task, template } from '../../dsl/index.js';
import { installPackages, packagesFile, partPackages, ROLE_PACKAGES } from '../packages.js';

const PACKAGES = partPackages(ROLE_PACKAGES.ntp[0]);

export default defineRole({
  name: 'ntp',
  description: 'chrony time service: a local-stratum server for the stand and its clients',
  vars: {
    ntp_mode: str({
      choices: ['server', 'client'],
      default: 'client',
      description: 'server: serve time to the network; client: follow the servers',
    }),
    ntp_server_group: str({ default: 'infra', description: 'Inventory group of the time servers' }),
    ntp_servers: list({
      elements: 'str',
      default: "{{ groups[ntp_server_group] | map('extract', hostvars, 'ansible_host') | list }}",
      description: "Addresses of the time servers clients follow (the server group's hosts by default)",
    }),
    ntp_peers: list({
      elements: 'str',
      default: [],
      description:
        'Addresses of the other clients, as peers: without a server they agree on one of them (orphan mode) instead of drifting apart',
    }),
    ntp_allow: str({ required: true, format: 'network', description: 'Network (CIDR) the server answers' }),
    ntp_local_stratum: int({
      default: 10,
      description: 'Stratum the server claims from its own clock when it has no upstream',
    }),
    ntp_upstream_servers: list({
      elements: 'str',
      default: [],
      description: 'Upstream servers for the server; none on an isolated stand',
    }),
  },
  handlers: () => [handler('Restart chrony', systemd_service({ name: 'chrony', state: 'restarted' }))],
  taskFiles: {
    // Empty: site.yml imports it so that its package list (ROLE_PACKAGES) reads the role's defaults.
    packages: packagesFile(),
  },
  tasks: () => [
    installPackages('Install chrony', PACKAGES, { register: 'ntp_packages' }),
    task(
      'Configure chrony',
      template({ src: 'chrony.conf.j2', dest: '/etc/chrony/chrony.conf', owner: 'root', group: 'root', mode: '0644' }),
      {
        notify: ['Restart chrony'],
      },
    ),
    task('Start chrony', systemd_service({ name: 'chrony', state: 'started', enabled: true })),
  ],
});

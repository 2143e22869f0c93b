// vip: the cluster's virtual IP, kept by keepalived (VRRP) on one host whose HAProxy runs. The
// hosts of the group run HAProxy each, so losing the holder moves the address to another in
// about three advertisement intervals; losing any other host does not touch it. keepalived never
// reads etcd or Patroni: a Patroni restart or an etcd hiccup cannot move the address.
import { defineRole, handler, int, str, systemd_service, task, template } from '../../dsl/index.js';
import { installPackages, packagesFile, partPackages, ROLE_PACKAGES } from '../packages.js';

const PACKAGES = partPackages(ROLE_PACKAGES.vip[0]);

export default defineRole({
  name: 'vip',
  description: 'A virtual IP moved by keepalived (VRRP, unicast) between the hosts that run HAProxy',
  hostCount: { min: 2, reason: 'the address moves to another host when its holder is lost' },
  vars: {
    vip_address: str({ required: true, description: "The virtual IPv4 address (the inventory's pgha_vip)" }),
    vip_prefix: int({ default: 24, description: "Prefix length of the address on the hosts' network" }),
    vip_interface: str({
      default:
        "{{ ansible_facts.interfaces | default([]) | map('regex_replace', '-', '_') | map('extract', ansible_facts) | selectattr('ipv4', 'defined') | selectattr('ipv4.address', 'equalto', ansible_host) | map(attribute='device') | first | default('') }}",
      description:
        "Interface that carries the address (by default the one holding ansible_host, from the facts; '' without them, e.g. in a run whose --tags skip this play)",
    }),
    vip_group: str({ default: 'pg', description: 'Inventory group of the hosts that may hold the address' }),
    vip_router_id: int({
      default: 51,
      description: 'VRRP virtual router id (1-255), unique among the VRRP users of the network',
    }),
    vip_advert_interval_ms: int({
      default: 500,
      description: 'VRRP advertisement interval, ms: a lost holder is replaced after about 3.5 times this',
    }),
    vip_check_service: str({
      default: 'haproxy',
      description: 'Service that must run on the holder (the address is worth nothing without it)',
    }),
  },
  handlers: () => [handler('Reload keepalived', systemd_service({ name: 'keepalived', state: 'reloaded' }))],
  taskFiles: {
    // Empty: site.yml imports it so that its package list (ROLE_PACKAGES) reads the role's defaults.
    packages: packagesFile(),
  },
  tasks: () => [
    installPackages('Install keepalived and ping', PACKAGES, { register: 'vip_packages' }),
    task(
      'Install the holder check',
      template({
        src: 'pgha-vip-check.sh.j2',
        dest: '/usr/local/sbin/pgha-vip-check',
        owner: 'root',
        group: 'root',
        mode: '0755',
      }),
    ),
    task(
      'Configure keepalived',
      template({
        src: 'keepalived.conf.j2',
        dest: '/etc/keepalived/keepalived.conf',
        owner: 'root',
        group: 'root',
        mode: '0640',
        validate: 'keepalived --config-test --use-file %s',
      }),
      { notify: ['Reload keepalived'] },
    ),
    task(
      'Start keepalived, also after every boot',
      systemd_service({ name: 'keepalived', state: 'started', enabled: true }),
    ),
  ],
});

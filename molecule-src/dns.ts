// dns: forward and reverse lookups of every host, from every host, answered by ns.
import { command, task } from '../dsl/index.js';
import { sitePlays, sitePlaysBefore } from '../playbooks/site.js';
import { standScenario } from './lib/stand.js';

export default standScenario(
  'dns',
  'bind9 on ns; A and PTR records of the stand',
  sitePlays.dns,
  [
    {
      name: 'Verify lookups from every host',
      hosts: 'all',
      gather_facts: false,
      tasks: [
        task('Look up every host by name', command({ cmd: 'dig +short {{ item }}.{{ dns_domain }} A' }), {
          loop: "{{ groups['all'] }}",
          register: 'dns_forward',
          changed_when: false,
          failed_when: "dns_forward.stdout != hostvars[item]['ansible_host']",
        }),
        task('Look up every host by address', command({ cmd: "dig +short -x {{ hostvars[item]['ansible_host'] }}" }), {
          loop: "{{ groups['all'] }}",
          register: 'dns_reverse',
          changed_when: false,
          failed_when: "dns_reverse.stdout != item ~ '.' ~ dns_domain ~ '.'",
        }),
        task('Check the answers come from ns', command({ cmd: 'dig {{ inventory_hostname }}.{{ dns_domain }} A' }), {
          register: 'dns_server',
          changed_when: false,
          failed_when: "('SERVER: ' ~ hostvars[groups['infra'][0]].ansible_host ~ '#53') not in dns_server.stdout",
        }),
      ],
    },
  ],
  { prepare: sitePlaysBefore('dns') },
);

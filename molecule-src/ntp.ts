// ntp: every pg host selects ns as its time source.
import { command, task } from '../dsl/index.js';
import { sitePlays, sitePlaysBefore } from '../playbooks/site.js';
import { standScenario } from './lib/stand.js';

export default standScenario(
  'ntp',
  'chrony server on ns, clients on pg01-03',
  sitePlays.ntp,
  [
    {
      name: 'Verify the clients follow ns',
      hosts: 'pg',
      gather_facts: false,
      tasks: [
        // chronyc -c: mode,state,address,...; "^,*" is the selected server.
        task('Wait until chrony selects ns', command({ cmd: 'chronyc -n -c sources' }), {
          register: 'ntp_sources',
          changed_when: false,
          retries: 30,
          delay: 2,
          until: "('^,*,' ~ hostvars[groups['infra'][0]].ansible_host ~ ',') in ntp_sources.stdout",
        }),
      ],
    },
  ],
  { prepare: sitePlaysBefore('ntp') },
);

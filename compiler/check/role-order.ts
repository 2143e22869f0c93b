// A role's `needs` (the roles whose work it relies on: pki's certificates, etcd's cluster) must run
// before it in every playbook that runs both: Ansible runs plays and roles in the order written,
// and a role that finds no certificate or no DCS fails, or worse, starts without them.
import { isPlay, type Playbook } from '../../dsl/playbook.js';
import type { Problems } from '../errors.js';

export function checkRoleOrder(playbooks: readonly { playbook: Playbook; file: string }[], problems: Problems): void {
  for (const { playbook, file } of playbooks) {
    const uses = playbook.plays.flatMap((play, i) =>
      isPlay(play)
        ? (play.roles ?? []).map((u, j) => ({
            def: u.role.definition,
            field: `plays[${i}] '${play.name}'.roles[${j}]`,
          }))
        : [],
    );
    const ran = new Set<string>();
    for (const { def, field } of uses) {
      ran.add(def.name);
      for (const need of def.needs ?? []) {
        const name = need.role.definition.name;
        const later = ran.has(name) ? undefined : uses.find((u) => u.def.name === name);
        if (later)
          problems.add(
            file,
            `${field} '${def.name}'`,
            `role '${def.name}' relies on '${name}' (${need.provides}), which this playbook runs only later (${later.field}): run it first`,
          );
      }
    }
  }
}

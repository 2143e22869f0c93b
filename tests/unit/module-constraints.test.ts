// The module's own rules about arguments together (from its AnsibleModule(...) call), checked at
// build time as AnsibleModule would check them on the host.
import { describe, expect, it } from 'vitest';
import { checkModuleArgs } from '../../compiler/check/args.js';
import { aptSpec } from '../../dsl/modules/apt.generated.js';
import { lineinfileSpec } from '../../dsl/modules/lineinfile.generated.js';
import { systemd_serviceSpec } from '../../dsl/modules/systemd_service.generated.js';
import { uriSpec } from '../../dsl/modules/uri.generated.js';
import type { ModuleSpec } from '../../dsl/module.js';

const problems = (spec: ModuleSpec, args: Record<string, unknown>) => {
  const out: string[] = [];
  checkModuleArgs(spec, args, 'x', (f, m) => out.push(`${f}: ${m}`));
  return out;
};

describe('argument constraints', () => {
  it('refuses mutually exclusive arguments', () => {
    expect(problems(lineinfileSpec, { path: '/etc/x', line: 'a', insertbefore: 'BOF', insertafter: 'EOF' })).toEqual([
      'x.insertafter: insertbefore and insertafter are mutually exclusive (ansible.builtin.lineinfile takes at most one of insertbefore, insertafter)',
    ]);
    expect(problems(uriSpec, { url: 'http://127.0.0.1/', body: 'a', src: '/tmp/b' })[0]).toMatch(
      /body and src are mutually exclusive/,
    );
  });

  it('sees an alias as its option (apt name is package), and options with defaults as given', () => {
    expect(problems(aptSpec, { name: ['chrony'], deb: '/tmp/x.deb' })[0]).toMatch(
      /deb and package are mutually exclusive/,
    );
    // daemon_reload defaults to false, so required_one_of holds with the name alone, as on a host.
    expect(problems(systemd_serviceSpec, { name: 'patroni' })).toEqual([]);
  });

  it('refuses an option given without the one it requires', () => {
    expect(problems(systemd_serviceSpec, { state: 'started' })).toEqual([
      'x.state: state needs name (ansible.builtin.systemd_service)',
    ]);
  });
});

// Debian packages, installed by a task that costs nothing when they are there already.
// The apt module loads apt's whole cache on the host (about a second of CPU per host and task):
// an unchanged site.yml paid it once per role. site.yml reads the installed packages once per host
// at its start (`package_facts`); each role's install then runs only for a package missing from
// that list. A role used without that read (its own play, Molecule) has no list and always
// installs, as before, so the condition can only save work, never skip a missing package.
import { apt, package_facts, shell, stat, task, type Condition, type Task } from '../dsl/index.js';

/**
 * A mirror or proxy that fails a request now and then (a dropped connection, a 503) costs a retry,
 * not the run; a package that does not exist still fails after the retries.
 */
const retried = (register: string) => ({ register, until: `${register} is succeeded`, retries: 3, delay: 5 });

/** The Jinja list of installed package names, empty when this run has not read them. */
const INSTALLED = '(ansible_facts.packages | default({}) | list)';

/**
 * `apt: state=present` of `packages` (literal names, or one Jinja list expression without braces),
 * skipped when every one of them is in the run's package facts.
 */
export function installPackages(
  name: string,
  packages: readonly string[] | { expr: string },
  opts: {
    /** The result's name: the role's prefix, as every variable a role sets (ansible-lint var-naming). */
    register: string;
    when?: Condition;
    updateCache?: boolean;
  },
): Task {
  // Debian package names are letters, digits and + - . : no quoting beyond the quotes.
  const [list, aptName] =
    'expr' in packages
      ? [packages.expr, `{{ ${packages.expr} }}`]
      : [`[${packages.map((p) => `'${p}'`).join(', ')}]`, [...packages]];
  const missing = `(${list}) | difference${INSTALLED} | length > 0`;
  return task(
    name,
    apt({
      name: aptName,
      state: 'present',
      ...(opts.updateCache === false ? {} : { update_cache: true, cache_valid_time: 3600 }),
    }),
    {
      when: opts.when ? [opts.when, missing] : missing,
      ...retried(opts.register),
    },
  );
}

/**
 * Read the installed packages into `ansible_facts.packages`, once per host and run. The reader
 * needs python3-apt, which a minimal Debian lacks until the first apt task installs it: installed
 * here first when its module is missing.
 */
export function readInstalledPackages(): Task[] {
  return [
    task("Look for apt's Python module", stat({ path: '/usr/lib/python3/dist-packages/apt/__init__.py' }), {
      register: 'pgha_python_apt',
    }),
    // apt-get, not the apt module: the module needs this very package, and its own way round
    // (install it, then start a new Python) does not work where the interpreter is kept for the
    // whole run (Mitogen, which the project's commands use: the module then fails to import it).
    task(
      "Install apt's Python module",
      shell({
        cmd: 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-apt',
      }),
      {
        when: 'not pgha_python_apt.stat.exists',
        noqa: ['command-instead-of-module'],
        // It runs only when the module is missing, and then installs it.
        changed_when: true,
        ...retried('pgha_python_apt_install'),
      },
    ),
    task('Read the installed packages', package_facts({ manager: 'apt' })),
  ];
}

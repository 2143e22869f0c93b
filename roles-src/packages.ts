// Debian packages, installed by a task that costs nothing when they are there already.
// The apt module loads apt's whole cache on the host (about a second of CPU per host and task):
// an unchanged site.yml paid it once per role. site.yml reads the installed packages once per host
// at its start (`package_facts`); each role's install then runs only for a package missing from
// that list. A role used without that read (its own play, Molecule) has no list and always
// installs, as before, so the condition can only save work, never skip a missing package. Before
// the roles, site.yml installs every package they would install, in one apt transaction per host
// (`packagesFile`, `installMissing`): on a fresh host the roles' installs then find theirs there.
import {
  apt,
  command,
  copy,
  fail,
  file,
  handler,
  package_facts,
  shell,
  stat,
  task,
  type Condition,
  type Handler,
  type Task,
  type TaskOptions,
} from '../dsl/index.js';

/**
 * A mirror or proxy that fails a request now and then (a dropped connection, a 503) costs a retry,
 * not the run; a package that does not exist still fails after the retries.
 */
const retried = (register: string) => ({ register, until: `${register} is succeeded`, retries: 3, delay: 5 });

/**
 * Seconds an apt task may take on a host before Ansible ends it: an install of the whole site's
 * packages on a slow mirror stays well inside it, a wait that never ends does not. Each of apt's
 * own requests is bounded too (APT_NETWORK_BOUNDS).
 */
export const APT_TASK_TIMEOUT = 900;
/**
 * The package-path check's `apt-get update`: each attempt bounded (apt's own timeout does not
 * cover every wait: after a proxy cut a release file short, apt 2.6's retry of it was seen waiting
 * with the connection silent until killed), then tried again; a proxy that cached what the cut
 * attempt fetched serves the next one at once.
 */
export const APT_UPDATE = { attemptSeconds: 90, attempts: 3 } as const;
const APT_UPDATE_SECONDS = APT_UPDATE.attemptSeconds * APT_UPDATE.attempts;

/** The shell script of that check: skipped while the last success is under an hour old, as the apt tasks' cache_valid_time. */
export const APT_UPDATE_SCRIPT = [
  'if [ -n "$(find /var/lib/apt/pgha-update-stamp -mmin -60 2>/dev/null)" ]; then echo fresh; exit 0; fi',
  `for attempt in $(seq ${APT_UPDATE.attempts}); do`,
  `  timeout ${APT_UPDATE.attemptSeconds} apt-get update -q --error-on=any 2>&1 && { touch /var/lib/apt/pgha-update-stamp; exit 0; }`,
  '  rc=$?',
  '  echo "pgha: apt-get update attempt $attempt ended with exit $rc"',
  'done',
  'exit $rc',
  '',
].join('\n');

/**
 * apt's own bounds, written before any apt call of the run: a stalled request (a proxy or mirror
 * that stops sending) ends after 30 s instead of never, and is tried again up to 3 times.
 */
export const APT_NETWORK_BOUNDS = [
  '// Written by site.yml (roles-src/packages.ts): no apt request waits without a bound.',
  'Acquire::http::Timeout "30";',
  'Acquire::https::Timeout "30";',
  'Acquire::Retries "3";',
  '',
].join('\n');

/** What a failure message tells to check when the host's package sources fail; an inventory can name its proxy's log. */
const SOURCE_HINT =
  "pgha_package_source_hint | default('the package sources and proxy in /etc/apt/sources.list.d and /etc/apt/apt.conf.d on the host, and that the mirror they name answers')";

/** The Jinja list of installed package names, empty when this run has not read them. */
const INSTALLED = '(ansible_facts.packages | default({}) | list)';

/** A package list: literal names, or one Jinja list expression without braces. */
export type Packages = readonly string[] | { expr: string };

const listExpr = (packages: Packages) =>
  'expr' in packages ? packages.expr : `[${packages.map((p) => `'${p}'`).join(', ')}]`;

/** True (as Jinja) when one of the packages is not in the run's package facts. */
const missingPackages = (packages: Packages) => `(${listExpr(packages)}) | difference${INSTALLED} | length > 0`;

/**
 * `apt: state=present` of `packages` (literal names, or one Jinja list expression without braces),
 * skipped when every one of them is in the run's package facts.
 */
export function installPackages(
  name: string,
  packages: Packages,
  opts: {
    /** The result's name: the role's prefix, as every variable a role sets (ansible-lint var-naming). */
    register: string;
    when?: Condition;
    updateCache?: boolean;
  },
): Task {
  // Debian package names are letters, digits and + - . : no quoting beyond the quotes.
  const aptName = 'expr' in packages ? `{{ ${packages.expr} }}` : [...packages];
  const missing = missingPackages(packages);
  return task(
    name,
    apt({
      name: aptName,
      state: 'present',
      ...(opts.updateCache === false ? {} : { update_cache: true, cache_valid_time: 3600 }),
    }),
    {
      when: opts.when ? [opts.when, missing] : missing,
      timeout: APT_TASK_TIMEOUT,
      ...retried(opts.register),
    },
  );
}

/**
 * The package path checked (`packagePath`), then the installed packages read into
 * `ansible_facts.packages` (`readPackageFacts`): once per host and run, before the roles.
 */
export function readInstalledPackages(): Task[] {
  return [...packagePath(), ...readPackageFacts()];
}

/**
 * The one line a failed `apt-get update` (registered as `r`) comes to: the URL and answer of the
 * first fetch that failed, how many more did, or the time bound it ran into; then what to check.
 */
export function aptUpdateFailure(r: string): string {
  const fetches = 'pgha_apt_failed_fetches';
  return (
    'apt-get update failed on {{ inventory_hostname }}: ' +
    `{% if ${fetches} | length > 0 %}{{ ${fetches}[0] }}{{ (' (and ' ~ (${fetches} | length - 1) ~ ' more)') if ${fetches} | length > 1 else '' }}` +
    `{% elif pgha_apt_errors | length > 0 %}{{ pgha_apt_errors[0] }}` +
    `{% elif ${r}.rc == 124 %}no end within ${APT_UPDATE.attemptSeconds} s, ${APT_UPDATE.attempts} times` +
    `{% else %}exit {{ ${r}.rc }}{% endif %}. ` +
    `Check {{ ${SOURCE_HINT} }}.`
  );
}

/**
 * Before any apt call of the run: apt's network bounds, an install that an interrupted run left
 * half done finished, and the package sources read once, a failure stopping the run with one line
 * that says which URL answered what and where to look (not three screens of apt per host).
 */
export function packagePath(): Task[] {
  const r = 'pgha_apt_update';
  // Tagged so that a run which installs nothing can leave the hosts' apt alone (--skip-tags package-path).
  return packagePathTasks(r).map((t) => ({ ...t, tags: [...(t.tags ?? []), 'package-path'] }));
}

function packagePathTasks(r: string): Task[] {
  return [
    task(
      "Bound apt's network waits",
      copy({
        dest: '/etc/apt/apt.conf.d/80pgha-network-bounds',
        content: APT_NETWORK_BOUNDS,
        owner: 'root',
        group: 'root',
        mode: '0644',
      }),
    ),
    task(
      'Finish a package install an interrupted run left',
      shell({
        cmd: 'if [ -n "$(ls -A /var/lib/dpkg/updates)" ]; then DEBIAN_FRONTEND=noninteractive dpkg --configure -a && echo finished; fi',
      }),
      {
        register: 'pgha_dpkg_finished',
        changed_when: "'finished' in pgha_dpkg_finished.stdout",
        timeout: APT_TASK_TIMEOUT,
      },
    ),
    // Once an hour at most: an unchanged run reads nothing from the mirror.
    task('Read the package sources', shell({ cmd: APT_UPDATE_SCRIPT }), {
      register: r,
      inCheckMode:
        'skipped: the package lists stay as they are, and the plan reads those (the next task reads no rc then)',
      changed_when: false,
      failed_when: false,
      timeout: APT_UPDATE_SECONDS + 30,
      noqa: ['command-instead-of-module'],
    }),
    task('Stop when the package sources fail', fail({ msg: aptUpdateFailure(r) }), {
      // rc is absent where the read was skipped (check mode): nothing to report then.
      when: `${r}.rc | default(0) != 0`,
      vars: {
        // apt prints each failed fetch as `E: Failed to fetch URL  STATUS` (W: when an old copy was used).
        pgha_apt_failed_fetches: `{{ ${r}.stdout_lines | select('match', '^[EW]: Failed to fetch ') | map('regex_replace', '^[EW]: Failed to fetch\\s+', '') | map('regex_replace', '\\s+', ' ') | unique | list }}`,
        pgha_apt_errors: `{{ ${r}.stdout_lines | select('match', '^E: ') | list }}`,
      },
    }),
  ];
}

/**
 * Read the installed packages into `ansible_facts.packages`, once per host and run. The reader
 * needs python3-apt, which a minimal Debian lacks until the first apt task installs it: installed
 * here first when its module is missing (the sources were read by `packagePath`).
 */
function readPackageFacts(): Task[] {
  return [
    task("Look for apt's Python module", stat({ path: '/usr/lib/python3/dist-packages/apt/__init__.py' }), {
      register: 'pgha_python_apt',
    }),
    // apt-get, not the apt module: the module needs this very package, and its own way round
    // (install it, then start a new Python) does not work where the interpreter is kept for the
    // whole run (Mitogen, which the project's commands use: the module then fails to import it).
    task(
      "Install apt's Python module",
      command({ argv: ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'python3-apt'] }),
      {
        when: 'not pgha_python_apt.stat.exists',
        environment: { DEBIAN_FRONTEND: 'noninteractive' },
        noqa: ['command-instead-of-module'],
        // It runs only when the module is missing, and then installs it.
        changed_when: true,
        timeout: APT_TASK_TIMEOUT,
        ...retried('pgha_python_apt_install'),
      },
    ),
    task('Read the installed packages', package_facts({ manager: 'apt' })),
  ];
}

/** A role's packages: always, or while one of its variables has a given value. */
export type PackagePart = Packages | { packages: Packages; when: { variable: string; equals: string } };

/**
 * Each role's Debian packages, in one place: the role's install tasks take theirs from here, and
 * site.yml installs every role's in one apt transaction per host before the roles run
 * (playbooks/lib/site-packages.ts): one apt run per host instead of one per role, its triggers run
 * once, and no host waits idle while another installs alone; the roles' own installs then find
 * their packages there. Kept outside the roles' sources so that a role imported back from its YAML
 * (`npm run import`) keeps its place in that transaction. A role not listed installs in its own
 * play only.
 */
export const ROLE_PACKAGES = {
  ntp: [['chrony']],
  dns: [['bind9-dnsutils'], { packages: ['bind9'], when: { variable: 'dns_mode', equals: 'server' } }],
  pki: [['ssl-cert']],
  etcd: [['etcd-server', 'etcd-client']],
  patroni: [
    {
      expr: "['postgresql-' ~ patroni_pg_version, 'patroni'] + patroni_extra_packages + (['python3-venv'] if patroni_install == 'upstream' else [])",
    },
  ],
  haproxy: [['haproxy', 'postgresql-client', 'python3-psycopg2']],
  vip: [['keepalived', 'iputils-ping']],
  backup: [
    ['pgbackrest'],
    // The restore drill's scratch instance, on the repository host, and the driver of the SQL the
    // restore and drill playbooks run from there (through the virtual IP).
    {
      packages: { expr: "['postgresql-' ~ backup_pg_version, 'python3-psycopg2']" },
      when: { variable: 'backup_mode', equals: 'repository' },
    },
  ],
} as const satisfies Record<string, readonly PackagePart[]>;

/** The packages of a part of ROLE_PACKAGES, for the role's own install task. */
export const partPackages = (part: PackagePart): Packages => ('packages' in part ? part.packages : part);

/**
 * A role's `packages` task file: empty, as site.yml imports it only to make the role's defaults
 * (which its package list in ROLE_PACKAGES reads) the play's.
 */
export const packagesFile = (): (() => []) => () => [];

/**
 * The packages a use of the role installs, as a Jinja list expression. A condition on a variable
 * the use sets to a literal is decided here; one the use leaves at its default is left to Jinja.
 */
export function packagesOfUse(role: string, vars: Readonly<Record<string, unknown>>): string | undefined {
  const parts: readonly PackagePart[] | undefined = (ROLE_PACKAGES as Record<string, readonly PackagePart[]>)[role];
  if (!parts) return undefined;
  const mentions = (text: string, name: string) => new RegExp(`\\b${name}\\b`).test(text);
  const out: string[] = [];
  for (const part of parts) {
    const [packages, when] = 'packages' in part ? [part.packages, part.when] : [part, undefined];
    const list = listExpr(packages);
    // The role's variables are its defaults there: a value a play gives one would not be seen.
    for (const name of Object.keys(vars))
      if (mentions(list, name))
        throw new Error(
          `role '${role}': its package list reads ${name}, which a site play sets; site.yml's install would not see it`,
        );
    if (!when) out.push(list);
    else if (!(when.variable in vars)) out.push(`(${list} if ${when.variable} == '${when.equals}' else [])`);
    else if (typeof vars[when.variable] === 'string' && !String(vars[when.variable]).includes('{{')) {
      if (vars[when.variable] === when.equals) out.push(list);
    } else
      throw new Error(
        `role '${role}': its packages depend on ${when.variable}, which a site play sets to something other than a literal string`,
      );
  }
  return out.length ? out.join(' + ') : '[]';
}

/** The Jinja list of a host's missing packages, from the packages of each role use on it. */
export const missingOf = (wanted: string) => `(${wanted}) | unique | difference${INSTALLED}`;

/**
 * site.yml's install of every package missing on the host (`missing`: a variable holding
 * `missingOf`), in one apt transaction; its handler reads the package facts again for the roles'
 * own installs.
 */
export function installMissing(missing: string, tags: readonly string[]): { tasks: Task[]; handler: Handler } {
  const reread = handler('Read the installed packages again', package_facts({ manager: 'apt' }));
  const server = `${missing} | select('match', '^postgresql-[0-9]+$') | length > 0`;
  return {
    tasks: [
      ...noMainCluster(server).map((t) => ({ ...t, tags })),
      task(
        "Install every package the host's roles install, in one apt transaction",
        apt({ name: `{{ ${missing} }}`, state: 'present', update_cache: true, cache_valid_time: 3600 }),
        {
          when: `${missing} | length > 0`,
          tags,
          notify: [reread],
          timeout: APT_TASK_TIMEOUT,
          ...retried('pgha_packages_installed'),
        },
      ),
    ],
    handler: reread,
  };
}

/**
 * Debian's postgresql-NN package creates and starts a cluster named main when installed; on the
 * project's hosts Patroni or the restore drill own every data directory, so none is wanted. In
 * place before any postgresql-NN install: the role's own and site.yml's combined one.
 */
export function noMainCluster(when?: TaskOptions['when']): Task[] {
  const only = when ? { when } : {};
  return [
    task(
      "Create Debian's cluster-creation settings folder",
      file({
        path: '/etc/postgresql-common/createcluster.d',
        state: 'directory',
        owner: 'root',
        group: 'root',
        mode: '0755',
      }),
      only,
    ),
    task(
      'Keep Debian from creating a main cluster',
      copy({
        // One content for every role that writes it: two roles on one host never undo each other.
        content:
          '# Patroni or the restore drill owns every data directory: no main cluster on package install.\ncreate_main_cluster = false\n',
        dest: '/etc/postgresql-common/createcluster.d/50-pgha-no-main-cluster.conf',
        owner: 'root',
        group: 'root',
        mode: '0644',
      }),
      only,
    ),
  ];
}

// A role: typed variables, tasks, handlers, templates and files, and Galaxy metadata.
import { Expr, type Val, type When } from './jinja.js';
import type { Handler, TaskItem } from './task.js';
import type { VarDecls, VarValue } from './vars.js';

/** Typed references to a role's variables: `v.name` renders as `{{ name }}`. */
export type Refs<V extends VarDecls> = { readonly [K in keyof V]: Expr<VarValue<V[K]>> };

export interface RoleMeta {
  author: string;
  license: string;
  min_ansible_version: string;
  platforms: readonly { name: string; versions?: readonly string[] }[];
  galaxy_tags?: readonly string[];
}

/** Templates and files are found next to the source: roles-src/<role>/templates and /files. */
export interface RoleDefinition<V extends VarDecls> {
  name: string;
  /**
   * The collection an imported role belongs to (`prometheus.prometheus`). The build also makes it
   * reachable as `<collection>.<name>` (out/collections/ansible_collections/<ns>/<coll>/roles/<name>,
   * which Ansible searches beside the playbooks), so references keep the fully qualified name the
   * original wrote and lint rules keyed on it read them as in the original.
   */
  collection?: string;
  description: string;
  vars: V;
  tasks: (v: Refs<V>) => readonly TaskItem[];
  /** More task files, tasks/<name>.yml, run by `includeTasks`/`importTasks` or another role's `includeRole`. */
  taskFiles?: Readonly<Record<string, (v: Refs<V>) => readonly TaskItem[]>>;
  /**
   * Variable files, vars/<name>.yml: 'main' is loaded with the role; the others by `includeVars`
   * (e.g. one per OS family). They hold values a user should not need to override.
   */
  varsFiles?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  handlers?: (v: Refs<V>) => readonly Handler[];
  meta?: Partial<RoleMeta>;
  /**
   * The project's house style, which the build enforces (default true): variables prefixed with
   * the role's name and described, every task named with a capital letter and unique, vars/ never
   * overriding a declared variable. An imported role keeps its own style (false): the build then
   * refuses only what Ansible would reject or what is certainly a mistake.
   */
  houseStyle?: boolean;
  /** Roles Ansible runs before this one (meta/main.yml dependencies). */
  dependencies?: readonly RoleUse[];
  /**
   * An imported role's own meta: `main` is meta/main.yml but its dependencies (Galaxy's
   * information unchanged, `allow_duplicates` and the like kept); `verbatim` names meta/'s other
   * files (argument_specs.yml...), copied byte for byte from the meta/ folder beside the source.
   * Ansible validates a role's input against its argument specs: specs derived from the variables
   * would check what the original never did, and a role without them gets none.
   */
  originalMeta?: {
    readonly main: Readonly<Record<string, unknown>>;
    readonly verbatim?: readonly string[];
  };

  /**
   * Roles whose work this one relies on, run by the play or an earlier one on the same hosts
   * rather than as a dependency (the certificates of pki, etcd's cluster): the README's
   * Dependencies section names each with what it provides.
   */
  needs?: readonly { readonly role: AnyRole; readonly provides: string }[];
  /**
   * How many hosts a play of this role needs, checked against every inventory at build time
   * (e.g. etcd: an odd number for a majority; Patroni: two or more to fail over).
   */
  hostCount?: HostCount;
}

export interface HostCount {
  min?: number;
  odd?: boolean;
  /** Why, in the words the build's message uses. */
  reason: string;
}

export type RoleVarsInput<V extends VarDecls> = { readonly [K in keyof V]?: Val<VarValue<V[K]>> };

export interface RoleUse {
  readonly role: Role<VarDecls>;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Runs the role's tasks only when this holds (a bare Jinja expression, or a typed `cond`). */
  readonly when?: When;
  readonly tags?: readonly string[];
}

export interface RoleUseOptions {
  when?: When;
  tags?: readonly string[];
}

export interface Role<V extends VarDecls> {
  readonly kind: 'role';
  readonly definition: RoleDefinition<V>;
  readonly name: string;
  /** Use the role in a play, overriding some of its variables. */
  use(vars?: RoleVarsInput<V>, options?: RoleUseOptions): RoleUse;
}

/** Any role, whatever its variables (a role's `tasks` takes its own references, so `Role<V>` is not a `Role<VarDecls>`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRole = Role<any>;

/**
 * A variable's declared default, for TypeScript that must agree with the role (another role's
 * default, a playbook, the stand's tools, tests): one declaration, every use follows it.
 */
export function defaultOf<V extends VarDecls, K extends keyof V & string>(role: Role<V>, name: K): VarValue<V[K]> {
  const d = role.definition.vars[name]?.default;
  if (d === undefined) throw new Error(`variable '${name}' of role '${role.name}' has no default`);
  return d as VarValue<V[K]>;
}

export class UndeclaredVariableError extends Error {}

export function refsFor<V extends VarDecls>(roleName: string, vars: V): Refs<V> {
  return new Proxy({} as Refs<V>, {
    get(_, key) {
      if (typeof key !== 'string') return undefined;
      if (!Object.hasOwn(vars, key)) {
        throw new UndeclaredVariableError(
          `variable '${key}' is not declared by role '${roleName}' (declared: ${Object.keys(vars).join(', ') || 'none'})`,
        );
      }
      return new Expr(key);
    },
  });
}

export const DEFAULT_META: RoleMeta = {
  author: 'pgha',
  license: 'MIT',
  min_ansible_version: '2.15',
  platforms: [{ name: 'Debian', versions: ['bookworm'] }],
};

export function defineRole<const V extends VarDecls>(definition: RoleDefinition<V>): Role<V> {
  const role: Role<V> = {
    kind: 'role',
    definition,
    name: definition.name,
    use: (vars = {}, options = {}) => ({ role: role as unknown as Role<VarDecls>, vars: vars, ...options }),
  };
  return role;
}

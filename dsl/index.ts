// The DSL's public surface: what a role, playbook, inventory or scenario is written with.
// The compiler's view of the same objects (specs, keyword lists, brands, inventory graphs) is
// imported from the files themselves, not from here.
export { cond, type Condition, Expr, jinja, type Jinja, type JinjaString, type Val, type When } from './jinja.js';
export { type ModuleCall, type RawValue, untypedModule } from './module.js';
export {
  bool,
  dict,
  int,
  list,
  type ListElement,
  type ListElementType,
  type OptionsValue,
  path,
  raw,
  str,
  type VarDecls,
  type VarSpec,
  type VarValue,
} from './vars.js';
export {
  block,
  type Block,
  type BlockOptions,
  type CommonOptions,
  flushHandlers,
  handler,
  type Handler,
  type LookupLoop,
  task,
  type Task,
  type TaskItem,
  type TaskOptions,
} from './task.js';
export { importRole, importTasks, includeRole, includeTasks, includeVars, type RoleFiles } from './includes.js';
export {
  type AnyRole,
  defaultOf,
  defineRole,
  type HostCount,
  type Refs,
  type Role,
  type RoleDefinition,
  type RoleMeta,
  type RoleUse,
  type RoleUseOptions,
  type RoleVarsInput,
} from './role.js';
export {
  importPlaybook,
  type Play,
  playbook,
  type Playbook,
  type PlaybookImport,
  type PlayEntry,
  type VarsFile,
} from './playbook.js';
export { inventory, type Inventory, type InventoryGroup, type SiteVars, tlsOn } from './inventory.js';
export { type MoleculeStep, scenario, type Scenario } from './scenario.js';
export { type PgParameterName, pgParameters, type PgParameters, type PgParameterSet } from './postgres/parameters.js';
export * from './modules/index.js';

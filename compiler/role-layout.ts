// The folders of an Ansible role that the build emits and the import reads as they are, and the
// comment heading both read in defaults/main.yml.

/** The plugin folders Ansible reads inside a role (a module in library/, filters in filter_plugins/...). */
export const ROLE_PLUGIN_DIRS = [
  'library',
  'module_utils',
  'action_plugins',
  'filter_plugins',
  'test_plugins',
  'lookup_plugins',
] as const;

/** The comment line above an imported role's inputs (read, never set, no default) at the end of its defaults/main.yml. */
export const INPUTS_HEADING = 'Inputs a play or inventory gives (no default):';

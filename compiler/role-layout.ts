// The folders of an Ansible role that the build emits and the import reads as they are.

/** The plugin folders Ansible reads inside a role (a module in library/, filters in filter_plugins/...). */
export const ROLE_PLUGIN_DIRS = [
  'library',
  'module_utils',
  'action_plugins',
  'filter_plugins',
  'test_plugins',
  'lookup_plugins',
] as const;

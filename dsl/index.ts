// The DSL's public surface: import everything a role or playbook needs from here.
export * from './jinja.js';
export * from './module.js';
export * from './vars.js';
export * from './task.js';
export * from './includes.js';
export * from './role.js';
export * from './playbook.js';
export * from './inventory.js';
export * from './modules/index.js';
export * from './scenario.js';
export * from './postgres/parameters.js';

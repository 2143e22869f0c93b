import { moduleCall } from '../module.js';
export const metaSpec = {
    "fqcn": "ansible.builtin.meta",
    "options": {}
};
/** ansible.builtin.meta: Execute Ansible 'actions' */
export function meta(args) {
    return moduleCall(metaSpec, args);
}

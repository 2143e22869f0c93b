// A call of an Ansible module with its arguments, plus the runtime description of the module's
// options that the generated module files carry (used by the compiler's argument checks).
export function moduleCall(spec, args) {
    return { kind: 'module', spec, args: args };
}

export function playbook(name, description, plays) {
    return { kind: 'playbook', name, description, plays };
}

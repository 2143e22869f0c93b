export const secretsFile = {
    // PGHA_SECRETS_FILE, else .secrets/cluster.yml in the project (PGHA_PROJECT_DIR, which Molecule
    // sets, or the folder above out/). stand/secrets.ts writes the same file.
    path: "{{ lookup('ansible.builtin.env', 'PGHA_SECRETS_FILE') or ((lookup('ansible.builtin.env', 'PGHA_PROJECT_DIR') or (playbook_dir ~ '/..')) ~ '/.secrets/cluster.yml') }}",
    provides: ['pgha_superuser_password', 'pgha_replication_password', 'pgha_rest_api_password', 'pgha_haproxy_stats_password'],
};

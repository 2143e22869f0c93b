// The site-wide TLS switch and where the pki role puts the certificates, for playbooks, Molecule
// scenarios and tests.
import { defaultOf } from '../../dsl/index.js';
import pki from '../../roles-src/pki/role.js';

/** The site-wide TLS switch (on unless pgha_tls is false), as a Jinja test. */
export const TLS_ON = 'pgha_tls | default(true) | bool';
/** Where the pki role puts ca.crt, host.crt and host.key on every host. */
export const HOST_TLS_DIR = defaultOf(pki, 'pki_remote_dir');
/** The CA every host gets from the pki role. */
export const CA_FILE = `${HOST_TLS_DIR}/ca.crt`;

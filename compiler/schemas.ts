// Validates emitted documents against the JSON schemas ansible-lint ships (read from the
// installed package, never copied). They declare draft-07 but use $defs, markdownDescription
// and prefixItems, so Ajv runs with strict mode off and formats unchecked.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { ansibleLintSchemasDir, moleculeSchemaFile } from './python-env.js';

export type SchemaKind = 'playbook' | 'tasks' | 'meta' | 'role-arg-spec' | 'inventory' | 'vars' | 'molecule';

export class Schemas {
  private readonly ajv: Ajv;
  private readonly cache = new Map<SchemaKind, ValidateFunction>();
  private readonly dir: string;

  constructor() {
    this.dir = ansibleLintSchemasDir();
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
    for (const f of fs.readdirSync(this.dir).filter((x) => x.endsWith('.json') && !x.startsWith('__'))) {
      const schema = JSON.parse(fs.readFileSync(path.join(this.dir, f), 'utf8'));
      this.ajv.addSchema(schema, f === 'molecule.json' ? 'ansible-lint-molecule.json' : f);
    }
    // molecule.yml is checked against the schema of the installed Molecule, the tool that reads
    // it (ansible-lint's copy predates Molecule's `default` driver).
    this.ajv.addSchema(JSON.parse(fs.readFileSync(moleculeSchemaFile(), 'utf8')), 'molecule.json');
  }

  /** Returns error lines (instance path and message), none if the document is valid. */
  validate(kind: SchemaKind, doc: unknown): string[] {
    let v = this.cache.get(kind);
    if (!v) {
      v = this.ajv.getSchema(`${kind}.json`);
      if (!v) throw new Error(`ansible-lint schema ${kind}.json not found in ${this.dir}`);
      this.cache.set(kind, v);
    }
    if (v(doc)) return [];
    return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
  }
}

/** Which schema an emitted file is checked against, by its path under out/. */
export function schemaFor(relPath: string): SchemaKind | undefined {
  if (/^roles\/[^/]+\/(tasks|handlers)\/[^/]+\.yml$/.test(relPath)) return 'tasks';
  if (/^roles\/[^/]+\/meta\/main\.yml$/.test(relPath)) return 'meta';
  if (/^roles\/[^/]+\/meta\/argument_specs\.yml$/.test(relPath)) return 'role-arg-spec';
  if (/^roles\/[^/]+\/defaults\/[^/]+\.yml$/.test(relPath)) return 'vars';
  if (/^inventory\/[^/]+\.yml$/.test(relPath)) return 'inventory';
  if (/^molecule\/[^/]+\/molecule\.yml$/.test(relPath)) return 'molecule';
  if (/^molecule\/[^/]+\/[^/]+\.yml$/.test(relPath)) return 'playbook';
  if (/^[^/]+\.yml$/.test(relPath)) return 'playbook';
  return undefined;
}

// Compiles ansible-lint's schemas into one standalone CommonJS module of Ajv validators. Plain
// JavaScript, so that a worker thread can run it as it is (see prepareSchemas in schemas.ts);
// the build also calls it directly when no worker did.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Ajv } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;

/** @param {{ files: [string, string][]; cacheFile: string; kinds: readonly string[] }} job */
function compileSchemas({ files, cacheFile, kinds }) {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    validateSchema: false,
    // Neither inlined references nor Ajv's optimisation passes: 40% less compile time for the
    // same validation (the code is no slower to load, and validation is a small part of a build).
    inlineRefs: false,
    code: { source: true, optimize: false },
  });
  for (const [id, file] of files) ajv.addSchema(JSON.parse(fs.readFileSync(file, 'utf8')), id);
  const code = standaloneCode(ajv, Object.fromEntries(kinds.map((k) => [k, `${k}.json`])));
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.${String(Math.random()).slice(2)}`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, cacheFile);
}

const { isMainThread, workerData } = require('node:worker_threads');
if (!isMainThread && workerData && workerData.compileSchemas) compileSchemas(workerData.compileSchemas);

module.exports = { compileSchemas };

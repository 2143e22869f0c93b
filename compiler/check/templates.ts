// A role's .j2 templates, each read once: a registered result's attribute that is a near miss of
// what its module returns, an {% include %} (import, from, extends) of a file the role does not
// have, and a variable that nothing declares.
import path from 'node:path';
import { isMagic, scanTemplate, undeclaredMessage } from '../jinja-refs.js';
import { registeredReadProblems, type Registered } from './tasks.js';

export interface TemplateScope {
  registered: ReadonlyMap<string, Registered>;
  /** What a template may read: the role's variables and what its tasks and handlers bind. */
  known: ReadonlySet<string>;
  /** An imported role's guarded reads (`x | default`, `x is defined`) pass. */
  houseStyle: boolean;
  /** Where an undeclared variable should be declared, for the message. */
  knownFrom: string;
}

/** Reports each problem with the template's name and the field (the name it is about). */
export function checkTemplates(
  templateText: ReadonlyMap<string, string>,
  scope: TemplateScope,
  report: (template: string, field: string, message: string) => void,
): void {
  const names = [...templateText.keys()];
  for (const [name, text] of templateText) {
    const scan = scanTemplate(text);
    for (const m of registeredReadProblems(text, scope.registered)) report(name, name, m);
    // {% include %}, {% import %}, {% from %} and {% extends %} of a literal name: it must be there.
    for (const m of text.matchAll(/\{%-?\s*(?:include|import|from|extends)\s+(['"])([^'"{}]+)\1/g)) {
      const inc = m[2]!;
      const here = path.posix.join(path.posix.dirname(name), inc);
      if (!names.includes(inc) && !names.includes(here))
        report(
          name,
          inc,
          `includes '${inc}', which is not in templates/ next to the role source (have: ${names.join(', ') || 'none'})`,
        );
    }
    for (const v of scan.reads)
      if (!scan.binds.has(v) && !scope.known.has(v) && !isMagic(v) && !(!scope.houseStyle && scan.guarded?.has(v)))
        report(name, v, undeclaredMessage(v, scope.known, scope.knownFrom));
  }
}

// Every byte of YAML the compiler writes goes through here: YAML 1.1 rules (what PyYAML and so
// Ansible read), so strings such as "yes", "0644" or "on" are quoted and stay strings.
import { Document, Scalar, visit } from 'yaml';

/** `comment` lands as `#` lines above the document. */
export function toYaml(value: unknown, comment?: string): string {
  const doc = new Document(value, { version: '1.1' });
  if (comment) doc.commentBefore = comment.split('\n').map((l) => (l ? ` ${l}` : '')).join('\n');
  doc.directives!.docStart = true;
  visit(doc, {
    Scalar(_, node: Scalar) {
      // PyYAML rejects tabs in plain scalars and reads a lone "=" as a special tag.
      // A line ending in spaces would be written as a block scalar line with trailing spaces
      // (ansible-lint's yaml[trailing-spaces]): double quotes keep them visible and the value exact.
      if (typeof node.value === 'string' && (/[\t\u0000-\u0008\u000b-\u001f\u007f]/.test(node.value) || node.value === '=' || / +\n/.test(node.value))) {
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  return doc.toString({ lineWidth: 150, minContentWidth: 40, indentSeq: true });
}

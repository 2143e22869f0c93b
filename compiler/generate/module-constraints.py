"""Reads the argument constraints a module's source gives AnsibleModule (mutually_exclusive,
required_together, required_one_of, required_if, required_by): ansible-doc's JSON does not carry
them. Only literal values are taken (a module that builds them at run time gets none).
Input: JSON {fqcn: filename} on stdin. Output: JSON {fqcn: constraints}."""
import ast
import json
import sys

KEYS = ('mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by')


def literal(node):
    """ast.literal_eval, plus `dict(a=..., b=...)` calls (how modules write required_by)."""
    if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'dict' and not node.args:
        return {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
    return ast.literal_eval(node)


def constraints(filename):
    with open(filename, encoding='utf-8') as f:
        tree = ast.parse(f.read(), filename)
    # Module-level names assigned a literal, for `mutually_exclusive=MUTUALLY_EXCLUSIVE`.
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                names[node.targets[0].id] = literal(node.value)
            except ValueError:
                pass
    found = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, 'id', getattr(node.func, 'attr', None)) == 'AnsibleModule'):
            continue
        for kw in node.keywords:
            if kw.arg not in KEYS:
                continue
            try:
                value = literal(kw.value)
            except ValueError:
                value = names.get(kw.value.id) if isinstance(kw.value, ast.Name) else None
            if value:
                found[kw.arg] = [list(x) if isinstance(x, (list, tuple)) else x for x in value] if kw.arg != 'required_by' else {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in value.items()}
    return found


out = {}
for fqcn, filename in json.load(sys.stdin).items():
    try:
        out[fqcn] = constraints(filename)
    except (OSError, SyntaxError):
        out[fqcn] = {}
json.dump(out, sys.stdout, sort_keys=True)

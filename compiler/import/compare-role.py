# Compares two roles as Ansible reads them: an original and the role the project emits for it.
# Every YAML file goes through ansible-core's own loader, every task through its ModuleArgsParser
# (the module, its arguments, free-form strings and `args:` included, and delegation), so a key
# the import lost or changed shows as a difference, never as an equal reading.
#   python compare-role.py [--local-roles a,b] ORIGINAL EMITTED -> JSON list of {file, where, original, emitted}
# The differences it forgives are the ones Ansible itself does not see (listed in `same_keyword`).
import json
import os
import re
import sys

from ansible.module_utils.common.validation import check_type_bool, check_type_int, check_type_list
from ansible.parsing.dataloader import DataLoader
from ansible.parsing.mod_args import ModuleArgsParser
from ansible.plugins.loader import action_loader, fragment_loader, init_plugin_loader, module_loader
from ansible.utils.plugin_docs import get_docstring

# Task keywords Ansible reads as a list whether written as one value or a list of them.
LISTABLE = {"tags", "notify", "when", "changed_when", "failed_when", "listen", "environment_names"}
BLOCK_PARTS = ("block", "rescue", "always")
# Keywords the task itself names its action with: read by ModuleArgsParser, not compared as such.
ACTION_KEYS = {"action", "local_action", "args"}
# Jinja-free loops the import writes as `loop:` (Ansible runs with_list/with_items over a flat
# list exactly as loop over it).
FLAT_LOOPS = ("with_list", "with_items")

loader = DataLoader()
# --local-roles a,b: the project's roles; a collection's role of that name (`ns.coll.a`) is imported
# as the project's own `a`, and the import says so in a note.
LOCAL_ROLES = set()


def local_role(name):
    last = str(name).split(".")[-1]
    return last if str(name).count(".") >= 2 and last in LOCAL_ROLES else name


def plain(value):
    """Tagged or not, the value as JSON has it (tags, positions and subclass types dropped)."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, (int, float, bool)) else k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


_resolved = {}
_options = {}


def fqcn(name):
    """The module a name runs, as the plugin loader resolves it (short names, redirects)."""
    if name not in _resolved:
        ctx = module_loader.find_plugin_with_context(name)
        if not ctx.resolved:
            # Some names are routed by their action plugin (yum runs ansible.builtin.dnf since 2.17).
            act = action_loader.find_plugin_with_context(name)
            if act.resolved and act.resolved_fqcn != name:
                ctx = module_loader.find_plugin_with_context(act.resolved_fqcn)
        _resolved[name] = ctx.resolved_fqcn if ctx.resolved and ctx.resolved_fqcn else name
    return _resolved[name]


def options_of(module):
    """The module's documented options: name -> (type, elements), aliases included."""
    if module not in _options:
        found = {}
        ctx = module_loader.find_plugin_with_context(module)
        if ctx.resolved:
            try:
                doc = get_docstring(ctx.plugin_resolved_path, fragment_loader, collection_name=ctx.plugin_resolved_collection, is_module=True)[0] or {}
            except Exception:  # noqa: BLE001 - an undocumented module is compared as written
                doc = {}
            for n, o in (doc.get("options") or {}).items():
                for k in [n, *(o.get("aliases") or [])]:
                    found[k] = (o.get("type", "str"), o.get("elements"))
        _options[module] = found
    return _options[module]


def as_module_reads(kind, value):
    """A value as AnsibleModule's argument spec converts it (what the module then sees)."""
    if isinstance(value, str) and "{{" in value:
        return value
    try:
        if kind == "list":
            return check_type_list(value)
        if kind == "bool":
            return check_type_bool(value)
        if kind == "int":
            return check_type_int(value)
    except Exception:  # noqa: BLE001 - left as written: the module itself refuses it the same way
        return value
    return value


def module_args(module, args):
    args = dict(args)
    # command and shell take their command line as _raw_params or as cmd: the same to the module;
    # the include actions take their file as _raw_params or as file.
    if "_raw_params" in args:
        if module in ("ansible.builtin.command", "ansible.builtin.shell") and "cmd" not in args:
            args["cmd"] = args.pop("_raw_params")
        elif module in ("ansible.builtin.include_tasks", "ansible.builtin.import_tasks", "ansible.builtin.include_vars") and "file" not in args:
            args["file"] = args.pop("_raw_params")
    options = options_of(module)
    for k, v in list(args.items()):
        kind = options.get(k, (None, None))[0]
        if k == "mode" and isinstance(v, int) and not isinstance(v, bool):
            # A mode written as a YAML 1.1 octal number is read as that number; as a string, in octal.
            args[k] = "0%o" % v
        elif kind:
            args[k] = as_module_reads(kind, v)
    # A role the import renamed (a collection's role, imported as the project's own) is the same role.
    if module in ("ansible.builtin.include_role", "ansible.builtin.import_role") and "name" in args:
        args["name"] = local_role(args["name"])
    return args


def keyword(key, value):
    value = plain(value)
    if key in LISTABLE and not isinstance(value, list):
        return [value]
    return value


def task(ds, where, problems):
    """One task (or block) as Ansible runs it: its action and arguments, and every other keyword."""
    ds = dict(ds)
    if any(p in ds for p in BLOCK_PARTS):
        out = {k: keyword(k, v) for k, v in ds.items() if k not in BLOCK_PARTS}
        for p in BLOCK_PARTS:
            if p in ds:
                out[p] = tasks(ds[p] or [], f"{where}.{p}", problems)
        return out
    try:
        action, args, delegate_to = ModuleArgsParser(task_ds=ds).parse(skip_action_validation=True)
    except Exception as e:  # noqa: BLE001 - any reading Ansible refuses is a difference to report
        return {"unreadable": str(e)}
    out = {}
    for k, v in ds.items():
        if k in ACTION_KEYS or k == action:
            continue
        if k in FLAT_LOOPS and isinstance(v, list) and not any(isinstance(x, list) for x in v):
            k = "loop"
        out[k] = keyword(k, v)
    out.pop(action, None)
    # What ModuleArgsParser parsed the action from is not a keyword, whichever spelling it had.
    for k in list(out):
        if k not in ("loop",) and fqcn(k) == fqcn(action) and k not in ds.get("args", {}):
            out.pop(k)
    module = fqcn(action)
    out["action"] = module
    out["args"] = plain(module_args(module, args))
    if delegate_to is not None and "delegate_to" not in ds:
        out["delegate_to"] = plain(delegate_to)
    return out


def tasks(items, where, problems):
    if not isinstance(items, list):
        return plain(items)
    return [task(t, f"{where}[{i}]", problems) if isinstance(t, dict) else plain(t) for i, t in enumerate(items)]


def yaml_files(root):
    for base, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith((".yml", ".yaml")):
                yield os.path.relpath(os.path.join(base, f), root)


def read(path):
    return loader.load_from_file(path)


def compare(a, b, where, file, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                out.append({"file": file, "where": f"{where}.{k}", "original": a.get(k, "<absent>"), "emitted": b.get(k, "<absent>")})
            else:
                compare(a[k], b[k], f"{where}.{k}", file, out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{where}[{i}]", file, out)
    elif a != b and not (".galaxy_info." in where + "." and same_version(a, b)):
        out.append({"file": file, "where": where or "(whole file)", "original": a, "emitted": b})


def galaxy(value):
    """Galaxy's information as Galaxy reads it: versions as strings (`2.10` read as 2.1 is 2.10's
    slip), a platform's `version:` as `versions:`. No play reads any of it."""
    if isinstance(value, dict):
        return {("versions" if k == "version" else k): galaxy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [galaxy(v) for v in value]
    if isinstance(value, float):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def dependency(d):
    d = {"role": d} if isinstance(d, str) else dict(d)
    if "name" in d and "role" not in d:
        d["role"] = d.pop("name")
    d["role"] = local_role(d["role"])
    return {k: keyword(k, v) for k, v in d.items()}


def same_version(a, b):
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def role_data(root, problems):
    data = {}
    for part in ("tasks", "handlers"):
        d = os.path.join(root, part)
        if os.path.isdir(d):
            for f in yaml_files(d):
                data[f"{part}/{f}"] = tasks(read(os.path.join(d, f)) or [], f"{part}/{f}", problems)
    for part in ("defaults", "vars", "meta"):
        d = os.path.join(root, part)
        if os.path.isdir(d):
            for f in yaml_files(d):
                value = plain(read(os.path.join(d, f)))
                if part == "meta" and isinstance(value, dict):
                    value = {k: galaxy(v) if k == "galaxy_info" else v for k, v in value.items()}
                    # No dependencies and an empty list of them are the same to Ansible; a
                    # dependency named alone is one with `role:`.
                    if not value.get("dependencies"):
                        value.pop("dependencies", None)
                    else:
                        value["dependencies"] = [dependency(d) for d in value["dependencies"]]
                data[f"{part}/{f}"] = value
    # An empty file (or an empty list of tasks) and none are the same to Ansible.
    return {k: v for k, v in data.items() if v not in (None, [], {})}


# The build's one addition to a template: a Jinja comment after its last byte (renders as nothing).
HEADER = re.compile(rb"\{# Generated by `npm run build` from [^\n]*#\}$")
# Folders whose files Ansible uses as they are (templates apart from that comment).
VERBATIM = ("templates", "files", "library", "module_utils", "filter_plugins", "lookup_plugins", "action_plugins")


def file_differences(original, emitted):
    out = []
    for part in VERBATIM:
        names = set()
        for root in (original, emitted):
            d = os.path.join(root, part)
            for base, _, files in os.walk(d):
                names.update(os.path.relpath(os.path.join(base, f), root) for f in files)
        for rel in sorted(names):
            a, b = os.path.join(original, rel), os.path.join(emitted, rel)
            if not os.path.isfile(b) or not os.path.isfile(a):
                out.append({"file": rel, "where": "(whole file)", "original": "<present>" if os.path.isfile(a) else "<absent>", "emitted": "<present>" if os.path.isfile(b) else "<absent>"})
                continue
            with open(a, "rb") as fa, open(b, "rb") as fb:
                x, y = fa.read(), fb.read()
            if part == "templates":
                # An original this build emitted carries the comment too (an import of out/roles).
                x, y = HEADER.sub(b"", x), HEADER.sub(b"", y)
            if x != y:
                out.append({"file": rel, "where": "(bytes)", "original": f"{len(x)} bytes", "emitted": f"{len(y)} bytes"})
    return out


def main():
    init_plugin_loader()
    argv = sys.argv[1:]
    if argv and argv[0] == "--local-roles":
        LOCAL_ROLES.update(n for n in argv[1].split(",") if n)
        argv = argv[2:]
    original, emitted = argv
    problems = []
    a, b = role_data(original, problems), role_data(emitted, problems)
    out = []
    for file in sorted(set(a) | set(b)):
        if file not in b:
            out.append({"file": file, "where": "(whole file)", "original": "<present>", "emitted": "<absent>"})
        elif file not in a:
            out.append({"file": file, "where": "(whole file)", "original": "<absent>", "emitted": "<present>"})
        else:
            compare(a[file], b[file], "", file, out)
    out += file_differences(original, emitted)
    json.dump(out, sys.stdout, indent=1, default=str)


main()

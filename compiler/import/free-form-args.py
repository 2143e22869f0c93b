# Free-form task arguments as Ansible reads them: each [module, text] on stdin (a JSON list) through
# ansible-core's ModuleArgsParser, which splits `k=v` words from the rest (`command: x creates=/y`
# is _raw_params 'x' and creates '/y'; only the module's known words are split off). Prints the
# parsed arguments, one mapping per input, in order.
import json
import sys

from ansible.parsing.mod_args import ModuleArgsParser
from ansible.plugins.loader import init_plugin_loader


def plain(value):
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return str(value)


init_plugin_loader()
out = []
for module, text in json.load(sys.stdin):
    try:
        _, args, _ = ModuleArgsParser(task_ds={module: text}).parse(skip_action_validation=True)
        out.append(plain(args))
    except Exception as e:  # noqa: BLE001 - the importer then refuses the task with Ansible's words
        out.append({"__error__": str(e)})
print(json.dumps(out))

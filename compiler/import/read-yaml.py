# A YAML file as Ansible reads it (ansible-core's DataLoader: PyYAML's rules), printed as JSON: the
# importer's reading when the `yaml` package is stricter than PyYAML (a multi-line double-quoted
# string, say). Exits 1 with PyYAML's own message when Ansible cannot read it either.
import json
import sys

from ansible.parsing.dataloader import DataLoader


def plain(value):
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, (bool, int, float)) else k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return str(value)


try:
    data = DataLoader().load_from_file(sys.argv[1])
except Exception as e:  # noqa: BLE001 - Ansible's own words, for the importer's message
    print(str(e).splitlines()[0] if str(e) else type(e).__name__, file=sys.stderr)
    sys.exit(1)
print(json.dumps(plain(data)))

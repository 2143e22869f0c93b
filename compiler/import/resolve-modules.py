# Resolves module names as Ansible does when it runs a task: short names, collection redirects and
# builtin redirects (yum -> ansible.builtin.dnf) through the plugin loader, and reads each resolved
# module's options (types, list elements, aliases, suboptions) from its documentation. Reads a JSON
# list of names on stdin; prints {name: {"fqcn", "collection", "installed", "options"}}.
import json
import sys

from ansible.plugins.loader import action_loader, fragment_loader, init_plugin_loader, module_loader
from ansible.utils.collection_loader._collection_finder import _get_collection_metadata
from ansible.utils.plugin_docs import get_docstring


def trim(options):
    out = {}
    for name, o in (options or {}).items():
        t = {k: o[k] for k in ('type', 'elements', 'aliases') if o.get(k)}
        if o.get('suboptions'):
            t['suboptions'] = trim(o['suboptions'])
        out[name] = t
    return out


def options_of(ctx):
    try:
        doc = get_docstring(
            ctx.plugin_resolved_path,
            fragment_loader,
            collection_name=ctx.plugin_resolved_collection,
            is_module=True,
        )[0]
    except Exception:
        return None
    return trim((doc or {}).get('options'))


init_plugin_loader()
out = {}
for name in json.load(sys.stdin):
    ctx = module_loader.find_plugin_with_context(name)
    if not ctx.resolved:
        # Some names are routed by their action plugin (yum runs ansible.builtin.dnf since 2.17).
        act = action_loader.find_plugin_with_context(name)
        if act.resolved and act.resolved_fqcn != name:
            ctx = module_loader.find_plugin_with_context(act.resolved_fqcn)
    parts = name.split('.')
    collection = '.'.join(parts[:2]) if len(parts) >= 3 else None
    installed = True
    if collection:
        try:
            _get_collection_metadata(collection)
        except Exception:
            installed = False
    out[name] = {
        'fqcn': ctx.resolved_fqcn if ctx.resolved else None,
        'collection': collection,
        'installed': installed,
        'options': options_of(ctx) if ctx.resolved else None,
    }
print(json.dumps(out))

#!/usr/bin/env python3
"""Extracts the request-body schemas the wire conformance test (tests/wire.rs) checks
against, from the REST clients the Azure SDK for Python generates from the REST API specs.

Since 2025-12-01 the Azure ML spec is TypeSpec (`specification/machinelearningservices/
resource-manager/Microsoft.MachineLearningServices/MachineLearningServices/main.tsp`); the
published swagger files of that version (`stable/2025-12-01/{mfe,machineLearningServices,
workspaceRP,registries}.json`) are emitted from it, and so is `azure-ai-ml`'s
`_restclient/arm_ml_service` (api-version 2025-12-01). Its models keep every fact the test
needs: the JSON name of each property, its visibility (`["read"]` alone is readOnly), whether
it is optional, its type, enums, and the discriminators (`__mapping__`, `discriminator=`),
so the schema is read from them with `ast` (nothing is imported or run).

Usage (no dependencies beyond the standard library):
    pip download azure-ai-ml==1.35.2 --no-deps -d /tmp/aiml
    unzip -q /tmp/aiml/azure_ai_ml-1.35.2-py3-none-any.whl -d /tmp/aiml/whl
    python3 tests/wire/extract_schema.py aml \
        /tmp/aiml/whl/azure/ai/ml/_restclient/arm_ml_service > tests/wire/aml-2025-12-01.json

The private DNS schema comes the same way from `azure-mgmt-privatedns` 2.0.0 (api-version
2024-06-01, `specification/privatedns/resource-manager/Microsoft.Network/stable/2024-06-01/
privatedns.json`, whose generated client has the same model form):
    pip download azure-mgmt-privatedns==2.0.0 --no-deps -d /tmp/pdns
    unzip -q /tmp/pdns/azure_mgmt_privatedns-2.0.0-py3-none-any.whl -d /tmp/pdns/whl
    python3 tests/wire/extract_schema.py privatedns \
        /tmp/pdns/whl/azure/mgmt/privatedns > tests/wire/privatedns-2024-06-01.json

Role assignments and autoscale settings come from the older (msrest) clients, whose models
flatten `properties.*` into dotted keys; `msrest_models` nests them back:
    pip download azure-mgmt-authorization==4.0.0 azure-mgmt-monitor==7.0.0 --no-deps -d /tmp/m
    (unzip both into /tmp/m/whl)
    python3 tests/wire/extract_schema.py authorization \
        /tmp/m/whl/azure/mgmt/authorization/v2022_04_01 > tests/wire/authorization-2022-04-01.json
    python3 tests/wire/extract_schema.py autoscale \
        /tmp/m/whl/azure/mgmt/monitor > tests/wire/autoscale-2022-10-01.json

Key Vault, storage, Application Insights, Log Analytics, private endpoints and budgets are not
vendored: the current Python clients are of other api-versions than amlplan sends.

The output holds only the models reachable from the request bodies amlplan sends
(`RESOURCES`, `ACTIONS`), each with its inherited properties flattened in.
"""

import ast
import json
import sys
from pathlib import Path

API_VERSION = "2025-12-01"
PACKAGE = "azure-ai-ml 1.35.2 (PyPI), azure/ai/ml/_restclient/arm_ml_service"

# The PUT body of each ARM type amlplan writes (the `body` parameter of its
# `*_CreateOrUpdate` operation in the spec).
RESOURCES = {
    "Microsoft.MachineLearningServices/workspaces": "Workspace",
    "Microsoft.MachineLearningServices/workspaces/outboundRules": "OutboundRuleBasicResource",
    "Microsoft.MachineLearningServices/workspaces/computes": "ComputeResource",
    "Microsoft.MachineLearningServices/workspaces/onlineEndpoints": "OnlineEndpoint",
    "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments": "OnlineDeployment",
    "Microsoft.MachineLearningServices/workspaces/batchEndpoints": "BatchEndpoint",
    "Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments": "BatchDeployment",
    "Microsoft.MachineLearningServices/workspaces/serverlessEndpoints": "ServerlessEndpoint",
    "Microsoft.MachineLearningServices/workspaces/datastores": "Datastore",
    "Microsoft.MachineLearningServices/workspaces/schedules": "Schedule",
    "Microsoft.MachineLearningServices/workspaces/codes": "CodeContainer",
    "Microsoft.MachineLearningServices/workspaces/codes/versions": "CodeVersion",
    "Microsoft.MachineLearningServices/workspaces/components": "ComponentContainer",
    "Microsoft.MachineLearningServices/workspaces/components/versions": "ComponentVersion",
    "Microsoft.MachineLearningServices/workspaces/data": "DataContainer",
    "Microsoft.MachineLearningServices/workspaces/data/versions": "DataVersionBase",
    "Microsoft.MachineLearningServices/workspaces/environments": "EnvironmentContainer",
    "Microsoft.MachineLearningServices/workspaces/environments/versions": "EnvironmentVersion",
    "Microsoft.MachineLearningServices/workspaces/models": "ModelContainer",
    "Microsoft.MachineLearningServices/workspaces/models/versions": "ModelVersion",
    "Microsoft.MachineLearningServices/workspaces/featuresets": "FeaturesetContainer",
    "Microsoft.MachineLearningServices/workspaces/featuresets/versions": "FeaturesetVersion",
    "Microsoft.MachineLearningServices/workspaces/featurestoreEntities": "FeaturestoreEntityContainer",
    "Microsoft.MachineLearningServices/workspaces/featurestoreEntities/versions": "FeaturestoreEntityVersion",
    "Microsoft.MachineLearningServices/workspaces/jobs": "JobBase",
    "Microsoft.MachineLearningServices/workspaces/connections": "WorkspaceConnectionPropertiesV2BasicResource",
    "Microsoft.MachineLearningServices/workspaces/capabilityHosts": "CapabilityHost",
    "Microsoft.MachineLearningServices/workspaces/marketplaceSubscriptions": "MarketplaceSubscription",
    "Microsoft.MachineLearningServices/registries": "Registry",
    "Microsoft.MachineLearningServices/registries/codes": "CodeContainer",
    "Microsoft.MachineLearningServices/registries/codes/versions": "CodeVersion",
    "Microsoft.MachineLearningServices/registries/components": "ComponentContainer",
    "Microsoft.MachineLearningServices/registries/components/versions": "ComponentVersion",
    "Microsoft.MachineLearningServices/registries/environments": "EnvironmentContainer",
    "Microsoft.MachineLearningServices/registries/environments/versions": "EnvironmentVersion",
    "Microsoft.MachineLearningServices/registries/models": "ModelContainer",
    "Microsoft.MachineLearningServices/registries/models/versions": "ModelVersion",
}

# POST action bodies amlplan sends, by ARM type and action. The generated client leaves the
# compute instance actions out, so their bodies are written here from the spec's
# `machineLearningServices.json` 2025-12-01 (`Compute_Resize`: `ResizeSchema`;
# `Compute_UpdateIdleShutdownSetting`: `IdleShutdownSetting`, its example
# `examples/Compute/updateIdleShutdownSetting.json` sends `{"idleTimeBeforeShutdown": "PT120M"}`).
ACTIONS = {
    "Microsoft.MachineLearningServices/workspaces/computes/resize": "ResizeSchema",
    "Microsoft.MachineLearningServices/workspaces/computes/updateIdleShutdownSetting": "IdleShutdownSetting",
    "Microsoft.MachineLearningServices/workspaces/codes/versions/startPendingUpload": "PendingUploadRequestDto",
    "Microsoft.MachineLearningServices/registries/codes/versions/startPendingUpload": "PendingUploadRequestDto",
}
HAND_WRITTEN = {
    "ResizeSchema": {
        "properties": {
            "targetVMSize": {"type": {"kind": "string"}, "required": False, "read_only": False}
        }
    },
    "IdleShutdownSetting": {
        "properties": {
            "idleTimeBeforeShutdown": {"type": {"kind": "string"}, "required": False, "read_only": False}
        }
    },
}

PRIVATE_DNS = {
    "Microsoft.Network/privateDnsZones": "PrivateZone",
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks": "VirtualNetworkLink",
    **{f"Microsoft.Network/privateDnsZones/{t}": "RecordSet" for t in ("A", "AAAA", "CNAME", "MX", "PTR", "SOA", "SRV", "TXT")},
}

AUTHORIZATION = {"Microsoft.Authorization/roleAssignments": "RoleAssignmentCreateParameters"}
AUTOSCALE = {"Microsoft.Insights/autoscalesettings": "AutoscaleSettingResource"}

PROFILES = {
    "aml": {
        "api_version": API_VERSION,
        "spec": "Azure/azure-rest-api-specs specification/machinelearningservices/resource-manager/"
        "Microsoft.MachineLearningServices/stable/2025-12-01/ (TypeSpec-generated swagger)",
        "package": PACKAGE,
        "resources": RESOURCES,
        "actions": ACTIONS,
        "hand_written": HAND_WRITTEN,
    },
    # The older (msrest) generated clients: `_validation`, `_attribute_map` with dotted
    # (flattened) keys and `_subtype_map`; read by `msrest_models`.
    "authorization": {
        "api_version": "2022-04-01",
        "spec": "Azure/azure-rest-api-specs specification/authorization/resource-manager/"
        "Microsoft.Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json",
        "package": "azure-mgmt-authorization 4.0.0 (PyPI), azure/mgmt/authorization/v2022_04_01",
        "models": "models/_models_py3.py",
        "resources": AUTHORIZATION,
        "actions": {},
        "hand_written": {},
    },
    "autoscale": {
        "api_version": "2022-10-01",
        "spec": "Azure/azure-rest-api-specs specification/monitor/resource-manager/"
        "Microsoft.Insights/stable/2022-10-01/autoscale_API.json",
        "package": "azure-mgmt-monitor 7.0.0 (PyPI), azure/mgmt/monitor (autoscale settings at 2022-10-01)",
        "models": "models/_models_py3.py",
        "resources": AUTOSCALE,
        "actions": {},
        "hand_written": {},
    },
    "privatedns": {
        "api_version": "2024-06-01",
        "spec": "Azure/azure-rest-api-specs specification/privatedns/resource-manager/"
        "Microsoft.Network/stable/2024-06-01/privatedns.json",
        "package": "azure-mgmt-privatedns 2.0.0 (PyPI), azure/mgmt/privatedns",
        "resources": PRIVATE_DNS,
        "actions": {},
        "hand_written": {},
    },
}

PRIMITIVES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "Any": "any", "bytes": "string"}


def enums_of(path):
    enums = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ClassDef):
            members = {}
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
                    members[stmt.targets[0].id] = stmt.value.value
            enums[node.name] = members
    return enums


def type_of(expr, enums):
    """(type, optional) of an annotation."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return type_of(ast.parse(expr.value, mode="eval").body, enums)
    if isinstance(expr, ast.Name):
        if expr.id in PRIMITIVES:
            return {"kind": PRIMITIVES[expr.id]}, False
        return {"model": expr.id}, False
    if isinstance(expr, ast.Attribute):
        if isinstance(expr.value, ast.Name) and expr.value.id == "datetime":
            return {"kind": "string", "format": expr.attr}, False
        if isinstance(expr.value, ast.Name) and expr.value.id == "_models":
            if expr.attr in enums:
                return {"enum": expr.attr}, False
            return {"model": expr.attr}, False
        raise ValueError(ast.dump(expr))
    if isinstance(expr, ast.Subscript):
        outer = expr.value.id if isinstance(expr.value, ast.Name) else None
        inner = expr.slice
        if outer == "Optional":
            t, _ = type_of(inner, enums)
            return t, True
        if outer == "list":
            t, _ = type_of(inner, enums)
            return {"array": t}, False
        if outer == "dict":
            t, _ = type_of(inner.elts[1], enums)
            return {"map": t}, False
        if outer == "Union":
            parts = [type_of(e, enums)[0] for e in inner.elts]
            named = [p for p in parts if "enum" in p]
            if len(parts) == 2 and {"kind": "string"} in parts and named:
                return named[0], False
            return {"kind": "any"}, False
        if outer == "Literal":
            if isinstance(inner, ast.Constant):
                return {"const": inner.value}, False
            return {"const": enums[inner.value.id][inner.attr]}, False
    raise ValueError(ast.dump(expr))


def classes_of(path, enums):
    classes = {}
    for node in ast.parse(path.read_text()).body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [b.id for b in node.bases if isinstance(b, ast.Name) and b.id != "_Model"]
        value = next((k.value.value for k in node.keywords if k.arg == "discriminator"), None)
        props = {}
        polymorphic = None
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                if stmt.target.id == "__mapping__":
                    polymorphic = True
                    continue
                call = stmt.value
                if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") in ("rest_field", "rest_discriminator")):
                    continue
                kw = {k.arg: k.value for k in call.keywords}
                name = kw["name"].value if "name" in kw else stmt.target.id
                visibility = [e.value for e in kw["visibility"].elts] if "visibility" in kw else []
                t, optional = type_of(stmt.annotation, enums)
                props[name] = {
                    "type": t,
                    "required": not optional,
                    "read_only": visibility == ["read"],
                }
                if call.func.id == "rest_discriminator" and polymorphic:
                    polymorphic = name
        classes[node.name] = {"bases": bases, "value": value, "props": props, "discriminator": polymorphic}
    return classes


def flattened(name, classes):
    c = classes[name]
    props = {}
    for base in c["bases"]:
        props.update(flattened(base, classes))
    props.update(c["props"])
    return props


MSREST_TYPES = {
    "str": "string", "int": "integer", "long": "integer", "float": "number", "bool": "boolean",
    "object": "any", "iso-8601": "string", "rfc-1123": "string", "duration": "string",
    "date": "string", "bytearray": "string", "base64": "string", "unix-time": "integer",
}


def msrest_type(text):
    if text.startswith("[") and text.endswith("]"):
        return {"array": msrest_type(text[1:-1])}
    if text.startswith("{") and text.endswith("}"):
        return {"map": msrest_type(text[1:-1])}
    if text in MSREST_TYPES:
        return {"kind": MSREST_TYPES[text]}
    return {"model": text}


def split_key(key):
    """A flattened key's JSON path: `properties.roleDefinitionId`; `\\.` is a literal dot."""
    parts, current, i = [], "", 0
    while i < len(key):
        if key[i] == "\\" and i + 1 < len(key) and key[i + 1] == ".":
            current += "."
            i += 2
            continue
        if key[i] == ".":
            parts.append(current)
            current = ""
        else:
            current += key[i]
        i += 1
    parts.append(current)
    return parts


def msrest_models(path, wanted):
    """The models reachable from `wanted`, nested where the client flattened them (a key
    `properties.x` is property `x` of an object `properties`, named `Model.properties`)."""
    classes = {}
    for node in ast.parse(path.read_text()).body:
        if not isinstance(node, ast.ClassDef):
            continue
        c = {"bases": [b.id for b in node.bases if isinstance(b, ast.Name)], "validation": {}, "map": {}, "subtypes": {}}
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
                name = stmt.targets[0].id
                if name in ("_validation", "_attribute_map", "_subtype_map"):
                    value = ast.literal_eval(stmt.value)
                    c[{"_validation": "validation", "_attribute_map": "map", "_subtype_map": "subtypes"}[name]] = value
        classes[node.name] = c

    def chain(name):
        c = classes.get(name)
        if c is None:
            return {}, {}
        validation, amap = {}, {}
        for base in c["bases"]:
            v, m = chain(base)
            validation.update(v)
            amap.update(m)
        validation.update(c["validation"])
        amap.update(c["map"])
        return validation, amap

    models = {}
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name in models or name not in classes:
            continue
        validation, amap = chain(name)
        root = {"properties": {}}
        nested = {name: root}
        for attr, spec in amap.items():
            parts = split_key(spec["key"])
            rules = validation.get(attr, {})
            owner, owner_name = root, name
            for depth, part in enumerate(parts[:-1]):
                child_name = name + "." + ".".join(parts[: depth + 1])
                if child_name not in nested:
                    nested[child_name] = {"properties": {}}
                    owner["properties"][part] = {"type": {"model": child_name}, "required": False, "read_only": False}
                if rules.get("required"):
                    owner["properties"][part]["required"] = True
                owner, owner_name = nested[child_name], child_name
            t = msrest_type(spec["type"])
            owner["properties"][parts[-1]] = {
                "type": t,
                "required": bool(rules.get("required")),
                "read_only": bool(rules.get("readonly")),
            }
            stack = [t]
            while stack:
                x = stack.pop()
                if "model" in x and x["model"] not in nested:
                    todo.append(x["model"])
                stack.extend(x[k] for k in ("array", "map") if k in x)
        subtypes = classes[name]["subtypes"]
        for prop, values in subtypes.items():
            key = amap[prop]["key"]
            root["discriminator"] = {"property": key, "values": dict(sorted(values.items()))}
            todo.extend(values.values())
        models.update(nested)
    return models


def main():
    profile = PROFILES[sys.argv[1]]
    root = Path(sys.argv[2])
    resources, actions, hand_written = profile["resources"], profile["actions"], profile["hand_written"]
    if "models" in profile:
        models = msrest_models(root / profile["models"], list(resources.values()))
        out = {
            "api_version": profile["api_version"],
            "source": {
                "spec": profile["spec"],
                "extracted_from": profile["package"],
                "script": "tests/wire/extract_schema.py " + sys.argv[1],
            },
            "resources": dict(sorted(resources.items())),
            "actions": {},
            "models": dict(sorted(models.items())),
            "enums": {},
        }
        json.dump(out, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return
    enums = enums_of(root / "models" / "_enums.py")
    classes = classes_of(root / "models" / "_models.py", enums)
    subtypes = {}
    for name, c in classes.items():
        if c["value"] is not None:
            parent = c["bases"][0]
            while classes[parent]["discriminator"] in (None, True):
                parent = classes[parent]["bases"][0]
            subtypes.setdefault(parent, {})[c["value"]] = name
    models = {}
    wanted = list(resources.values()) + [a for a in actions.values() if a not in hand_written]
    used_enums = set()
    while wanted:
        name = wanted.pop()
        if name in models:
            continue
        model = {"properties": flattened(name, classes)}
        d = classes[name]["discriminator"]
        if isinstance(d, str):
            model["discriminator"] = {"property": d, "values": dict(sorted(subtypes.get(name, {}).items()))}
            wanted.extend(model["discriminator"]["values"].values())
        models[name] = model

        def walk(t):
            if "model" in t:
                wanted.append(t["model"])
            if "enum" in t:
                used_enums.add(t["enum"])
            for k in ("array", "map"):
                if k in t:
                    walk(t[k])

        for p in model["properties"].values():
            walk(p["type"])
    models.update(hand_written)
    out = {
        "api_version": profile["api_version"],
        "source": {
            "spec": profile["spec"],
            "extracted_from": profile["package"],
            "script": "tests/wire/extract_schema.py " + sys.argv[1],
        },
        "resources": dict(sorted(resources.items())),
        "actions": dict(sorted(actions.items())),
        "models": dict(sorted(models.items())),
        "enums": {e: sorted(set(enums[e].values())) for e in sorted(used_enums)},
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reads finAPI's published OpenAPI contract back out of a client openapi-generator built from it, and writes the
operations and schemas of specs/finapi.yaml (Access V2) or specs/finapi.webform.yaml (Web Form 2.0).

finAPI publishes its documents as the source of generated clients; the public Python client
norman-finance/finapi-webform-and-access (src/finapi_access: "finAPI Access V2", application version 2.38.0;
src/finapi_web_form: "Web Form 2.0") keeps every fact of them in code: per operation its method, path, parameters
(name, place, type, required, bounds, list style), body type and content type, and the body type per status; per
schema its fields (JSON name, type, required, bounds, inline enums) and every enum's values. This script reads those
facts with Python's own parser (ast) and emits OpenAPI 3.1. Descriptions are not carried over: the spec's text is
ours (one-line summaries derived from the operation names, plus the notes in OVERRIDES).

    python3 packages/finapi/scripts/import-published-spec.py <client checkout>/src access   > /tmp/access.json
    python3 packages/finapi/scripts/import-published-spec.py <client checkout>/src webform  > /tmp/webform.json

The JSON holds { paths, schemas, parameters }; packages/finapi/scripts/write-specs.mjs merges it with the hand-written
head of each spec (servers, security, the Process Controller) and writes the YAML.
"""
import ast
import json
import os
import re
import sys

SRC, PART = sys.argv[1], sys.argv[2]
PKG = {"access": "finapi_access", "webform": "finapi_web_form"}[PART]
API_DIR = os.path.join(SRC, PKG, "api")
MODEL_DIR = os.path.join(SRC, PKG, "models")

SCALARS = {
    "StrictInt": {"type": "integer", "format": "int64"},
    "int": {"type": "integer", "format": "int64"},
    "StrictStr": {"type": "string"},
    "str": {"type": "string"},
    "StrictBool": {"type": "boolean"},
    "bool": {"type": "boolean"},
    "StrictFloat": {"type": "number"},
    "float": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "bytearray": {"type": "string", "format": "binary"},
    "StrictBytes": {"type": "string", "format": "binary"},
    "object": {"type": "object"},
    "Any": {},
}
BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum",
          "min_length": "minLength", "max_length": "maxLength", "pattern": "pattern"}


def name_of(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def field_bounds(call):
    """Bounds of a pydantic Field(...) call, as OpenAPI keywords; list bounds become minItems/maxItems later."""
    out = {}
    for kw in call.keywords:
        if kw.arg in BOUNDS and isinstance(kw.value, (ast.Constant, ast.UnaryOp)):
            value = ast.literal_eval(kw.value)
            out[BOUNDS[kw.arg]] = value
    return out


def schema_of(node, refs):
    """(schema, optional) of a type annotation."""
    if isinstance(node, ast.Subscript):
        outer = name_of(node.value)
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if outer == "Optional":
            inner, _ = schema_of(args[0], refs)
            return inner, True
        if outer == "Annotated":
            inner, optional = schema_of(args[0], refs)
            for extra in args[1:]:
                if isinstance(extra, ast.Call) and name_of(extra.func) == "Field":
                    bounds = field_bounds(extra)
                    if inner.get("type") == "array":
                        bounds = {{"minLength": "minItems", "maxLength": "maxItems"}.get(k, k): v
                                  for k, v in bounds.items()}
                    inner = {**inner, **bounds}
            return inner, optional
        if outer in ("List", "list", "Set"):
            item, _ = schema_of(args[0], refs)
            return {"type": "array", "items": item}, False
        if outer in ("Dict", "dict"):
            value, _ = schema_of(args[1], refs)
            return {"type": "object", "additionalProperties": value or True}, False
        if outer == "Union":
            parts = [schema_of(a, refs)[0] for a in args]
            if all(p.get("type") in ("number", "integer") for p in parts):
                return {"type": "number"}, False
            if any(p.get("type") == "string" and p.get("format") == "binary" for p in parts):
                return {"type": "string", "format": "binary"}, False
            return {"anyOf": parts}, False
        raise SystemExit(f"unknown generic {outer}: {ast.dump(node)[:200]}")
    name = name_of(node)
    if name in SCALARS:
        return dict(SCALARS[name]), False
    if name and name[0].isupper():
        refs.add(name)
        return {"$ref": f"#/components/schemas/{name}"}, False
    raise SystemExit(f"unknown type {ast.dump(node)[:200]}")


def nullable(schema):
    """The schema, allowing null: finAPI answers null for fields it has no value for."""
    if "$ref" in schema or "anyOf" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    if "type" in schema:
        out = {**schema, "type": [schema["type"], "null"]}
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    return schema


# ---------------------------------------------------------------- operations
def camel(snake):
    head, *rest = snake.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def summary_of(op_id):
    words = re.sub(r"([A-Z])", r" \1", op_id).lower().split()
    return " ".join(words).capitalize()


# The token an operation takes, as its published description says it: "Must pass the user's access_token", "your
# global (i.e. client) access_token", "the mandator admin client's access_token" (a client token too). An operation
# whose description names both (banks) or neither gets no level: a client of either kind may call it.
USER_TOKEN = re.compile(r"user's access[_ ]token|user that is authorized by the access[_ ]token|authorized user")
CLIENT_TOKEN = re.compile(r"\(i\.e\. client\) access[_ ]token|client's access[_ ]token|mandator admin client")


def token_level(fn):
    text = " ".join((ast.get_docstring(fn) or "").split(":param")[0].split())
    user, client = bool(USER_TOKEN.search(text)), bool(CLIENT_TOKEN.search(text))
    return "user" if user and not client else "client" if client and not user else None


def literal_list(node):
    return [e.value for e in node.elts] if isinstance(node, ast.List) else []


def read_operations(refs):
    ops = []
    for file in sorted(os.listdir(API_DIR)):
        if not file.endswith("_api.py"):
            continue
        tag = file[: -len("_api.py")]
        tree = ast.parse(open(os.path.join(API_DIR, file), encoding="utf8").read())
        cls = next(n for n in tree.body if isinstance(n, ast.ClassDef))
        methods = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}
        for name, fn in methods.items():
            if name.startswith("_") or name.endswith(("_with_http_info", "_without_preload_content")):
                continue
            ops.append(read_operation(tag, fn, methods[f"_{name}_serialize"], refs))
    return ops


def read_operation(tag, fn, serialize, refs):
    args = {}
    defaults = dict(zip([a.arg for a in fn.args.args][-len(fn.args.defaults):], fn.args.defaults))
    for a in fn.args.args[1:]:
        if a.arg.startswith("_"):
            continue
        schema, optional = schema_of(a.annotation, refs)
        args[a.arg] = {"schema": schema, "required": not optional and a.arg not in defaults}
    places, formats, method, path, content_types, responses = {}, {}, None, None, [], {}
    for node in ast.walk(serialize):
        # _query_params.append(('name', var)) / _form_params.append(...) / _path_params['id'] = id / headers
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append":
            target = name_of(node.func.value)
            if target in ("_query_params", "_form_params") and isinstance(node.args[0], ast.Tuple):
                key, var = node.args[0].elts
                if isinstance(key, ast.Constant) and isinstance(var, ast.Name):
                    places[var.id] = ("query" if target == "_query_params" else "form", key.value)
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
            target = name_of(node.targets[0].value)
            key = node.targets[0].slice
            if target in ("_path_params", "_header_params") and isinstance(key, ast.Constant):
                if isinstance(node.value, ast.Name) and node.value.id in args:
                    places[node.value.id] = ("path" if target == "_path_params" else "header", key.value)
        if isinstance(node, ast.Assign) and name_of(node.targets[0]) == "_body_params":
            if isinstance(node.value, ast.Name) and node.value.id in args:
                places[node.value.id] = ("body", None)
        if isinstance(node, ast.Dict) and node.keys and all(isinstance(k, ast.Constant) for k in node.keys):
            if all(isinstance(v, ast.Constant) for v in node.values) and {v.value for v in node.values} <= {
                "csv", "multi", "ssv", "pipes", "tsv"
            }:
                formats.update({k.value: v.value for k, v in zip(node.keys, node.values)})
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "param_serialize":
                kws = {k.arg: k.value for k in node.keywords}
                method, path = kws["method"].value, kws["resource_path"].value
            if node.func.attr == "select_header_content_type":
                content_types = literal_list(node.args[0])
    for node in ast.walk(fn):
        if isinstance(node, ast.AnnAssign) and name_of(node.target) == "_response_types_map":
            for k, v in zip(node.value.keys, node.value.values):
                responses[k.value] = v.value
    op_id = camel(fn.name)
    parameters, body, form = [], None, {}
    for arg, info in args.items():
        place, key = places.get(arg, (None, None))
        if place is None:
            raise SystemExit(f"{op_id}: no place for argument {arg}")
        if place == "body":
            body = info
            continue
        if place == "form":
            form[key] = info
            continue
        if place == "header" and key == "X-Request-Id":
            parameters.append({"$ref": "#/components/parameters/XRequestId"})
            continue
        param = {"name": key, "in": place, "required": info["required"] or place == "path", "schema": info["schema"]}
        if info["schema"].get("type") == "array":
            param["style"] = "form"
            param["explode"] = formats.get(key, "csv") == "multi"
        parameters.append(param)
    op = {"operationId": op_id, "summary": summary_of(op_id), "tags": [tag], "parameters": parameters}
    level = token_level(fn)
    if level:
        op["x-level"] = level
    if body is not None:
        ctype = content_types[0] if content_types else "application/json"
        op["requestBody"] = {"required": body["required"], "content": {ctype: {"schema": body["schema"]}}}
    if form:
        ctype = content_types[0] if content_types else "application/x-www-form-urlencoded"
        props = {k: v["schema"] for k, v in form.items()}
        required = [k for k, v in form.items() if v["required"]]
        schema = {"type": "object", "properties": props, **({"required": required} if required else {})}
        op["requestBody"] = {"required": True, "content": {ctype: {"schema": schema}}}
    op["responses"] = {}
    for status, type_name in responses.items():
        response = {"description": STATUS_TEXT.get(status, "See the status.")}
        if type_name:
            schema = {"$ref": f"#/components/schemas/{type_name}"}
            if type_name.startswith("List["):
                inner = type_name[5:-1]
                schema = {"type": "array", "items": {"$ref": f"#/components/schemas/{inner}"}}
                type_name = inner
            refs.add(type_name)
            response["content"] = {"application/json": {"schema": schema}}
        op["responses"][status] = response
    return {"method": method.lower(), "path": path, "op": op}


STATUS_TEXT = {
    "200": "Done.",
    "201": "Created.",
    "202": "Accepted; the work goes on in the background.",
    "204": "Done; no body.",
    "400": "Invalid request.",
    "401": "Missing, expired or revoked token.",
    "403": "The token may not do this.",
    "404": "No such entity.",
    "409": "Conflicts with the entity's state.",
    "422": "Refused by a business rule.",
    "423": "The user or connection is locked; retry later.",
    "429": "Too many requests.",
    "451": "A web form is required.",
    "500": "Unexpected error.",
    "501": "Not supported by this bank or client.",
    "510": "The bank asks for more authentication (multiStepAuthentication).",
}


# ---------------------------------------------------------------- schemas
def read_model(name, refs):
    path = os.path.join(MODEL_DIR, snake(name) + ".py")
    tree = ast.parse(open(path, encoding="utf8").read())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name)
    bases = {name_of(b) for b in cls.bases}
    if "Enum" in bases:
        values = [s.value.value for s in cls.body if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)]
        kinds = {type(v) for v in values}
        return {"type": "integer" if kinds == {int} else "string", "enum": values}
    props, required, enums = {}, [], {}
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef):
            deco = stmt.decorator_list[0] if stmt.decorator_list else None
            if isinstance(deco, ast.Call) and name_of(deco.func) == "field_validator":
                field = deco.args[0].value
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Call) and name_of(node.func) == "set" and node.args:
                        enums[field] = (literal_list(node.args[0]), "for i in value" in ast.unparse(stmt))
    for stmt in cls.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        field = stmt.target.id
        if field.startswith("_") or field == "model_config":
            continue
        schema, optional = schema_of(stmt.annotation, refs)
        alias, has_default = field, False
        if isinstance(stmt.value, ast.Call) and name_of(stmt.value.func) == "Field":
            for kw in stmt.value.keywords:
                if kw.arg == "alias":
                    alias = kw.value.value
                if kw.arg == "default":
                    has_default = True
            bounds = field_bounds(stmt.value)
            if schema.get("type") == "array":
                bounds = {{"minLength": "minItems", "maxLength": "maxItems"}.get(k, k): v for k, v in bounds.items()}
            schema = {**schema, **bounds}
        elif stmt.value is not None:
            has_default = True
        if field in enums:
            values, each = enums[field]
            if each and schema.get("type") == "array":
                schema = {**schema, "items": {**schema["items"], "enum": values}}
            else:
                schema = {**schema, "enum": values}
        if optional:
            schema = nullable(schema)
        if not has_default:
            required.append(alias)
        props[alias] = schema
    out = {"type": "object"}
    if required:
        out["required"] = required
    out["properties"] = props
    return out


def snake(name):
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()


def model_file_index():
    """Class name -> module, since snake() cannot undo every name (ISO3166Alpha2Codes)."""
    index = {}
    for file in os.listdir(MODEL_DIR):
        if file.endswith(".py") and file != "__init__.py":
            text = open(os.path.join(MODEL_DIR, file), encoding="utf8").read()
            for m in re.finditer(r"^class (\w+)\(", text, re.M):
                index[m.group(1)] = file[:-3]
    return index


def main():
    refs = set()
    ops = read_operations(refs)
    index = model_file_index()
    global snake
    plain_snake = snake
    snake = lambda n: index.get(n) or plain_snake(n)  # noqa: E731
    schemas, todo = {}, set(refs)
    while todo:
        name = todo.pop()
        if name in schemas:
            continue
        found = set()
        schemas[name] = read_model(name, found)
        todo |= found - set(schemas)
    paths = {}
    for o in ops:
        paths.setdefault(o["path"], {})[o["method"]] = o["op"]
    json.dump({"paths": paths, "schemas": dict(sorted(schemas.items()))}, sys.stdout, indent=1)


main()

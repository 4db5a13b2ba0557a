//! The OpenAPI 3.1 document, generated from the same JSON Schemas as the bindings' types
//! (`Engine::api_schemas`): each schema's `$defs` become `components/schemas` (a name two schemas
//! define differently is prefixed with its schema's name) and its references follow them.

use serde_json::{json, Map, Value};

/// The component name of each API schema.
const ROOTS: [(&str, &str); 4] =
    [("household", "Household"), ("evaluation", "Evaluation"), ("timeline", "Timeline"), ("schemes", "SchemeList")];

/// Rewrite every `#/$defs/X` reference in `v` by `names`.
fn rewrite(v: &mut Value, names: &Map<String, Value>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref") {
                if let Some(name) = r.strip_prefix("#/$defs/").and_then(|d| names.get(d)).and_then(Value::as_str) {
                    *r = format!("#/components/schemas/{name}");
                } else if r == "#" {
                    // A reference to the schema's root.
                    if let Some(root) = names.get("#").and_then(Value::as_str) {
                        *r = format!("#/components/schemas/{root}");
                    }
                }
            }
            o.values_mut().for_each(|x| rewrite(x, names));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rewrite(x, names)),
        _ => {}
    }
}

/// Whether two schemas are the same but for their titles (a root schema has one, the same type
/// as a definition has none).
fn same(a: &Value, b: &Value) -> bool {
    let untitled = |v: &Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("title");
        }
        v
    };
    untitled(a) == untitled(b)
}

/// Add the schema `root` as component `name`, with its definitions: a definition equal (once its
/// references are rewritten) to a component already there is that component; one that differs is
/// renamed `<name><definition>`, and so is every definition that then differs through it.
fn hoist(components: &mut Map<String, Value>, name: &str, mut root: Value) {
    let Some(obj) = root.as_object_mut() else { return };
    obj.remove("$schema");
    let defs = match obj.remove("$defs") {
        Some(Value::Object(d)) => d,
        _ => Map::new(),
    };
    let mut names = Map::new();
    names.insert("#".into(), Value::String(name.into()));
    for k in defs.keys() {
        names.insert(k.clone(), Value::String(k.clone()));
    }
    let rewritten = |names: &Map<String, Value>| -> Vec<(String, Value)> {
        (defs.iter())
            .map(|(k, v)| {
                let mut v = v.clone();
                rewrite(&mut v, names);
                (names.get(k).and_then(Value::as_str).unwrap_or(k).to_owned(), v)
            })
            .collect()
    };
    // Rename the definitions that clash until none does (each round renames at least one).
    loop {
        let clashes: Vec<String> = defs
            .keys()
            .zip(rewritten(&names))
            .filter(|(k, (n, v))| n == *k && components.get(n).is_some_and(|existing| !same(existing, v)))
            .map(|(k, _)| k.clone())
            .collect();
        if clashes.is_empty() {
            break;
        }
        for k in clashes {
            names.insert(k.clone(), Value::String(format!("{name}{k}")));
        }
    }
    for (n, v) in rewritten(&names) {
        // A root already there (with its title) stays as it is.
        components.entry(n).or_insert(v);
    }
    rewrite(&mut root, &names);
    components.insert(name.to_owned(), root);
}

/// A response with a JSON body of schema `r`.
fn content(kind: &str, schema: Value, description: &str) -> Value {
    json!({ "description": description, "content": { kind: { "schema": schema } } })
}

/// The problem responses every operation may give.
fn problems(codes: &[(&str, &str)]) -> Map<String, Value> {
    codes
        .iter()
        .map(|(status, why)| {
            let r = content("application/problem+json", json!({ "$ref": "#/components/schemas/Problem" }), why);
            ((*status).to_owned(), r)
        })
        .collect()
}

/// The document for `schemas` (the engine's, by name: what `/v1/schema/{name}` serves) and
/// `envelopes` (the service's requests and answers, by component name), with the `version`.
pub(crate) fn document(schemas: &[(String, Value)], envelopes: &[(&str, Value)], version: &str) -> Value {
    let mut components = Map::new();
    for (file, component) in ROOTS {
        if let Some((_, s)) = schemas.iter().find(|(n, _)| n == file) {
            hoist(&mut components, component, s.clone());
        }
    }
    for (component, schema) in envelopes {
        hoist(&mut components, component, schema.clone());
    }
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let names: Vec<&str> = schemas.iter().map(|(n, _)| n.as_str()).collect();
    let input_problems = [
        ("400", "the body is not UTF-8 JSON (one document, no key twice)"),
        ("408", "the request took longer than the service's timeout"),
        ("413", "the body is larger than the service's limit"),
        ("422", "a well-formed request whose household or fields are invalid (the pointer names the field)"),
        ("503", "the service is at its limit of concurrent evaluations; retry"),
    ];
    let post = |id: &str, summary: &str, request: &str, response: Value| {
        let mut responses = problems(&input_problems);
        responses.insert("200".into(), response);
        json!({ "post": {
            "operationId": id, "summary": summary,
            "requestBody": { "required": true, "content": { "application/json": { "schema": r(request) } } },
            "responses": responses
        }})
    };
    let not_modified = json!({ "description": "not modified: `If-None-Match` has the current ETag" });
    let if_none_match = json!({
        "name": "If-None-Match", "in": "header", "required": false, "schema": { "type": "string" },
        "description": "the ETag of an earlier answer (engine version and rulesets hash)"
    });
    let get = |id: &str, summary: &str, response: Value| {
        let mut responses = problems(&[("408", "the request took longer than the service's timeout")]);
        responses.insert("200".into(), response);
        responses.insert("304".into(), not_modified.clone());
        json!({ "get": { "operationId": id, "summary": summary, "parameters": [if_none_match], "responses": responses } })
    };
    let mut screen_responses = problems(&input_problems);
    screen_responses.insert(
        "200".into(),
        content(
            "application/x-ndjson",
            json!({ "type": "string" }),
            "one line per household: its evaluation (as /v1/evaluate, on one line) or {\"error\": problem} with the pointer under /<line index>",
        ),
    );
    let mut schema_responses =
        problems(&[("404", "no schema of that name"), ("408", "the request took longer than the service's timeout")]);
    schema_responses.insert("200".into(), content("application/json", json!({ "type": "object" }), "the JSON Schema"));
    schema_responses.insert("304".into(), not_modified.clone());
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kodomo-rules",
            "version": version,
            "description": "Japanese child and family benefit rules, computed to the yen with the rules and citations applied. The same results as the kodomo CLI and the Rust, Python and WebAssembly bindings.",
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" }
        },
        "paths": {
            "/v1/evaluate": post("evaluate", "Every scheme for one household and month (as `kodomo eval`)", "EvaluateRequest",
                content("application/json", r("Evaluation"), "the evaluation, with its receipt")),
            "/v1/timeline": post("timeline", "One monthly scheme over a span of months (as `kodomo timeline`)", "TimelineRequest",
                content("application/json", r("Timeline"), "the timeline, with payments")),
            "/v1/screen": { "post": {
                "operationId": "screen", "summary": "A batch of households, NDJSON in and out",
                "requestBody": { "required": true, "content": {
                    "application/x-ndjson": { "schema": { "type": "string", "minLength": 1 } },
                    "text/plain": { "schema": { "type": "string", "minLength": 1 } }
                } },
                "responses": screen_responses
            }},
            "/v1/schemes": get("schemes", "Every scheme: names, law, kind, inputs, labels, rulesets (as `kodomo schemes`)",
                content("application/json", r("SchemeList"), "the schemes")),
            "/v1/rulesets": get("rulesets", "The rulesets and their content hashes (as `kodomo rulesets`)",
                content("application/json", r("RulesetsResponse"), "the rulesets")),
            "/v1/schema/{name}": { "get": {
                "operationId": "schema", "summary": "A JSON Schema: the household input, an output, or a ruleset file",
                "parameters": [{ "name": "name", "in": "path", "required": true, "schema": { "type": "string", "enum": names } }, if_none_match],
                "responses": schema_responses
            }},
            "/healthz": get("healthz", "Liveness", content("application/json", r("Health"), "the service is up")),
            "/openapi.json": get("openapi", "This document", content("application/json", json!({ "type": "object" }), "the OpenAPI document"))
        },
        "components": { "schemas": components }
    })
}

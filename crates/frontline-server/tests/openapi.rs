#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! The OpenAPI document types every response body and every parameter (issue 23, item 13), so
//! that generated clients get real types rather than `object` and `string`.

use serde_json::Value;
use utoipa::OpenApi;

fn doc() -> Value {
    serde_json::to_value(frontline_server::api::ApiDoc::openapi()).unwrap()
}

/// Every `$ref` in `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    out.push(x.as_str().unwrap().to_string());
                }
                refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// A schema that says nothing: no type, no reference, no composition, or a bare object with
/// neither properties nor a value type.
fn untyped(s: &Value) -> bool {
    let Some(m) = s.as_object() else {
        return true;
    };
    let composed = ["$ref", "allOf", "oneOf", "anyOf", "items", "enum"]
        .iter()
        .any(|k| m.contains_key(*k));
    let ty = m.get("type");
    let object = ty.is_some_and(|t| {
        t == "object"
            || t.as_array()
                .is_some_and(|a| a.contains(&Value::from("object")))
    });
    if composed {
        return false;
    }
    match ty {
        None => true,
        Some(_) if object => {
            !m.contains_key("properties") && !m.contains_key("additionalProperties")
        }
        Some(_) => false,
    }
}

#[test]
fn every_success_response_has_a_typed_schema() {
    let doc = doc();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let ok = &op["responses"]["200"];
            let content = ok["content"]
                .as_object()
                .unwrap_or_else(|| panic!("{method} {path}: 200 has no content"));
            assert!(!content.is_empty(), "{method} {path}");
            for (ctype, media) in content {
                let schema = &media["schema"];
                assert!(
                    !untyped(schema),
                    "{method} {path} {ctype}: untyped success body {schema}"
                );
            }
            // Error answers are typed too.
            for (status, resp) in op["responses"].as_object().unwrap() {
                if let Some(c) = resp["content"].as_object() {
                    for (ctype, media) in c {
                        assert!(
                            !untyped(&media["schema"]),
                            "{method} {path} {status} {ctype}"
                        );
                    }
                }
            }
        }
    }
    assert!(operations >= 6, "{operations}");
    // Every reference resolves, and no component schema is an empty object.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for r in &all {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(schemas.contains_key(name), "dangling {r}");
    }
    for (name, s) in schemas {
        assert!(!untyped(s), "component {name} is untyped: {s}");
    }
    // The records clients read most are described field by field.
    let fused = schemas["FusedEvent"].to_string();
    for field in [
        "plover_type",
        "n_sources",
        "contradictions",
        "updated_at",
        "location",
    ] {
        assert!(fused.contains(field), "FusedEvent lacks {field}: {fused}");
    }
    assert!(
        schemas["FusedEvent"]["properties"]["updated_at"]
            .to_string()
            .contains("date-time")
    );
    let events = &doc["paths"]["/api/events"]["get"]["responses"]["200"]["content"];
    assert!(events["text/csv"].is_object(), "{events}");
    assert!(events["application/geo+json"].is_object(), "{events}");
    let mention = schemas["MentionSpan"].to_string();
    assert!(
        !mention.contains("\"text\""),
        "mentions are spans, not copies: {mention}"
    );
}

/// Every parameter has a schema; counts are integers, days dates, instants date-times, and
/// the closed sets enums.
#[test]
fn every_parameter_is_typed() {
    let doc = doc();
    let schemas = &doc["components"]["schemas"];
    let resolve = |s: &Value| -> Value {
        let mut all = Vec::new();
        refs(s, &mut all);
        match all.first() {
            Some(r) => schemas[r.trim_start_matches("#/components/schemas/")].clone(),
            None => s.clone(),
        }
    };
    // Free text by nature: words, names, codes, boxes, ids.
    let free = [
        "bbox",
        "type",
        "acled_type",
        "actor",
        "country",
        "text",
        "id",
    ];
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                seen += 1;
                let name = p["name"].as_str().unwrap();
                let schema = resolve(&p["schema"]);
                assert!(!untyped(&schema), "{method} {path} {name}: {schema}");
                let text = schema.to_string();
                let expect = match name {
                    "limit" | "offset" | "min_sources" => "integer",
                    "since" | "until" => "\"date\"",
                    "updated_since" => "date-time",
                    "format" | "order" | "view" => "enum",
                    "id" if path.starts_with("/api/events") => "integer",
                    _ => {
                        assert!(
                            free.contains(&name),
                            "{method} {path}: {name} is not checked"
                        );
                        "string"
                    }
                };
                assert!(text.contains(expect), "{method} {path} {name}: {text}");
            }
        }
    }
    assert!(seen >= 20, "{seen}");
    let format = resolve(
        &doc["paths"]["/api/events"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "format")
            .unwrap()["schema"],
    );
    assert!(format.to_string().contains("csv"), "{format}");
}

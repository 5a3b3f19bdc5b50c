//! The locale files: every Swedish text has an English twin with the same placeholders.

use std::collections::BTreeMap;

use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

pub const SWEDISH: &str = include_str!("../../locales/sv.json");
pub const ENGLISH: &str = include_str!("../../locales/en.json");

/// Returns every text of a locale file by its dotted key, such as `field_error.required`.
pub fn texts(file: &str) -> BTreeMap<String, String> {
    fn collect(prefix: &str, value: &Value, into: &mut BTreeMap<String, String>) {
        match value {
            Value::Object(entries) => {
                for (key, value) in entries {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    collect(&path, value, into);
                }
            }
            Value::String(text) => {
                into.insert(prefix.to_owned(), text.clone());
            }
            other => panic!("{prefix} is neither a text nor a group: {other}"),
        }
    }
    let root: Value = serde_json::from_str(file).expect("a JSON locale file");
    let mut found = BTreeMap::new();
    collect("", &root, &mut found);
    found
}

/// Returns the names of the `{{ name }}` placeholders and `$t(key)` references of a text.
fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (open, close) in [("{{", "}}"), ("$t(", ")")] {
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len()..];
            let end = after.find(close).expect("a closed placeholder");
            found.push(format!("{open}{}{close}", after[..end].trim()));
            rest = &after[end + close.len()..];
        }
    }
    found.sort();
    found
}

#[wasm_bindgen_test]
fn every_swedish_key_has_english_twin() {
    let swedish = texts(SWEDISH);
    let english = texts(ENGLISH);
    assert!(swedish.len() > 200, "only {} Swedish texts", swedish.len());

    let only_swedish: Vec<&String> = swedish
        .keys()
        .filter(|key| !english.contains_key(*key))
        .collect();
    assert!(
        only_swedish.is_empty(),
        "no English text for {only_swedish:?}"
    );
    let only_english: Vec<&String> = english
        .keys()
        .filter(|key| !swedish.contains_key(*key))
        .collect();
    assert!(
        only_english.is_empty(),
        "no Swedish text for {only_english:?}"
    );

    for (key, swedish_text) in &swedish {
        let english_text = &english[key];
        assert!(
            !swedish_text.trim().is_empty(),
            "empty Swedish text for {key}"
        );
        assert!(
            !english_text.trim().is_empty(),
            "empty English text for {key}"
        );
        assert_eq!(
            placeholders(swedish_text),
            placeholders(english_text),
            "different placeholders in the texts for {key}"
        );
    }
}

//! Locales for unit tests: built from a few keys, or loaded from YAML files in a temporary folder.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Locale, LocaleMeta, Node};
use crate::format::NumberFormatter;

/// The `locale.yaml` of a test locale (English unit patterns; French spacing for `fr-*`).
pub fn meta_yaml(tag: &str) -> String {
    let lang = tag.split('-').next().unwrap_or("en");
    let region = tag.split('-').nth(1).unwrap_or("US");
    format!(
        "name: x\nlang: {lang}\nregion: {region}\nunits: {{usd: \"USD {{}}\", cad: \"CAD {{}}\", percent: \"{{}}\", \
         percent_points: \"{{}} pp\", count: \"{{}}\", jobs: \"{{}}\", workers: \"{{}}\", vehicles: \"{{}}\", ratio: \"{{}}\", \
         year: \"{{}}\", years: \"{{}}\", rank: \"{{}}\", date: \"{{}}\"}}\nordinal: {{one: \"{{}}st\", two: \"{{}}nd\", few: \"{{}}rd\", other: \"{{}}th\"}}\n\
         french_spacing: {}\n",
        lang == "fr"
    )
}

/// A locale holding just `keys` (texts only), as if loaded from `locales/<tag>/`.
pub fn locale(tag: &str, keys: &[(&str, &str)]) -> Locale {
    let meta: LocaleMeta = serde_saphyr::from_str(&meta_yaml(tag)).unwrap();
    let keys: BTreeMap<String, String> = keys.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Locale {
        tag: tag.into(),
        meta,
        fmt: NumberFormatter::new(tag).unwrap(),
        nodes: keys.iter().map(|(k, v)| (k.clone(), Node::Text(v.clone()))).collect(),
        keys,
        origin: BTreeMap::new(),
        dir: Path::new("locales").join(tag),
        spans: Default::default(),
        store: None,
        glossary: Vec::new(),
    }
}

/// A locale loaded from YAML files (`("note", "body: ..")` is `locales/<tag>/note.yaml`) in a project under `root`.
pub fn load(root: &Path, tag: &str, files: &[(&str, &str)]) -> Locale {
    let dir = root.join("locales").join(tag);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("locale.yaml"), meta_yaml(tag)).unwrap();
    for (stem, text) in files {
        std::fs::write(dir.join(format!("{stem}.yaml")), text).unwrap();
    }
    Locale::load(root, tag).unwrap_or_else(|r| panic!("{}", r.render(root)))
}

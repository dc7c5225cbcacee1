//! `briefs new document ID`: a new document, ready to build in en-US: its template (`templates/ID.typ.j2`), its
//! en-US words (`locales/en-US/ID.yaml`), its title and kicker (`common.documents.ID` in `locales/en-US/common.yaml`)
//! and its entry in `data/documents.yaml`. All are written or none. It is shown to no audience yet: the summary says
//! what is left to do.

use crate::ids::DocumentKind;
use std::path::{Path, PathBuf};

use super::{Failure, Output};
use crate::diag::{Diagnostic, Loc, Report};
use crate::io::read_text;
use crate::locale::REFERENCE;
use crate::model::Model;
use crate::output::Batch;

/// The template of a new document: its first section, its source note.
fn template(id: &str) -> String {
    format!(
        "{{% extends \"base.typ.j2\" %}}\n{{% block body %}}\n{{% from \"macros.typ.j2\" import bullets %}}\n\
         {{% set k = \"{id}.\" %}}\n= {{{{ t(k ~ \"intro.heading\") }}}}\n\n{{{{ t(k ~ \"intro.body\") }}}}\n\n\
         {{{{ bullets(tl(k ~ \"intro.points\")) }}}}\n{{{{ sources() }}}}\n{{% endblock %}}\n"
    )
}

/// The en-US words of a new document.
fn words(id: &str) -> String {
    format!(
        "# Words of {id} (templates/{id}.typ.j2), in en-US. A figure is a placeholder `{{fact_id}}` (data/facts/);\n\
         # a claim's source is cited with `{{source_id|cite}}`. Other locales need these texts once an audience shows\n\
         # the document to them: `briefs check` then names each one missing.\n\n\
         intro:\n  heading: \"First section\"\n  body: \"The first paragraph.\"\n  points:\n    - \"A first point.\"\n"
    )
}

/// A title from an id: `brief-critical-minerals` is "Critical minerals".
fn title_of(id: &str) -> String {
    let words = id.strip_prefix("brief-").unwrap_or(id).replace('-', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// `common.yaml` with the document's title, kicker and label (the masthead's document type) added at the end of its `documents:` block.
fn with_title(common: &str, id: &str, title: &str, kicker: &str) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let entry =
        format!("  {id}:\n    title: {}\n    kicker: {}\n    label: \"Policy brief\"\n", quote(title), quote(kicker));
    let lines: Vec<&str> = common.split_inclusive('\n').collect();
    let Some(start) = lines.iter().position(|l| l.trim_end() == "documents:") else {
        let sep = if common.ends_with('\n') || common.is_empty() { "" } else { "\n" };
        return format!("{common}{sep}documents:\n{entry}");
    };
    // The block ends at the next line at column 0 (a comment there belongs to the key after it).
    let mut end = (start + 1..lines.len())
        .find(|&i| !lines[i].trim().is_empty() && !lines[i].starts_with(' '))
        .unwrap_or(lines.len());
    while end > start + 1 && lines[end - 1].starts_with('#') {
        end -= 1;
    }
    let mut out: String = lines[..end].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&entry);
    out.push_str(&lines[end..].concat());
    out
}

/// `documents.yaml` with the document added before the meeting pack (packs come last).
fn with_document(documents: &str, id: &str, pack: Option<&str>) -> String {
    let entry = format!("- id: {id}\n  template: {id}.typ.j2\n");
    let lines: Vec<&str> = documents.split_inclusive('\n').collect();
    let at = pack.and_then(|p| lines.iter().position(|l| l.trim_end() == format!("- id: {p}")));
    let Some(mut at) = at else {
        let sep = if documents.ends_with('\n') || documents.is_empty() { "" } else { "\n" };
        return format!("{documents}{sep}{entry}");
    };
    while at > 0 && lines[at - 1].starts_with('#') {
        at -= 1;
    }
    format!("{}{entry}{}", lines[..at].concat(), lines[at..].concat())
}

/// Why an id cannot be a new document's, if it cannot.
fn refuse(id: &str, model: &Model) -> Option<String> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Some(format!("`{id}` is not a document id: use lowercase letters, digits and `-`"));
    }
    if crate::model::STATE_CODES.iter().any(|code| DocumentKind::state_sheet_id(code) == id) {
        return Some(format!("`{id}` is the id of a state one-pager (data/states.yaml)"));
    }
    model.document(id).map(|_| format!("document `{id}` exists already (data/documents.yaml)"))
}

/// Writes a new document's files; refuses an id that is taken or malformed, and files that exist.
pub fn document(root: &Path, id: &str, title: Option<&str>, kicker: Option<&str>) -> Result<Output, Failure> {
    let tags = crate::locale::available(root);
    let model = Model::load(root, &tags)?;
    let plain = |m: String| Failure::from(Report::from(Diagnostic::plain(m)));
    if let Some(why) = refuse(id, &model) {
        return Err(plain(why));
    }
    let template_rel = PathBuf::from("templates").join(format!("{id}.typ.j2"));
    let words_rel = PathBuf::from("locales").join(REFERENCE).join(format!("{id}.yaml"));
    for rel in [&template_rel, &words_rel] {
        if root.join(rel).exists() {
            return Err(Failure::from(Report::from(
                Diagnostic::error(Loc::file(rel), format!("{} exists already", rel.display()))
                    .with_hint("choose another id, or add the document to data/documents.yaml by hand"),
            )));
        }
    }
    let common_rel = PathBuf::from("locales").join(REFERENCE).join("common.yaml");
    let documents_rel = PathBuf::from("data/documents.yaml");
    let common = read_text(root, &common_rel).map_err(|d| Failure::from(Report::from(d)))?;
    let documents = read_text(root, &documents_rel).map_err(|d| Failure::from(Report::from(d)))?;
    let title = title.map_or_else(|| title_of(id), str::to_string);
    let kicker = kicker.unwrap_or("One line under the title");
    let pack = model.documents.iter().find(|d| d.is_pack()).map(|d| d.id.as_str());
    let mut batch = Batch::new();
    let written: [(&PathBuf, String); 4] = [
        (&template_rel, template(id)),
        (&words_rel, words(id)),
        (&common_rel, with_title(&common, id, &title, kicker)),
        (&documents_rel, with_document(&documents, id, pack)),
    ];
    for (rel, text) in &written {
        batch.stage(&root.join(rel), text.as_bytes()).map_err(|d| Failure::from(Report::from(d)))?;
    }
    batch.commit().map_err(|d| Failure::from(Report::from(d)))?;
    let summary = vec![
        format!("new document `{id}` (\"{title}\"):"),
        format!("  created {} and {}", template_rel.display(), words_rel.display()),
        format!("  added it to {} and its title to {}", documents_rel.display(), common_rel.display()),
        format!(
            "next: add `{id}` to an audience's `documents` in data/audiences.yaml (an en-US audience first: other locales need its texts only once an audience shows it to them), write its words, then `briefs build --doc {id} --locale en-US`"
        ),
    ];
    Ok(Output { summary, ..Output::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_goes_at_the_end_of_the_documents_block_and_the_document_before_the_pack() {
        let common = "a: b\ndocuments:\n  x:\n    title: X\n# The next key.\nagreement: USMCA\n";
        assert_eq!(
            with_title(common, "brief-new", "New \"one\"", "k"),
            "a: b\ndocuments:\n  x:\n    title: X\n  brief-new:\n    title: \"New \\\"one\\\"\"\n    kicker: \"k\"\n    label: \"Policy brief\"\n# The next key.\nagreement: USMCA\n"
        );
        assert!(
            with_title("a: b", "n", "N", "k").ends_with(
                "a: b\ndocuments:\n  n:\n    title: \"N\"\n    kicker: \"k\"\n    label: \"Policy brief\"\n"
            )
        );
        let docs = "- id: a\n  template: a.typ.j2\n# The pack.\n- id: pack\n  template: pack.typ.j2\n  pack: true\n";
        assert_eq!(
            with_document(docs, "b", Some("pack")),
            "- id: a\n  template: a.typ.j2\n- id: b\n  template: b.typ.j2\n# The pack.\n- id: pack\n  template: pack.typ.j2\n  pack: true\n"
        );
        assert_eq!(title_of("brief-critical-minerals"), "Critical minerals");
    }
}

//! The text form of a diff: one line per change, with where it is written and the documents that show it.

use super::{Change, Diff, ItemKind, Shown};

/// The documents line: `fast-facts (general, us-government), brief-auto (general)`.
pub(super) fn shown_line(docs: &[Shown]) -> String {
    if docs.is_empty() {
        return "no document".into();
    }
    docs.iter().map(|s| format!("{} ({})", s.document, s.audiences.join(", "))).collect::<Vec<_>>().join(", ")
}

/// Where a change shows: the edition is on every document's cover, header and footer; anything else, its documents.
pub fn shown_text(c: &super::Change) -> String {
    if c.kind == ItemKind::Edition {
        return "every document (covers, running headers and footers)".into();
    }
    shown_line(&c.documents)
}

/// One change as a line, `locales` naming a text change's locales: how `diff` and the review cards write it.
pub fn change_line(c: &Change, locales: &str) -> String {
    if c.kind == ItemKind::Text {
        return format!("{} text {} ({locales}) ({})", c.change.name(), c.id, c.at);
    }
    let values = match (&c.old, &c.new) {
        (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
        (Some(v), _) | (None, Some(v)) => v.clone(),
        (None, None) => String::new(),
    };
    let detail = c.detail.as_ref().map(|d| format!(" [{d}]")).unwrap_or_default();
    format!("{} {} {}: {values}{detail} ({})", c.change.name(), c.kind.name(), c.id, c.at)
}

impl Diff {
    /// The differences as text: one line per change (texts merged across locales), its documents, and a count.
    pub fn to_text(&self) -> String {
        let mut out = format!("edition {} → {}\n", self.old_edition, self.new_edition);
        let mut count = 0;
        let mut i = 0;
        while i < self.changes.len() {
            let c = &self.changes[i];
            count += 1;
            if c.kind == ItemKind::Text {
                let mut j = i;
                let mut locales = Vec::new();
                let mut docs: Vec<Shown> = Vec::new();
                while j < self.changes.len()
                    && self.changes[j].kind == ItemKind::Text
                    && self.changes[j].id == c.id
                    && self.changes[j].change == c.change
                {
                    locales.extend(self.changes[j].locale.clone());
                    for s in &self.changes[j].documents {
                        match docs.iter_mut().find(|d| d.document == s.document) {
                            Some(d) => {
                                for a in &s.audiences {
                                    if !d.audiences.contains(a) {
                                        d.audiences.push(a.clone());
                                    }
                                }
                            }
                            None => docs.push(s.clone()),
                        }
                    }
                    j += 1;
                }
                out.push_str(&change_line(c, &locales.join(", ")));
                out.push('\n');
                out.push_str(&format!("  shown in: {}\n", shown_line(&docs)));
                i = j;
                continue;
            }
            out.push_str(&change_line(c, ""));
            out.push('\n');
            out.push_str(&format!("  shown in: {}\n", shown_text(c)));
            i += 1;
        }
        match count {
            0 => out.push_str("no changes\n"),
            1 => out.push_str("1 change\n"),
            n => out.push_str(&format!("{n} changes\n")),
        }
        out
    }
}

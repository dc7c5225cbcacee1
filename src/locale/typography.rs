//! Typography of plain text, before it becomes markup: French no-break spaces around high punctuation, French
//! ordinals marked for superscript ("1er", "XXIe siècle") and the first of the month written "1er", a locale's names
//! of several words kept together, and a no-break space between a word and its number ("chapitre 29", "171
//! projets", "janvier 2025") in every locale. Where names may break is `locale::names`.

use std::borrow::Cow;

/// Most digits of a number kept with the word before it ("chapter 29", "January 2025").
const MAX_DIGITS_WITH_WORD_BEFORE: usize = 4;

/// Most digits of a number kept with the word after it ("171 projects"); a year ("2025 the") is not a count.
const MAX_DIGITS_WITH_WORD_AFTER: usize = 3;

/// Punctuation that may open a token before a number or a word ("(29", "«projets").
const OPENING: &[char] = &['(', '[', '«', '“', '‘', '"', '¿', '¡'];

/// Opens letters set as superscript (the "er" of "1er"): a private-use mark that [`superscript_markup`] turns into
/// Typst's `#super[`, once the text is escaped.
pub const SUP_OPEN: char = '\u{E005}';

/// Closes letters set as superscript.
pub const SUP_CLOSE: char = '\u{E006}';

/// French ordinal endings set as superscript, as the Translation Bureau writes them: "1er", "1re", "2e", "21es".
const FRENCH_ORDINAL_ENDINGS: &[&str] = &["ers", "res", "er", "re", "es", "e"];

/// Words after which a Roman numeral with "e" is a century or a millennium ("XXIe siècle").
const FRENCH_CENTURY_WORDS: &[&str] = &["siècle", "siècles", "millénaire", "millénaires"];

/// French ordinals and centuries with their letters marked as superscript ("1er avril", "2e", "XXIe siècle"):
/// a number (or, before "siècle", a Roman numeral) directly followed by an ordinal ending.
pub fn french_ordinals(text: &str) -> String {
    let tokens: Vec<&str> = text.split(' ').collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (k, token) in tokens.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let next = tokens.get(k + 1).copied().unwrap_or("");
        out.push_str(&mark_ordinal(token, next));
    }
    out
}

/// French writes the first of the month as an ordinal ("1er juillet 2026", where CLDR writes "1 juillet 2026"): a
/// date that starts with the day 1 and a space, with "er" after the 1; `None` for any other date.
pub fn french_first_of_month(date: &str) -> Option<String> {
    let rest = date.strip_prefix("1 ").or_else(|| date.strip_prefix("1\u{a0}"))?;
    Some(format!("1er {rest}"))
}

/// One token with its ordinal ending marked, or as it was.
fn mark_ordinal(token: &str, next: &str) -> String {
    // A token may hold no-break spaces ("1er\u{a0}avril"): mark each part.
    if token.contains('\u{a0}') {
        let parts: Vec<&str> = token.split('\u{a0}').collect();
        return parts
            .iter()
            .enumerate()
            .map(|(i, p)| mark_ordinal(p, parts.get(i + 1).copied().unwrap_or(next)))
            .collect::<Vec<_>>()
            .join("\u{a0}");
    }
    let start = token.len() - token.trim_start_matches(OPENING).len();
    let core_end = token.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '»', '”', '’', '"']).len();
    if start >= core_end {
        return token.to_string();
    }
    let core = &token[start..core_end];
    for ending in FRENCH_ORDINAL_ENDINGS {
        let Some(number) = core.strip_suffix(ending) else { continue };
        let digits = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
        let roman = !number.is_empty()
            && number.chars().all(|c| "IVXLCDM".contains(c))
            && FRENCH_CENTURY_WORDS.iter().any(|w| next.trim_end_matches(|c: char| !c.is_alphabetic()) == *w);
        if digits || roman {
            let split = start + number.len();
            return format!("{}{SUP_OPEN}{ending}{SUP_CLOSE}{}", &token[..split], &token[core_end..]);
        }
    }
    token.to_string()
}

/// Escaped markup with its superscript marks made Typst's `#super[..]` (the marked letters are plain letters).
pub fn superscript_markup(escaped: &str) -> String {
    if !escaped.contains(SUP_OPEN) {
        return escaped.to_string();
    }
    escaped.replace(SUP_OPEN, "#super[").replace(SUP_CLOSE, "]")
}

/// The locale's names of several words kept on one line: each space inside them becomes a no-break space, wherever
/// the name stands in the text ("Estados Unidos", "Nuevo México").
pub fn keep_names_together(text: &str, names: &[String]) -> String {
    let mut out = text.to_string();
    for name in names.iter().filter(|n| n.contains(' ')) {
        if out.contains(name.as_str()) {
            out = out.replace(name.as_str(), &name.replace(' ', "\u{a0}"));
        }
    }
    out
}

/// U+202F NARROW NO-BREAK SPACE: the French space before high punctuation.
pub const NARROW_NBSP: char = '\u{202f}';

/// French, as the Canadian translation bureau's guide writes it: the space the locale writes before `:` and `»`,
/// and after `«`, becomes a no-break space (U+00A0); before `; ! ?` a narrow no-break space (U+202F). Where the
/// text writes none ("pays;", Canadian usage), none is added.
pub fn french_spacing(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let space = matches!(c, ' ' | '\u{a0}' | NARROW_NBSP);
        if space && (next.is_some_and(|n| ":»".contains(n)) || prev == Some('«')) {
            out.push('\u{a0}');
        } else if space && next.is_some_and(|n| ";!?".contains(n)) {
            out.push(NARROW_NBSP);
        } else {
            out.push(c);
        }
    }
    out
}

/// Keeps a number of up to four digits on the line of the word before it ("chapitre 29", "janvier 2025"), and a
/// number of up to three digits on the line of the word after it ("171 projets"), by turning the space between
/// them into U+00A0. A run kept together never holds two numbers ("de 2018 a 2019" breaks between them), and
/// punctuation between the two ends it ("Canada, 2023" may break).
///
/// `shown` gives what a stand-in token prints (render places figures through them); None for plain text.
pub fn keep_numbers_with_words(text: &str, shown: &dyn Fn(&str) -> Option<String>) -> String {
    let tokens: Vec<&str> = text.split(' ').collect();
    let seen: Vec<Cow<str>> = tokens.iter().map(|t| shown(t).map_or(Cow::Borrowed(*t), Cow::Owned)).collect();
    // bound[k]: the space after token k becomes a no-break space.
    let mut bound = vec![false; tokens.len().saturating_sub(1)];
    // Whether a number sits in the run that ends at token k (so the run takes no second number).
    let mut holds_number = vec![false; tokens.len()];
    for k in 0..tokens.len() {
        let Some(digits) = number_digits(&seen[k]) else { continue };
        let opens = seen[k].starts_with(OPENING);
        let closes = !seen[k].ends_with(|c: char| c.is_ascii_digit());
        let joined_before = k > 0 && bound[k - 1];
        if k > 0
            && !joined_before
            && !opens
            && digits <= MAX_DIGITS_WITH_WORD_BEFORE
            && word_before(&seen[k - 1])
            && !(k > 1 && bound[k - 2] && holds_number[k - 2])
        {
            bound[k - 1] = true;
        }
        holds_number[k] = true;
        if k + 1 < tokens.len() && !closes && digits <= MAX_DIGITS_WITH_WORD_AFTER && word_after(&seen[k + 1]) {
            bound[k] = true;
            holds_number[k + 1] = true;
        }
    }
    let mut out = String::with_capacity(text.len() + bound.iter().filter(|b| **b).count());
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 {
            out.push(if bound[k - 1] { '\u{a0}' } else { ' ' });
        }
        out.push_str(t);
    }
    out
}

/// The digit count of a token that is a plain number ("29", "2025.", "(171"), optionally opened and closed by
/// punctuation; None for anything else ("32.10", "1er", "2018-2019", "48,375").
fn number_digits(token: &str) -> Option<usize> {
    let core = token
        .trim_start_matches(OPENING)
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '»', '”', '’', '"']);
    let n = core.chars().count();
    (n > 0 && core.chars().all(|c| c.is_ascii_digit())).then_some(n)
}

/// Whether a token is a word that a number after it belongs to: letters (digits, apostrophes, hyphens and dots
/// inside allowed, as in "T3", "l’article", "U.S"), ending in a letter or digit.
fn word_before(token: &str) -> bool {
    is_word(token) && token.ends_with(char::is_alphanumeric)
}

/// Whether a token is a word that a number before it counts: it starts with a letter.
fn word_after(token: &str) -> bool {
    let core = token.trim_end_matches(|c: char| !c.is_alphanumeric());
    is_word(core) && token.starts_with(char::is_alphabetic)
}

/// Letters, with digits, apostrophes, hyphens and dots inside.
fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphabetic) && token.chars().all(|c| c.is_alphanumeric() || "’'-.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain text: every token prints itself.
    fn keep(text: &str) -> String {
        keep_numbers_with_words(text, &|_| None)
    }

    #[test]
    fn a_number_stays_with_its_word() {
        assert_eq!(keep("le chapitre 29 sur"), "le chapitre\u{a0}29\u{a0}sur");
        assert_eq!(keep("et 171 projets"), "et\u{a0}171\u{a0}projets");
        assert_eq!(keep("en janvier 2025 et"), "en janvier\u{a0}2025 et", "a year counts nothing after it");
        assert_eq!(keep("depuis août 2025."), "depuis août\u{a0}2025.");
        assert_eq!(keep("Article 34 of"), "Article\u{a0}34\u{a0}of");
        assert_eq!(keep("T3 2025 par"), "T3\u{a0}2025 par");
        assert_eq!(keep("l’article 34"), "l’article\u{a0}34");
        assert_eq!(keep("in 2025, the"), "in\u{a0}2025, the");
    }

    #[test]
    fn punctuation_and_other_numbers_are_left_alone() {
        for text in [
            "Canada, 2023 and",
            "art. 32.10 of",
            "le 1er juillet",
            "2018-2019 war",
            "48,375 jobs",
            "12345 units",
            "x (29) y",
            "a 29% b",
            "",
            " ",
            "29",
        ] {
            assert_eq!(keep(text), text, "{text:?}");
        }
    }

    #[test]
    fn a_run_never_holds_two_numbers() {
        assert_eq!(keep("de 2018 a 2019 se"), "de\u{a0}2018 a\u{a0}2019 se");
        assert_eq!(keep("from 3 to 5 units"), "from\u{a0}3\u{a0}to 5\u{a0}units");
        assert_eq!(keep("1 2 3"), "1 2 3");
    }

    #[test]
    fn stand_ins_print_as_their_figure() {
        let shown = |t: &str| Some(t.replace("{n}", "171"));
        assert_eq!(keep_numbers_with_words("et {n} projets", &shown), "et\u{a0}{n}\u{a0}projets");
        let money = |t: &str| Some(t.replace("{n}", "USD\u{a0}1.6\u{a0}trillion"));
        assert_eq!(keep_numbers_with_words("of {n} in goods", &money), "of {n} in goods");
    }

    #[test]
    fn french_ordinals_and_centuries_are_superscript() {
        let sup = |s: &str| format!("{SUP_OPEN}{s}{SUP_CLOSE}");
        assert_eq!(french_ordinals("le 1er avril"), format!("le 1{} avril", sup("er")));
        assert_eq!(french_ordinals("le 1er\u{a0}juillet 2026"), format!("le 1{}\u{a0}juillet 2026", sup("er")));
        assert_eq!(french_ordinals("(2e)."), format!("(2{}).", sup("e")));
        assert_eq!(french_ordinals("au XXIe siècle"), format!("au XXI{} siècle", sup("e")));
        assert_eq!(french_ordinals("la 1re fois, les 21es"), format!("la 1{} fois, les 21{}", sup("re"), sup("es")));
        for plain in ["Ce pays", "le CE", "Ie", "e", "2", "XXIe", "1995 e", "3Q2025", "mer", "le 11", ""] {
            assert_eq!(french_ordinals(plain), plain, "{plain:?}");
        }
        let marked = french_ordinals("le 1er avril");
        assert_eq!(superscript_markup(&marked), "le 1#super[er] avril");
    }

    #[test]
    fn listed_names_stay_on_one_line() {
        let names = ["Estados Unidos".to_string(), "Nuevo México".to_string()];
        assert_eq!(
            keep_names_together("de Estados Unidos y Nuevo México.", &names),
            "de Estados\u{a0}Unidos y Nuevo\u{a0}México."
        );
        assert_eq!(
            keep_names_together("los estados unidos", &names),
            "los estados unidos",
            "names are matched as written"
        );
    }

    #[test]
    fn french_spacing_before_high_punctuation() {
        assert_eq!(french_spacing("Source : BLS ; « oui » ?"), "Source\u{a0}: BLS\u{202f}; «\u{a0}oui\u{a0}»\u{202f}?");
        // No space where the locale writes none (Canadian usage before ; ! ?); a typed space is made unbreakable.
        assert_eq!(french_spacing("pays; oui? non!"), "pays; oui? non!");
        assert_eq!(french_spacing("Donnée\u{202f}: x ?"), "Donnée\u{a0}: x\u{202f}?");
    }
}

//! The personal values of the ledger, each in every spelling a person would write, and the
//! allowed values, each allowed only as itself.

use super::canon::{Canon, DASH, canon, crosses_block, group_end, group_start};
use super::{HitKind, Source};
use crate::model::{Ledger, Payee, Phone};
use aho_corasick::AhoCorasick;
use xxhash_rust::xxh3::Xxh3;

/// Where a value may appear: only as itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowed {
    /// Names of the members who sign notices: allowed where they sign (an element marked
    /// `data-signer` holding exactly the name), and as part of their own longer name.
    pub signers: Vec<String>,
    /// The office's phones. Only a landline is allowed; a setting that holds anything else (a
    /// mobile, a name, words) allows nothing.
    pub phones: Vec<String>,
    /// The office's addresses: a ledger address that is exactly one of them (a collective
    /// household registered at the office) is allowed.
    pub addresses: Vec<String>,
}

/// How a match of a pattern is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// Digits only and long (a mobile, an ID): anywhere, even glued to other digits.
    Anywhere,
    /// A leading digit must begin a group, a trailing one end it (`5号302室` is not in
    /// `15号302室`, `64321234` not in `164321234`).
    Bounded,
    /// Bounded, and a dash between the building and the room (`21-701`), at this byte. A pattern
    /// of digits only that is Bounded or Dash is not assembled across blocks of the page.
    Dash(usize),
}

impl Rule {
    /// For fingerprints.
    pub fn code(self) -> u8 {
        match self {
            Rule::Anywhere => 0,
            Rule::Bounded => 1,
            Rule::Dash(at) => 2u8.wrapping_add(at as u8),
        }
    }

    /// Whether a match at `start..end` of `text` stands.
    pub fn holds(self, text: &Canon, start: usize, end: usize) -> bool {
        let bytes = text.text.as_bytes();
        match self {
            Rule::Anywhere => true,
            Rule::Bounded | Rule::Dash(_) => {
                let first_ok = !bytes[start].is_ascii_digit() || group_start(text, start);
                let last_ok = !bytes[end - 1].is_ascii_digit() || group_end(text, end);
                let dash_ok = match self {
                    Rule::Dash(at) => text.gap(start + at) & DASH != 0,
                    _ => true,
                };
                // A short number is not assembled from two blocks of the page.
                let one_block = bytes[start..end].iter().any(|b| !b.is_ascii_digit())
                    || !crosses_block(text, start, end);
                first_ok && last_ok && dash_ok && one_block
            }
        }
    }
}

/// A value the guard looks for.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// What it is.
    pub kind: HitKind,
    /// How a match is confirmed.
    pub rule: Rule,
    /// The records it belongs to, by their place in the wanted values (see [`owners`]).
    pub owners: Vec<usize>,
}

/// A value to look for as the ledger holds it, and whose it is. The canonical form and its
/// spellings' patterns are made only when the guard first reads a page ([`build`]): a publish
/// with nothing new to check needs only the fingerprint of these.
pub struct Wanted {
    raw: String,
    kind: HitKind,
    rule: Rule,
    source: Source,
}

impl Wanted {
    /// The value as the ledger holds it.
    #[cfg(test)]
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// What goes into the guard's fingerprint: the value as held, its kind and rule.
    pub fn fingerprint_into(&self, h: &mut Xxh3) {
        h.update(self.raw.as_bytes());
        h.update(&[0, self.kind as u8, self.rule.code(), 0]);
    }
}

type Patterns = Vec<Wanted>;

fn owner(record: String, field: &str) -> Source {
    Source::Owner {
        record,
        field: field.to_owned(),
    }
}

fn add(patterns: &mut Patterns, raw: &str, kind: HitKind, rule: Rule, source: &Source) {
    patterns.push(Wanted {
        raw: raw.to_owned(),
        kind,
        rule,
        source: source.clone(),
    });
}

/// The patterns of every wanted value, in canonical form: a value of one character is a word,
/// not a name, and is left out; a long run of digits is found anywhere; a value several
/// records hold is one pattern with each owner once (by its place in `wanted`: the sources are
/// cloned only for a hit).
///
/// On one thread, with no parallel work: the guard makes its patterns on first use, and checks
/// on other threads wait for them meanwhile. A thread making them that waited on parallel work
/// would take up other work of the pool in the meantime, a check among it, and that check would
/// wait for the patterns its own thread is making, for ever (seen on a pool of six threads).
pub fn build(wanted: &[Wanted]) -> (Vec<String>, Vec<Pattern>) {
    let mut keyed: Vec<(String, HitKind, Rule, usize)> = wanted
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let text = canon(&w.raw).text;
            if text.chars().count() < 2 {
                return None;
            }
            let rule = if w.rule == Rule::Bounded
                && text.len() >= 11
                && text.bytes().all(|b| b.is_ascii_digit() || b == b'X')
            {
                Rule::Anywhere
            } else {
                w.rule
            };
            Some((text, w.kind, rule, i))
        })
        .collect();
    // By pattern, and within one by the order of `wanted`.
    keyed.sort_unstable();
    let mut texts: Vec<String> = Vec::new();
    let mut list: Vec<Pattern> = Vec::new();
    for (text, kind, rule, i) in keyed {
        let source = &wanted[i].source;
        match list.last_mut() {
            Some(p) if p.kind == kind && p.rule == rule && texts.last() == Some(&text) => {
                if !p.owners.iter().any(|&o| wanted[o].source == *source) {
                    p.owners.push(i);
                }
            }
            _ => {
                texts.push(text);
                list.push(Pattern {
                    kind,
                    rule,
                    owners: vec![i],
                });
            }
        }
    }
    (texts, list)
}

/// The records pattern `p` belongs to.
pub fn owners(wanted: &[Wanted], p: &Pattern) -> Vec<Source> {
    p.owners.iter().map(|&o| wanted[o].source.clone()).collect()
}

/// A phone as written: the whole number, and a landline's local number (bounded) with and
/// without the Shanghai area code.
fn add_phone(patterns: &mut Patterns, phone: &Phone, source: &Source) {
    let digits = phone.digits();
    add(patterns, &digits, HitKind::Phone, Rule::Bounded, source);
    let local = match phone.as_str().rsplit_once('-') {
        Some((_, local)) => local.to_owned(),
        None if digits.starts_with('0') && digits.len() > 8 => digits[digits.len() - 8..].into(),
        None => digits.clone(),
    };
    if local != digits || !digits.starts_with('1') {
        add(patterns, &local, HitKind::Phone, Rule::Bounded, source);
        if local.len() == 8 {
            // With the area code, at home and from abroad (+86 21, without the trunk 0).
            for prefix in ["021", "8621"] {
                add(
                    patterns,
                    &format!("{prefix}{local}"),
                    HitKind::Phone,
                    Rule::Bounded,
                    source,
                );
            }
        }
    }
}

/// Every spelling of a room address: `21号楼701室`, `21号701`, `21幢701`, `21栋701室`, `21-701`
/// (Chinese numerals are read as digits by the canonical form; the compound's name before it
/// changes nothing).
fn add_room(patterns: &mut Patterns, building: &str, room: &str, source: &Source) {
    let core = building
        .trim()
        .trim_end_matches('楼')
        .trim_end_matches(['号', '幢', '栋']);
    let room = room.trim().trim_end_matches('室');
    if core.is_empty() || room.is_empty() {
        return;
    }
    for b in ["号楼", "号", "幢", "栋", "楼"] {
        for r in ["室", ""] {
            add(
                patterns,
                &format!("{core}{b}{room}{r}"),
                HitKind::Address,
                Rule::Bounded,
                source,
            );
        }
    }
    let core_canon = canon(core).text;
    if core_canon.bytes().all(|b| b.is_ascii_digit())
        && canon(room).text.bytes().all(|b| b.is_ascii_digit())
    {
        add(
            patterns,
            &format!("{core}{room}"),
            HitKind::Address,
            Rule::Dash(core_canon.len()),
            source,
        );
    }
}

/// Every personal value of the ledger, as held, in a fixed order (see [`build`]).
pub fn collect(ledger: &Ledger) -> Vec<Wanted> {
    let mut patterns = Patterns::new();
    add_households(&mut patterns, &ledger.households);
    add_committee(&mut patterns, ledger);
    add_records(&mut patterns, ledger);
    patterns
}

/// A person's name: found where it stands as a word (see `Rule::Bounded`).
fn add_name(patterns: &mut Patterns, name: &str, source: &Source) {
    add(patterns, name, HitKind::Name, Rule::Bounded, source);
}

/// Each household's phone and room, and each member's name, ID number, phone and
/// household-register address. Households are read in chunks on every core (the room and the
/// household-register address are read in canonical form to decide what to look for), then
/// gathered in order.
fn add_households(patterns: &mut Patterns, book: &crate::model::HouseholdBook) {
    use rayon::prelude::*;
    let compound_addresses: Vec<String> = book
        .compounds
        .iter()
        .map(|c| canon(&c.address).text)
        .filter(|a| !a.is_empty())
        .collect();
    let chunks: Vec<Patterns> = book
        .households
        .par_chunks(128)
        .map(|households| {
            let mut found = Patterns::new();
            for h in households {
                add_household(&mut found, book, h, &compound_addresses);
            }
            found
        })
        .collect();
    patterns.extend(chunks.into_iter().flatten());
}

fn add_household(
    patterns: &mut Patterns,
    book: &crate::model::HouseholdBook,
    h: &crate::model::Household,
    compound_addresses: &[String],
) {
    let record = format!("居民户（内部编号 {}）", h.id.0);
    if let Some(p) = &h.phone {
        add_phone(patterns, p, &owner(record.clone(), "户电话"));
    }
    if let Some(b) = book.building(h.building) {
        add_room(
            patterns,
            &b.number,
            &h.room,
            &owner(record.clone(), "门牌室号"),
        );
    }
    for p in &h.members {
        add_name(patterns, &p.name, &owner(record.clone(), "成员姓名"));
        if let Some(id) = &p.id_number {
            add_id_number(
                patterns,
                id.as_str(),
                &owner(record.clone(), "成员身份证号"),
            );
        }
        if let Some(ph) = &p.phone {
            add_phone(patterns, ph, &owner(record.clone(), "成员电话"));
        }
        // A household-register address is personal unless it is only a compound's.
        let hukou = canon(&p.hukou_address).text;
        if hukou.chars().count() >= 6 && !compound_addresses.iter().any(|c| c.contains(&hukou)) {
            add(
                patterns,
                &p.hukou_address,
                HitKind::Address,
                Rule::Bounded,
                &owner(record.clone(), "成员户籍地址"),
            );
        }
    }
}

/// An ID number as written, with a check character X written as × (which reads as a mask),
/// and in the old 15-digit form.
fn add_id_number(patterns: &mut Patterns, id: &str, source: &Source) {
    add(patterns, id, HitKind::IdNumber, Rule::Bounded, source);
    if let Some(body) = id.strip_suffix('X') {
        let crossed = format!("{body}*");
        add(patterns, &crossed, HitKind::IdNumber, Rule::Bounded, source);
    }
    if id.len() == 18 && id.is_ascii() {
        let old = format!("{}{}", &id[..6], &id[8..17]);
        add(patterns, &old, HitKind::IdNumber, Rule::Bounded, source);
    }
}

/// Workers who do not sign notices (name and phone; a signer's phone too), and partner
/// organisations' contact people and phones.
fn add_committee(patterns: &mut Patterns, ledger: &Ledger) {
    for w in &ledger.committee.workers {
        let record = format!("工作人员（内部编号 {}）", w.id.0);
        if !w.signs_notices {
            add_name(patterns, &w.name, &owner(record.clone(), "姓名"));
        }
        if let Some(ph) = &w.phone {
            add_phone(patterns, ph, &owner(record, "电话"));
        }
    }
    for o in &ledger.committee.organisations {
        let record = format!("合作单位（内部编号 {}）", o.id.0);
        add_name(patterns, &o.contact, &owner(record.clone(), "联系人"));
        if let Some(ph) = &o.phone {
            add_phone(patterns, ph, &owner(record, "联系电话"));
        }
    }
}

/// The people named in records: visited residents, visitors at reception (and their phones),
/// individuals paid from a fund.
fn add_records(patterns: &mut Patterns, ledger: &Ledger) {
    for v in ledger.all_visits() {
        let record = format!("走访记录（{}年第 {} 条）", v.id.year, v.id.seq);
        add_name(patterns, &v.resident_name, &owner(record, "被访居民姓名"));
    }
    for r in &ledger.desk.receptions {
        let record = format!("接待记录（内部编号 {}）", r.id.0);
        if let Some(name) = &r.visitor {
            add_name(patterns, name, &owner(record.clone(), "来访人"));
        }
        if let Some(ph) = &r.visitor_phone {
            add_phone(patterns, ph, &owner(record, "来访人电话"));
        }
    }
    for f in ledger.funds.values() {
        for p in &f.payments {
            if let Payee::Individual { name, .. } = &p.payee {
                let record = format!("经费支出（{}年第 {} 笔）", p.id.year, p.id.seq);
                add_name(patterns, name, &owner(record, "收款人"));
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AllowedKind {
    Signer,
    Phone,
    Address,
}

/// The allowed values, ready to be found.
pub struct AllowedMatch {
    matcher: Option<AhoCorasick>,
    kinds: Vec<AllowedKind>,
    /// The longest allowed value, in bytes: an occurrence that holds a hit lies within this
    /// many bytes of it.
    longest: usize,
    key: u128,
}

/// The canonical digits of a setting that is a landline and nothing else.
fn landline(raw: &str) -> Option<String> {
    let digits = canon(raw).text;
    let mobile = digits.len() == 11
        && digits.starts_with('1')
        && digits
            .as_bytes()
            .get(1)
            .is_some_and(|b| (b'3'..=b'9').contains(b));
    (digits.bytes().all(|b| b.is_ascii_digit()) && (7..=12).contains(&digits.len()) && !mobile)
        .then_some(digits)
}

impl AllowedMatch {
    /// Ready to find `allowed`.
    pub fn new(allowed: &Allowed) -> AllowedMatch {
        let mut list: Vec<(String, AllowedKind)> = Vec::new();
        for s in &allowed.signers {
            list.push((canon(s).text, AllowedKind::Signer));
        }
        for p in &allowed.phones {
            if let Some(digits) = landline(p) {
                // With and without the area code.
                if let Some(local) = digits.strip_prefix("021") {
                    list.push((local.to_owned(), AllowedKind::Phone));
                } else if let Some((_, local)) = p.rsplit_once(['-', '－']) {
                    list.push((canon(local).text, AllowedKind::Phone));
                }
                list.push((digits, AllowedKind::Phone));
            }
        }
        for a in &allowed.addresses {
            list.push((canon(a).text, AllowedKind::Address));
        }
        list.retain(|(t, _)| t.chars().count() >= 2);
        list.sort_by(|a, b| a.0.cmp(&b.0).then((a.1 as u8).cmp(&(b.1 as u8))));
        list.dedup();
        let mut key = Xxh3::new();
        for (t, k) in &list {
            key.update(t.as_bytes());
            key.update(&[1, *k as u8]);
        }
        let (texts, kinds): (Vec<String>, Vec<AllowedKind>) = list.into_iter().unzip();
        AllowedMatch {
            matcher: (!texts.is_empty())
                .then(|| AhoCorasick::new(&texts).ok())
                .flatten(),
            kinds,
            longest: texts.iter().map(String::len).max().unwrap_or(0),
            key: key.digest128(),
        }
    }

    /// A fingerprint of the allowed values.
    pub fn key(&self) -> u128 {
        self.key
    }

    /// Whether a hit of `kind` at `start..end` of `text` is an allowed value standing as
    /// itself. Only the allowed values that hold the hit count, and they all lie within
    /// [`AllowedMatch::longest`] bytes of it: that much of the text is read, not all of it (nearly
    /// every page has a hit that is allowed, the signers' names in its footer).
    pub fn covers(&self, text: &Canon, kind: HitKind, start: usize, end: usize) -> bool {
        let Some(m) = &self.matcher else {
            return false;
        };
        let mut from = start.saturating_sub(self.longest);
        while !text.text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (end + self.longest).min(text.text.len());
        while !text.text.is_char_boundary(to) {
            to += 1;
        }
        m.find_overlapping_iter(&text.text[from..to])
            .map(|m| {
                (
                    self.kinds[m.pattern().as_usize()],
                    from + m.start(),
                    from + m.end(),
                )
            })
            .filter(|&(k, s, e)| k != AllowedKind::Phone || Rule::Bounded.holds(text, s, e))
            .any(|(k, s, e)| {
                let inside = s <= start && end <= e;
                match (k, kind) {
                    // A name inside a signer's longer name (张丽 in 张丽华) is the signer; the
                    // signer's own name only where it signs.
                    (AllowedKind::Signer, HitKind::Name) => {
                        inside
                            && (e - s > end - start
                                || text.signer(s) && signer_run(text, s) == (s, e))
                    }
                    // The office's phone and address only whole: a resident's room address or
                    // phone written into the office address is not the office address.
                    (AllowedKind::Phone, HitKind::Phone)
                    | (AllowedKind::Address, HitKind::Address) => s == start && e == end,
                    _ => false,
                }
            })
    }
}

/// The run of bytes marked [`SIGNER`] around `at`.
fn signer_run(text: &Canon, at: usize) -> (usize, usize) {
    let flagged = |i: usize| text.signer(i);
    let (mut s, mut e) = (at, at);
    while s > 0 && flagged(s - 1) {
        s -= 1;
    }
    while e < text.len() && flagged(e) {
        e += 1;
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_landline_is_an_allowed_phone() {
        assert_eq!(landline("021-6432 1234").as_deref(), Some("02164321234"));
        assert_eq!(landline("6432 1234").as_deref(), Some("64321234"));
        assert_eq!(landline("13912345678"), None);
        assert_eq!(landline("021-64321234 张三"), None);
        assert_eq!(landline("021-64321234 / 13912345678"), None);
    }

    proptest::proptest! {
        /// Reading only a window around a hit decides as reading the whole text for every
        /// allowed value did (the reading it replaced, kept here): for every span of a text
        /// made of allowed values, parts of them and other words, some where a signer signs.
        #[test]
        fn a_window_around_a_hit_decides_as_the_whole_text(
            parts in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "王慧敏", "王慧", "张丽华", "张丽", "021-6000 1000", "60001000",
                        "示例路100弄1号一楼", "示例路100弄", "1号", "一楼", "，", " ", "X", "居民",
                    ]),
                    proptest::bool::ANY,
                ),
                0..12,
            )
        ) {
            use super::super::canon::{Builder, SIGNER};
            let allowed = AllowedMatch::new(&Allowed {
                signers: vec!["王慧敏".into(), "张丽华".into()],
                phones: vec!["021-60001000".into()],
                addresses: vec!["示例路100弄1号一楼".into(), "樱园新村".into()],
            });
            let mut b = Builder::new();
            for (part, signs) in &parts {
                b.push(part, 1, if *signs { SIGNER } else { 0 });
            }
            let text = b.finish();
            // Every occurrence in the whole text, as before.
            let everywhere: Vec<(AllowedKind, usize, usize)> = allowed
                .matcher
                .as_ref()
                .map(|m| {
                    m.find_overlapping_iter(&text.text)
                        .map(|m| (allowed.kinds[m.pattern().as_usize()], m.start(), m.end()))
                        .filter(|&(k, s, e)| k != AllowedKind::Phone || Rule::Bounded.holds(&text, s, e))
                        .collect()
                })
                .unwrap_or_default();
            let whole = |kind: HitKind, start: usize, end: usize| {
                everywhere.iter().any(|&(k, s, e)| match (k, kind) {
                    (AllowedKind::Signer, HitKind::Name) => {
                        s <= start
                            && end <= e
                            && (e - s > end - start
                                || text.signer(s) && signer_run(&text, s) == (s, e))
                    }
                    (AllowedKind::Phone, HitKind::Phone)
                    | (AllowedKind::Address, HitKind::Address) => s == start && e == end,
                    _ => false,
                })
            };
            let bounds: Vec<usize> = (0..=text.text.len())
                .filter(|i| text.text.is_char_boundary(*i))
                .collect();
            for (i, &start) in bounds.iter().enumerate() {
                for &end in &bounds[i + 1..] {
                    for kind in [HitKind::Name, HitKind::Phone, HitKind::Address] {
                        proptest::prop_assert_eq!(
                            allowed.covers(&text, kind, start, end),
                            whole(kind, start, end),
                            "{:?} {:?} {}..{}", &text.text, kind, start, end
                        );
                    }
                }
            }
        }
    }
}

//! The site's search index, in shards that a reader's browser loads only as a query needs them
//! (`themes/default/assets/search.js`), from a folder (file://) as from a server: each shard is
//! a script that hands its data to the search page, because a page opened from a folder may
//! run a script beside it but may not fetch a file.
//!
//! Every searchable page is a document, numbered in the order results are listed when they rank
//! alike (the guide in display order, then notices, then projects). Its text for matching is
//! its title and then its text, folded as the search page folds a query ([`fold`]: full-width
//! letters and digits as ASCII, lower case, no white space).
//!
//! - `search/meta.js`: how many documents, and how they are sharded.
//! - `search/t/N.js`, `N` being `G × BUCKETS + B`: the postings of group `G` (documents
//!   `G × GROUP` onwards) for the grams (single characters and pairs of characters) whose first
//!   character falls in bucket `B`: for each gram, which documents hold it, and separately which
//!   hold it in their title. A query of two characters loads one bucket of each group: about
//!   1/[`BUCKETS`] of the postings.
//! - `search/d/K.js`: title, link, kind and text of documents `K × PER_SHARD` onwards, loaded for
//!   the results shown (the excerpt around the match, and the exact check of a longer query).
//!
//! The index writes its own numbers in letters only ([`letters`], [`encode`]), in its file names
//! too (lower case: Windows does not tell `a` from `A` in a name): numbers written in digits,
//! side by side, read to the privacy guard as a phone number, and `3-50` as room 50 of
//! building 3. The only digits in the index are those of the pages' own text, which the guard
//! checks there as well. An edit of one document changes its group's term shards and its own
//! document shard, nothing else.

use super::PublishError;
use super::guide::GuideEntry;
use super::public::PublicSite;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::borrow::Cow;

/// Documents per group of term shards.
pub const GROUP: usize = 1000;
/// Buckets of first characters per group.
pub const BUCKETS: u32 = 64;
/// Documents per document shard.
pub const PER_SHARD: usize = 10;

/// One searchable page.
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    /// Its title.
    pub title: &'a str,
    /// Link from the site's root.
    pub url: String,
    /// What kind of page (百事汇, a notice's kind, 实事项目).
    pub kind: &'a str,
    /// Its text (the guide's whole text; a notice's date; a project's need, plan and outcome).
    pub text: Cow<'a, str>,
}

/// The site's searchable pages, numbered: the guide (in display order), then the notices, then
/// the projects.
pub fn docs<'a>(site: &'a PublicSite, guide: &'a [GuideEntry]) -> Vec<Doc<'a>> {
    let mut docs: Vec<Doc> = guide.iter().map(guide_doc).collect();
    docs.extend(site.notices.iter().map(|n| Doc {
        title: &n.title,
        url: n.href.clone(),
        kind: &n.kind,
        text: n.date.as_str().into(),
    }));
    docs.extend(site.projects.iter().map(|p| {
        Doc {
            title: &p.title,
            url: format!("projects/{}.html", p.slug),
            kind: "实事项目",
            text: [p.category.as_str(), &p.need, &p.plan, &p.outcome]
                .join(" ")
                .into(),
        }
    }));
    docs
}

/// The document of a guide item.
pub fn guide_doc(g: &GuideEntry) -> Doc<'_> {
    Doc {
        title: &g.title,
        url: format!("guide/{}.html", g.slug),
        kind: "百事汇",
        text: g.text.as_str().into(),
    }
}

/// A text as the search page folds it: full-width ASCII forms as ASCII, white space (as
/// JavaScript's `\s` has it) dropped, lower case.
pub fn fold(text: &str) -> String {
    folded_chars(text).collect()
}

/// JavaScript's `\s`.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// The bucket of a gram: by its first character, as the search page computes it.
pub fn bucket(gram: &str) -> u32 {
    gram.chars().next().map_or(0, |c| c as u32 % BUCKETS)
}

/// A list of ascending document numbers in letters: each as its distance from the one before
/// (the first from -1), less one, in base 26, the last digit a lower-case letter and the ones
/// before it upper case. `[0, 1, 2, 30]` is `aaaBb`.
pub fn encode(ids: &[u32]) -> String {
    let mut out = String::with_capacity(ids.len());
    let mut prev: i64 = -1;
    for &id in ids {
        let mut n = (i64::from(id) - prev - 1).max(0) as u64;
        prev = i64::from(id);
        let mut digits = [0u8; 14];
        let mut len = 0;
        loop {
            digits[len] = (n % 26) as u8;
            len += 1;
            n /= 26;
            if n == 0 {
                break;
            }
        }
        for (i, d) in digits[..len].iter().enumerate().rev() {
            out.push(char::from(if i == 0 { b'a' + d } else { b'A' + d }));
        }
    }
    out
}

/// A set of document numbers below `count` as a bitmap in letters, five documents a letter
/// (`a`–`z` then `A`–`F` for 0–31, the first document in the lowest bit).
pub fn encode_bitmap(ids: &[u32], count: usize) -> String {
    let mut bits = vec![0u8; count.div_ceil(5)];
    for &id in ids {
        if let Some(cell) = bits.get_mut(id as usize / 5) {
            *cell |= 1 << (id % 5);
        }
    }
    bits.into_iter()
        .map(|v| char::from(if v < 26 { b'a' + v } else { b'A' + v - 26 }))
        .collect()
}

/// The postings of a list as JSON: a string of distances ([`encode`]), or for a list that holds
/// many of the group's documents, an array of one bitmap string ([`encode_bitmap`]), whichever
/// is shorter.
fn postings_value(ids: &[u32], count: usize) -> String {
    let list = encode(ids);
    if list.len() * 5 > count + 10 {
        format!("[\"{}\"]", encode_bitmap(ids, count))
    } else {
        format!("\"{list}\"")
    }
}

/// A gram as a number: its first character above, its second (or none, for a single
/// character) below. Hashing numbers is what makes a group's postings quick to collect.
type Gram = u64;

/// The second half of a single character's gram: above every character.
const ALONE: u64 = 0x1F_FFFF;

fn gram(first: char, second: Option<char>) -> Gram {
    (u64::from(first) << 21) | second.map_or(ALONE, u64::from)
}

/// The gram's text.
fn gram_text(g: Gram) -> String {
    let first = char::from_u32((g >> 21) as u32).unwrap_or('\u{FFFD}');
    match g & ALONE {
        ALONE => first.to_string(),
        second => [first, char::from_u32(second as u32).unwrap_or('\u{FFFD}')]
            .into_iter()
            .collect(),
    }
}

/// The characters of `text` as [`fold`] leaves them, one at a time.
fn folded_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(|c| {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        let (one, many) = if c.is_ascii() {
            ((!is_js_space(c)).then(|| c.to_ascii_lowercase()), None)
        } else if is_ideograph(c) {
            (Some(c), None)
        } else if is_js_space(c) {
            (None, None)
        } else {
            (None, Some(c.to_lowercase()))
        };
        one.into_iter().chain(many.into_iter().flatten())
    })
}

/// CJK ideographs: they have no case and are no space, and they are most of a page.
fn is_ideograph(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c)
}

/// Calls `each` with the characters of `text` as [`folded_chars`] gives them, without going
/// through its iterators but for a character that lower case may make more than one of: an
/// ideograph as it is, a full-width form as its ASCII character, ASCII in lower case.
fn each_folded(text: &str, mut each: impl FnMut(char)) {
    for c in text.chars() {
        if is_ideograph(c) {
            each(c);
            continue;
        }
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        if c.is_ascii() {
            if !is_js_space(c) {
                each(c.to_ascii_lowercase());
            }
        } else if !is_js_space(c) {
            c.to_lowercase().for_each(&mut each);
        }
    }
}

/// The documents of a group that hold a gram, in order.
#[derive(Debug, Default)]
struct List {
    /// The last document listed, plus one (0: none yet). Kept beside the gram in the table:
    /// asking whether a document is already listed reads no further than the table (the
    /// list's own end lies elsewhere in memory, and most grams repeat within a document).
    last: u32,
    ids: Vec<u32>,
}

/// Gram → the documents of a group that hold it.
type Postings = FxHashMap<Gram, List>;

/// Adds every gram of `texts`, folded and read as one text (each character, and each pair of
/// neighbours), for `doc`, once: documents are added in order, so a gram already listed for
/// `doc` has it last.
fn add_all(postings: &mut Postings, texts: &[&str], doc: u32) {
    let mark = doc.saturating_add(1);
    let mut add = |g: Gram| {
        let list = postings.entry(g).or_default();
        if list.last != mark {
            list.last = mark;
            list.ids.push(doc);
        }
    };
    let mut prev: Option<char> = None;
    for text in texts {
        each_folded(text, |c| {
            add(gram(c, None));
            if let Some(p) = prev {
                add(gram(p, Some(c)));
            }
            prev = Some(c);
        });
    }
}

/// The lists of a group, bucket by bucket (each in no order yet), in one pass over them.
fn by_bucket(postings: &Postings) -> Vec<Vec<(Gram, &[u32])>> {
    let mut buckets: Vec<Vec<(Gram, &[u32])>> = vec![Vec::new(); BUCKETS as usize];
    for (g, list) in postings {
        buckets[((*g >> 21) % u64::from(BUCKETS)) as usize].push((*g, list.ids.as_slice()));
    }
    buckets
}

/// The lists of one bucket (as [`by_bucket`] gives them), by gram.
fn bucket_lists(mut lists: Vec<(Gram, &[u32])>) -> Vec<(String, &[u32])> {
    lists.sort_unstable_by_key(|(g, _)| *g);
    lists
        .into_iter()
        .map(|(g, ids)| (gram_text(g), ids))
        .collect()
}

/// A number in lower-case letters, most significant first: `a` is 0, `z` 25, `ba` 26.
pub fn letters(n: usize) -> String {
    let mut digits = Vec::new();
    let mut n = n;
    loop {
        digits.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    digits.into_iter().rev().collect()
}

/// One data script: a call of the search page's receiver (the page knows which file it asked
/// for), its data as JSON with `<` escaped (a script must never hold `</script>`), one entry a
/// line (the guard reads a large file's lines on all cores).
fn script(kind: &str, parts: &[String]) -> String {
    let mut out = format!("SIBAI_SEARCH_SHARD(\"{kind}\"");
    for part in parts {
        out.push_str(",\n");
        out.push_str(&part.replace('<', "\\u003c"));
    }
    out.push_str(");\n");
    out
}

fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, PublishError> {
    serde_json::to_string(value).map_err(|e| PublishError::Template(format!("搜索索引：{e}")))
}

/// Gram → postings as a JSON object, one gram a line.
fn postings_json(lists: &[(String, &[u32])], count: usize) -> Result<String, PublishError> {
    let mut out = String::from("{");
    for (i, (gram, ids)) in lists.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('\n');
        // A gram is one or two characters of text: quoted as it is unless JSON must escape it.
        if gram
            .chars()
            .any(|c| matches!(c, '"' | '\\' | '\0'..='\u{1F}'))
        {
            out.push_str(&json(gram)?);
        } else {
            out.push('"');
            out.push_str(gram);
            out.push('"');
        }
        out.push(':');
        out.push_str(&postings_value(ids, count));
    }
    out.push_str("\n}");
    Ok(out)
}

/// The term shards of group `group`, whose documents are `docs` (the group's own, in order):
/// one file for every bucket, empty ones too, so that the page never asks for a missing file.
/// A document's grams are those of its title followed by its text, as the page folds them.
pub fn term_shards(group: usize, docs: &[Doc<'_>]) -> Result<Vec<(String, String)>, PublishError> {
    let made = term_shards_unless(group, docs, &|| false);
    made.unwrap_or_else(|| Ok(Vec::new()))
}

/// [`term_shards`], given up (`None`) as soon as `stop` says so: it is asked between documents
/// and between buckets. What was made is then freed on a thread of its own (a group's postings
/// are tens of thousands of lists), so that the caller is not kept waiting.
pub fn term_shards_unless(
    group: usize,
    docs: &[Doc<'_>],
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Result<Vec<(String, String)>, PublishError>> {
    let (mut body, mut title) = (Postings::default(), Postings::default());
    for (local, d) in docs.iter().enumerate() {
        if stop() {
            super::drop_aside((body, title));
            return None;
        }
        let local = u32::try_from(local).unwrap_or(u32::MAX);
        add_all(&mut body, &[d.title, &d.text], local);
        add_all(&mut title, &[d.title], local);
    }
    let count = docs.len();
    let buckets: Vec<_> = by_bucket(&body)
        .into_iter()
        .zip(by_bucket(&title))
        .collect();
    let made: Option<Result<Vec<(String, String)>, PublishError>> = buckets
        .into_par_iter()
        .zip(0..BUCKETS)
        .map(|((body, title), b)| (!stop()).then(|| bucket_shard(group, b, body, title, count)))
        .collect();
    if made.is_none() {
        super::drop_aside((body, title));
    }
    made
}

/// The file of bucket `b` of a group of `count` documents, from the bucket's lists (as
/// [`by_bucket`] gives them) of the documents' texts and of their titles.
fn bucket_shard(
    group: usize,
    b: u32,
    body: Vec<(Gram, &[u32])>,
    title: Vec<(Gram, &[u32])>,
    count: usize,
) -> Result<(String, String), PublishError> {
    let parts = [
        postings_json(&bucket_lists(body), count)?,
        postings_json(&bucket_lists(title), count)?,
    ];
    Ok((term_path(group, b), script("t", &parts)))
}

/// The fingerprint of everything [`term_shards`] makes group `group`'s files from: the group,
/// and its documents' titles and texts in order. Shards made with the same fingerprint are the
/// same files.
pub fn group_key(group: usize, docs: &[Doc<'_>]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&group.to_le_bytes());
    h.update(&docs.len().to_le_bytes());
    for d in docs {
        for part in [d.title, &d.text] {
            h.update(&part.len().to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    h.digest128()
}

/// Whether `path` is a file of the search index (its shards and the meta file; the search page
/// itself is `search.html`).
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/")
}

/// The file of bucket `b` of group `group`.
pub fn term_path(group: usize, b: u32) -> String {
    format!(
        "search/t/{}.js",
        letters(group * BUCKETS as usize + b as usize)
    )
}

/// The file of document shard `shard`.
pub fn doc_path(shard: usize) -> String {
    format!("search/d/{}.js", letters(shard))
}

/// The document shard `shard`, holding `docs` (its own, in order).
pub fn doc_shard(shard: usize, docs: &[Doc<'_>]) -> Result<(String, String), PublishError> {
    let rows = docs
        .iter()
        .map(|d| json(&(d.title, &d.url, d.kind, d.text.as_ref())))
        .collect::<Result<Vec<_>, _>>()?;
    let text = script("d", &[format!("[\n{}\n]", rows.join(",\n"))]);
    Ok((doc_path(shard), text))
}

/// How many documents there are and how they are sharded, each number in [`letters`].
pub fn meta(count: usize) -> (String, String) {
    (
        "search/meta.js".into(),
        format!(
            "window.SIBAI_SEARCH_META = {{\"docs\": \"{}\", \"group\": \"{}\", \"buckets\": \"{}\", \"per\": \"{}\"}};\n",
            letters(count),
            letters(GROUP),
            letters(BUCKETS as usize),
            letters(PER_SHARD)
        ),
    )
}

/// Every file of the index.
pub fn files(docs: &[Doc<'_>]) -> Result<Vec<(String, String)>, PublishError> {
    let mut files = vec![meta(docs.len())];
    let groups: Vec<Vec<(String, String)>> = docs
        .par_chunks(GROUP)
        .enumerate()
        .map(|(g, chunk)| term_shards(g, chunk))
        .collect::<Result<_, _>>()?;
    files.extend(groups.into_iter().flatten());
    let shards: Vec<(String, String)> = docs
        .par_chunks(PER_SHARD)
        .enumerate()
        .map(|(k, chunk)| doc_shard(k, chunk))
        .collect::<Result<_, _>>()?;
    files.extend(shards);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gram_is_a_json_key_as_it_was_written() {
        let grams = [
            "老", "老人", "\"", "a\"", "\\", "\n", "x\u{1F}", "<", "\u{2028}", "é",
        ];
        let ids = [0u32, 3];
        let lists: Vec<(String, &[u32])> =
            grams.iter().map(|g| ((*g).to_owned(), &ids[..])).collect();
        let text = postings_json(&lists, 10).unwrap();
        let read: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
        let mut keys: Vec<&str> = read.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want = grams.to_vec();
        want.sort_unstable();
        assert_eq!(keys, want, "{text}");
    }

    /// Decodes what [`encode`] wrote, as search.js does.
    fn decode(s: &str) -> Vec<u32> {
        let (mut out, mut n, mut prev) = (Vec::new(), 0u32, -1i64);
        for c in s.chars() {
            if c.is_ascii_uppercase() {
                n = n * 26 + (c as u32 - 'A' as u32);
            } else {
                n = n * 26 + (c as u32 - 'a' as u32);
                prev += i64::from(n) + 1;
                out.push(prev as u32);
                n = 0;
            }
        }
        out
    }

    #[test]
    fn postings_are_letters_and_read_back() {
        for ids in [
            vec![],
            vec![0],
            vec![0, 1, 2, 30],
            vec![5, 26, 27, 700, 701, 999],
            (0..1000).collect::<Vec<u32>>(),
            vec![17_575, 17_576, 500_000],
        ] {
            let text = encode(&ids);
            assert!(text.chars().all(|c| c.is_ascii_alphabetic()), "{text}");
            assert_eq!(decode(&text), ids);
        }
        assert_eq!(encode(&[0, 1, 2, 30]), "aaaBb");
    }

    #[test]
    fn folding_matches_the_search_page() {
        assert_eq!(fold("Ａｂ１２ 老年\u{3000}补贴\nX"), "ab12老年补贴x");
    }

    fn grams(text: &str) -> Vec<String> {
        let mut postings = Postings::default();
        add_all(&mut postings, &[text], 0);
        let mut out: Vec<String> = postings.keys().map(|g| gram_text(*g)).collect();
        out.sort();
        out
    }

    #[test]
    fn a_document_is_listed_once_for_a_gram_it_repeats() {
        let mut postings = Postings::default();
        add_all(&mut postings, &["老年老年老"], 0);
        add_all(&mut postings, &["年年"], 1);
        add_all(&mut postings, &["老"], 3);
        assert_eq!(postings[&gram('老', None)].ids, [0, 3]);
        assert_eq!(postings[&gram('年', None)].ids, [0, 1]);
        assert_eq!(postings[&gram('老', Some('年'))].ids, [0]);
        assert_eq!(postings[&gram('年', Some('年'))].ids, [1]);
    }

    #[test]
    fn grams_are_characters_and_pairs() {
        let mut want = vec!["老", "年", "老年", "补", "年补", "贴", "补贴"];
        want.sort_unstable();
        assert_eq!(grams("老年补贴"), want);
        assert!(grams("").is_empty());
        assert_eq!(grams("A"), ["a"]);
        assert_eq!(grams("Ａ b"), ["a", "ab", "b"]);
    }

    #[test]
    fn a_title_and_its_text_are_read_as_one() {
        let mut postings = Postings::default();
        add_all(&mut postings, &["老年", "补贴"], 0);
        assert_eq!(postings[&gram('年', Some('补'))].ids, [0]);
    }

    proptest::proptest! {
        /// The folding that passes ideographs straight on folds as the iterator does.
        #[test]
        fn ideographs_passed_on_fold_as_the_iterator(
            chars in proptest::collection::vec(
                proptest::sample::select(vec![
                    '老', '㐀', '鿿', '䶿', 'A', 'z', 'Ａ', 'ｚ', '１', ' ', '\u{3000}', '\u{A0}', '\n',
                    'İ', 'Σ', 'ß', '。', '\u{FEFF}', '🙂', '，', '～', '·', '—', '…',
                ]),
                0..30,
            )
        ) {
            let text: String = chars.into_iter().collect();
            let mut passed = Vec::new();
            each_folded(&text, |c| passed.push(c));
            proptest::prop_assert_eq!(passed, folded_chars(&text).collect::<Vec<_>>());
        }
    }

    /// Reads a bitmap back, as search.js does.
    fn decode_bitmap(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for (i, c) in s.chars().enumerate() {
            let v = if c.is_ascii_lowercase() {
                c as u32 - 'a' as u32
            } else {
                c as u32 - 'A' as u32 + 26
            };
            for bit in 0..5 {
                if v & (1 << bit) != 0 {
                    out.push(i as u32 * 5 + bit);
                }
            }
        }
        out
    }

    #[test]
    fn a_list_that_holds_most_documents_is_a_bitmap() {
        let most: Vec<u32> = (0..1000).filter(|i| i % 3 != 0).collect();
        let value = postings_value(&most, 1000);
        assert!(value.starts_with("[\""), "{value}");
        let bitmap = value.trim_start_matches("[\"").trim_end_matches("\"]");
        assert_eq!(bitmap.len(), 200);
        assert!(bitmap.chars().all(|c| c.is_ascii_alphabetic()));
        assert_eq!(decode_bitmap(bitmap), most);
        let few = [3, 500, 999];
        assert_eq!(postings_value(&few, 1000), format!("\"{}\"", encode(&few)));
    }

    #[test]
    fn a_document_is_in_the_bucket_of_each_of_its_grams_and_its_shard() {
        let docs: Vec<Doc> = (0..25)
            .map(|i| Doc {
                title: if i == 12 {
                    "高龄津贴"
                } else {
                    "垃圾分类"
                },
                url: format!("guide/{i}.html"),
                kind: "百事汇",
                text: if i == 3 {
                    "申请津贴".into()
                } else {
                    "楼道照明".into()
                },
            })
            .collect();
        let files = files(&docs).unwrap_or_default();
        let find = |path: &str| {
            files
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        let shard = find(&term_path(0, bucket("津贴")));
        // 津贴 in documents 3 (text) and 12 (title); in the title of 12 only.
        let body = shard.split("\n}").next().unwrap_or_default();
        let line = body
            .lines()
            .find(|l| l.starts_with("\"津贴\":"))
            .unwrap_or_default();
        assert_eq!(
            decode(
                line.trim_start_matches("\"津贴\":")
                    .trim_end_matches(',')
                    .trim_matches('"')
            ),
            [3, 12]
        );
        assert!(find("search/d/b.js").contains("高龄津贴"));
        assert!(find("search/d/c.js").contains("guide/24.html"));
        assert_eq!(files.len(), 1 + BUCKETS as usize + 3);
        assert!(find("search/meta.js").contains("\"docs\": \"z\""));
        // No digits of the index's own, in names or contents.
        for (path, text) in &files {
            assert!(!path.chars().any(|c| c.is_ascii_digit()), "{path}");
            if !path.starts_with("search/d/") {
                assert!(!text.chars().any(|c| c.is_ascii_digit()), "{path}: {text}");
            }
        }
        assert_eq!(
            (letters(0), letters(25), letters(26), letters(703)),
            ("a".into(), "z".into(), "ba".into(), "bbb".into())
        );
    }

    #[test]
    fn shards_with_the_same_key_are_the_same_files() {
        let doc = |title: &'static str, text: &'static str| Doc {
            title,
            url: "guide/a.html".into(),
            kind: "百事汇",
            text: text.into(),
        };
        let docs = [doc("高龄津贴", "申请津贴"), doc("垃圾分类", "楼道照明")];
        let key = group_key(0, &docs);
        // Only what the shards are made of counts: the address and kind do not.
        let mut moved = docs.clone();
        moved[0].url = "guide/b.html".into();
        assert_eq!(group_key(0, &moved), key);
        assert_eq!(
            term_shards(0, &moved).unwrap_or_default(),
            term_shards(0, &docs).unwrap_or_default()
        );
        // A title, a text, their split, the order, the group: each another key.
        let others = [
            group_key(1, &docs),
            group_key(0, &[doc("高龄", "津贴申请津贴"), docs[1].clone()]),
            group_key(0, &[doc("高龄津贴", "申请补贴"), docs[1].clone()]),
            group_key(0, &[docs[1].clone(), docs[0].clone()]),
            group_key(0, &docs[..1]),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(*other, key, "{i}");
        }
    }

    #[test]
    fn term_shards_stop_between_documents_when_asked() {
        let docs: Vec<Doc> = (0..5)
            .map(|i| Doc {
                title: "垃圾分类",
                url: format!("guide/{i}.html"),
                kind: "百事汇",
                text: "楼道照明".into(),
            })
            .collect();
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let stop_at_third = || asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 2;
        assert!(term_shards_unless(0, &docs, &stop_at_third).is_none());
        // Asked before each of the five documents, then before each bucket: stopped while the
        // buckets are written, nothing is made either.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let stop_in_buckets = || asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= 8;
        assert!(term_shards_unless(0, &docs, &stop_in_buckets).is_none());
        assert!(asked.load(std::sync::atomic::Ordering::Relaxed) >= 9);
        let made = term_shards_unless(0, &docs, &|| false).and_then(Result::ok);
        assert_eq!(made, term_shards(0, &docs).ok());
        assert_eq!(made.map(|m| m.len()), Some(BUCKETS as usize));
    }
}

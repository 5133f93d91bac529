//! One automaton for every personal value's canonical text: where each occurs in a text,
//! overlapping occurrences included (a name inside a longer name, a landline inside a phone).
//!
//! Two automata do this, each best at one size of work. On the texts of 10,000 guide pages and
//! the demo committee's 21,000 patterns, daachorse's double-array Aho-Corasick automaton (its
//! byte-wise one, then) found the same 61,290 occurrences as aho-corasick's in 47 ms instead of
//! 247 ms, but takes longer to build: it pays only from about 10 MB of text, so it is built for a large check (a first
//! publish) and aho-corasick's non-contiguous NFA, the quickest to build, for a small one (an
//! edit, a preview). Should the one asked for refuse the patterns (daachorse takes at most
//! 2^24 - 1 of them), the other is used.
//!
//! The double array is daachorse's character-wise one: a transition per character, where the
//! byte-wise one takes three for a Chinese character. The text it reads is mostly Chinese, and
//! so are its names and addresses: on a 1,000-page publish it was built in 78 million
//! instructions instead of 137 (cachegrind), and on 10,000 pages the check took 6% less thread
//! time (1,453 ms against 1,552, the means of four runs side by side), the pages the same.
//! Its build now costs about what aho-corasick's NFA's does (the demo committee: ~80 million
//! instructions against 94, callgrind): the small check's choice was made against the
//! byte-wise one and has not been measured again.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use daachorse::CharwiseDoubleArrayAhoCorasick;

/// The automaton, and which patterns each of its texts stands for.
pub struct Matcher {
    automaton: Automaton,
    /// Distinct text `t` stands for patterns `starts[t]..starts[t + 1]`.
    starts: Vec<usize>,
}

enum Automaton {
    DoubleArray(CharwiseDoubleArrayAhoCorasick<u32>),
    AhoCorasick(AhoCorasick),
}

impl Matcher {
    /// A matcher for `texts`, the patterns' canonical texts in sorted order (patterns that share
    /// a text side by side), for a `large` check or a small one. `None` when there is nothing to
    /// look for.
    pub fn new(texts: &[String], large: bool) -> Option<Matcher> {
        let mut distinct: Vec<&str> = Vec::new();
        let mut starts = Vec::new();
        for (p, text) in texts.iter().enumerate() {
            if distinct.last() != Some(&text.as_str()) {
                distinct.push(text);
                starts.push(p);
            }
        }
        if distinct.is_empty() {
            return None;
        }
        starts.push(texts.len());
        let double_array = || CharwiseDoubleArrayAhoCorasick::new(&distinct).ok();
        // The automaton that is quickest to build (its search is slower than the default's,
        // which it first builds and then converts, but a small check reads little): on the demo
        // committee's 21,000 patterns ~17 ms instead of ~23, on the way to an edit's check.
        let aho_corasick = || {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(&distinct)
                .ok()
        };
        let automaton = if large {
            double_array()
                .map(Automaton::DoubleArray)
                .or_else(|| aho_corasick().map(Automaton::AhoCorasick))
        } else {
            aho_corasick()
                .map(Automaton::AhoCorasick)
                .or_else(|| double_array().map(Automaton::DoubleArray))
        }?;
        Some(Matcher { automaton, starts })
    }

    /// Whether this is the automaton for a large check.
    #[cfg(test)]
    pub fn is_large(&self) -> bool {
        matches!(self.automaton, Automaton::DoubleArray(_))
    }

    /// Every occurrence in `text` of every pattern: (start, end, pattern), by where they end.
    pub fn find(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let mut add = |start: usize, end: usize, t: usize| {
            found.extend((self.starts[t]..self.starts[t + 1]).map(|p| (start, end, p)));
        };
        match &self.automaton {
            Automaton::DoubleArray(d) => {
                for m in d.find_overlapping_iter(text) {
                    add(m.start(), m.end(), m.value() as usize);
                }
            }
            Automaton::AhoCorasick(a) => {
                for m in a.find_overlapping_iter(text) {
                    add(m.start(), m.end(), m.pattern().as_usize());
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(texts: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = texts.iter().map(|t| (*t).to_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn overlapping_and_shared_patterns_are_all_found() {
        // "张三" twice: two patterns (two kinds or rules) share one text.
        let texts = sorted(&["张三", "张三", "张三丰", "三丰", "13800138000", "0013"]);
        for large in [true, false] {
            let m = Matcher::new(&texts, large).expect("matcher");
            let mut found = m.find("住户张三丰电话13800138000");
            found.sort();
            let named: Vec<(usize, usize, &str)> = found
                .iter()
                .map(|&(s, e, p)| (s, e, texts[p].as_str()))
                .collect();
            assert_eq!(
                named,
                vec![
                    (6, 12, "张三"),
                    (6, 12, "张三"),
                    (6, 15, "张三丰"),
                    (9, 15, "三丰"),
                    (21, 32, "13800138000"),
                    (24, 28, "0013"),
                ]
            );
            // Every pattern index is listed, the shared text's two as well.
            let mut patterns: Vec<usize> = found.iter().map(|f| f.2).collect();
            patterns.sort();
            assert_eq!(patterns, (0..texts.len()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn nothing_to_look_for_is_no_matcher() {
        assert!(Matcher::new(&[], true).is_none());
        assert!(Matcher::new(&[], false).is_none());
    }

    #[test]
    fn both_automata_find_the_same() {
        let texts = sorted(&["欧阳斌", "欧阳", "阳斌", "1号楼101室", "101", "10072495549"]);
        let m = Matcher::new(&texts, true).expect("matcher");
        let ac = Matcher::new(&texts, false).expect("matcher");
        assert!(matches!(m.automaton, Automaton::DoubleArray(_)));
        assert!(matches!(ac.automaton, Automaton::AhoCorasick(_)));
        let text = "欧阳斌住1号楼101室，电话10072495549，欧阳欧阳斌斌";
        let mut a = m.find(text);
        let mut b = ac.find(text);
        a.sort();
        b.sort();
        assert!(a.len() >= 8, "{a:?}");
        assert_eq!(a, b);
    }
}

//! RON encoding of each collection inside an envelope that carries its name and generation,
//! with the decode-and-compare check the save protocol asks for.

use crate::model::{
    Building, Collection, CommitteeBook, Compound, DeskBook, FundYear, Household, Ledger,
    PointBook, ProblemBook, ProjectBook, Visit,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// What every ledger file's plaintext says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Header {
    /// Collection stem.
    pub collection: String,
    /// Generation: 1 for the first save, +1 for each.
    pub generation: u64,
    /// The vault-wide save counter when it was written.
    pub save_seq: u64,
    /// Member who saved.
    pub saved_by: String,
    /// When (local time, RFC 3339).
    pub saved_at: String,
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    header: &'a Header,
    data: &'a T,
}

#[derive(Deserialize)]
struct EnvelopeIn<T> {
    header: Header,
    data: T,
}

/// The vault's list of live files (encrypted like the ledger). Each file is named after its
/// collection and generation, so a save writes new files beside the old ones and then replaces
/// this list: replacing it is the one step that commits a save, whatever files it touched.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Incremented by every save.
    pub save_seq: u64,
    /// The live generation of each collection stem.
    pub generations: BTreeMap<String, u64>,
}

/// Compounds and buildings, as stored.
#[derive(Serialize)]
struct PlacesOut<'a> {
    compounds: &'a Vec<Compound>,
    buildings: &'a Vec<Building>,
}

/// Compounds and buildings, as read.
#[derive(Deserialize, PartialEq)]
struct PlacesIn {
    compounds: Vec<Compound>,
    buildings: Vec<Building>,
}

/// A decoded collection.
pub(crate) enum Part {
    Committee(CommitteeBook),
    Buildings(Vec<Compound>, Vec<Building>),
    Households(u32, Vec<Household>),
    Visits(i32, Vec<Visit>),
    Desk(DeskBook),
    Problems(ProblemBook),
    Projects(ProjectBook),
    Funds(i32, FundYear),
    Points(PointBook),
}

fn ron_options() -> ron::Options {
    ron::Options::default()
}

fn encode<T: Serialize>(header: &Header, data: &T) -> Result<Zeroizing<String>, String> {
    ron_options()
        .to_string(&EnvelopeOut { header, data })
        .map(Zeroizing::new)
        .map_err(|e| e.to_string())
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<(Header, T), String> {
    let env: EnvelopeIn<T> = ron_options().from_str(text).map_err(|e| e.to_string())?;
    Ok((env.header, env.data))
}

/// Encodes a value, then decodes it back and checks it is equal: the save's first check.
fn encode_checked<T: Serialize + DeserializeOwned + PartialEq>(
    header: &Header,
    data: &T,
) -> Result<Zeroizing<String>, String> {
    let text = encode(header, data)?;
    let (back_header, back): (Header, T) = decode(&text)?;
    if &back_header != header || &back != data {
        return Err(MISMATCH.to_owned());
    }
    Ok(text)
}

const MISMATCH: &str = "编码后再解码与原数据不一致";

static EMPTY_VISITS: Vec<Visit> = Vec::new();

/// Encodes one collection of the ledger.
pub(crate) fn encode_collection(
    ledger: &Ledger,
    collection: Collection,
    header: &Header,
) -> Result<Zeroizing<String>, String> {
    match collection {
        Collection::Committee => encode_checked(header, &ledger.committee),
        Collection::Buildings => {
            let book = &ledger.households;
            let text = encode(
                header,
                &PlacesOut {
                    compounds: &book.compounds,
                    buildings: &book.buildings,
                },
            )?;
            let (back_header, back): (Header, PlacesIn) = decode(&text)?;
            if &back_header != header
                || back.compounds != book.compounds
                || back.buildings != book.buildings
            {
                return Err(MISMATCH.to_owned());
            }
            Ok(text)
        }
        Collection::Households(_) => {
            let shard: Vec<&Household> = ledger
                .households
                .households
                .iter()
                .filter(|h| Collection::of_household(h.id) == collection)
                .collect();
            let text = encode(header, &shard)?;
            let (back_header, back): (Header, Vec<Household>) = decode(&text)?;
            if &back_header != header
                || back.len() != shard.len()
                || back.iter().zip(&shard).any(|(a, b)| a != *b)
            {
                return Err(MISMATCH.to_owned());
            }
            Ok(text)
        }
        Collection::Visits(y) => {
            encode_checked(header, ledger.visits.get(&y).unwrap_or(&EMPTY_VISITS))
        }
        Collection::Desk => encode_checked(header, &ledger.desk),
        Collection::Problems => encode_checked(header, &ledger.problems),
        Collection::Projects => encode_checked(header, &ledger.projects),
        Collection::Funds(y) => match ledger.funds.get(&y) {
            Some(funds) => encode_checked(header, funds),
            None => encode_checked(header, &FundYear::default()),
        },
        Collection::Points => encode_checked(header, &ledger.points),
    }
}

/// Decodes one collection, checking the header names it.
pub(crate) fn decode_collection(
    collection: Collection,
    text: &str,
) -> Result<(Header, Part), String> {
    let (header, part) = match collection {
        Collection::Committee => decode(text).map(|(h, d)| (h, Part::Committee(d)))?,
        Collection::Buildings => decode(text)
            .map(|(h, d): (Header, PlacesIn)| (h, Part::Buildings(d.compounds, d.buildings)))?,
        Collection::Households(n) => {
            let (h, d): (Header, Vec<Household>) = decode(text)?;
            if let Some(stray) = d
                .iter()
                .find(|x| Collection::of_household(x.id) != collection)
            {
                return Err(format!("第 {} 号户不属于这个文件", stray.id.0));
            }
            (h, Part::Households(n, d))
        }
        Collection::Visits(y) => decode(text).map(|(h, d)| (h, Part::Visits(y, d)))?,
        Collection::Desk => decode(text).map(|(h, d)| (h, Part::Desk(d)))?,
        Collection::Problems => decode(text).map(|(h, d)| (h, Part::Problems(d)))?,
        Collection::Projects => decode(text).map(|(h, d)| (h, Part::Projects(d)))?,
        Collection::Funds(y) => decode(text).map(|(h, d)| (h, Part::Funds(y, d)))?,
        Collection::Points => decode(text).map(|(h, d)| (h, Part::Points(d)))?,
    };
    if header.collection != collection.stem() {
        return Err(format!(
            "文件内容属于“{}”，不是“{}”",
            header.collection,
            collection.stem()
        ));
    }
    Ok((header, part))
}

/// A copy of one collection of the ledger, for a save that runs on another thread.
pub(crate) fn snapshot(ledger: &Ledger, collection: Collection) -> Part {
    match collection {
        Collection::Committee => Part::Committee(ledger.committee.clone()),
        Collection::Buildings => Part::Buildings(
            ledger.households.compounds.clone(),
            ledger.households.buildings.clone(),
        ),
        Collection::Households(n) => Part::Households(
            n,
            ledger
                .households
                .households
                .iter()
                .filter(|h| Collection::of_household(h.id) == collection)
                .cloned()
                .collect(),
        ),
        Collection::Visits(y) => {
            Part::Visits(y, ledger.visits.get(&y).cloned().unwrap_or_default())
        }
        Collection::Desk => Part::Desk(ledger.desk.clone()),
        Collection::Problems => Part::Problems(ledger.problems.clone()),
        Collection::Projects => Part::Projects(ledger.projects.clone()),
        Collection::Funds(y) => Part::Funds(y, ledger.funds.get(&y).cloned().unwrap_or_default()),
        Collection::Points => Part::Points(ledger.points.clone()),
    }
}

/// Puts a decoded collection into the ledger.
pub(crate) fn install(ledger: &mut Ledger, part: Part) {
    match part {
        Part::Committee(d) => ledger.committee = d,
        Part::Buildings(compounds, buildings) => {
            ledger.households.compounds = compounds;
            ledger.households.buildings = buildings;
        }
        Part::Households(n, d) => {
            let all = &mut ledger.households.households;
            all.retain(|h| Collection::of_household(h.id) != Collection::Households(n));
            all.extend(d);
            all.sort_by_key(|h| h.id);
        }
        Part::Visits(y, d) => {
            ledger.visits.insert(y, d);
        }
        Part::Desk(d) => ledger.desk = d,
        Part::Problems(d) => ledger.problems = d,
        Part::Projects(d) => ledger.projects = d,
        Part::Funds(y, d) => {
            ledger.funds.insert(y, d);
        }
        Part::Points(d) => ledger.points = d,
    }
}

/// Encodes any serde value in the vault's RON (keys, grants, manifest).
pub(crate) fn to_ron<T: Serialize>(value: &T) -> Result<Zeroizing<String>, String> {
    ron_options()
        .to_string(value)
        .map(Zeroizing::new)
        .map_err(|e| e.to_string())
}

/// Decodes any serde value from the vault's RON.
pub(crate) fn from_ron<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    ron_options().from_str(text).map_err(|e| e.to_string())
}

/// Pretty RON for the plaintext `vault.ron` a person may read.
pub(crate) fn to_pretty_ron<T: Serialize>(value: &T) -> Result<String, String> {
    ron_options()
        .to_string_pretty(value, ron::ser::PrettyConfig::default())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProblemStep, StepKind, WorkerId};

    #[test]
    fn problem_notes_written_before_steps_had_kinds_still_read() {
        // A problem as the first format wrote it: its progress notes as (date, text), no 回访.
        let old = r#"(problems:[((1),"2026-03-01",Patrol,"其他","楼道灯坏","",None,"",false,OnTheSpot,InProgress,Some((2)),[("2026-03-02","已报修")],"",None,None)])"#;
        let book: ProblemBook = from_ron(old).unwrap();
        let p = &book.problems[0];
        assert_eq!(
            p.steps,
            [ProblemStep {
                on: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                note: "已报修".into(),
                by: None,
                kind: StepKind::Note,
            }]
        );
        assert_eq!((p.assigned_to, &p.follow_up), (Some(WorkerId(2)), &None));
        // Written again, it reads back whole, steps signed and kinds kept.
        let mut book = book;
        book.problems[0].steps[0].by = Some(WorkerId(2));
        book.problems[0].steps[0].kind = StepKind::Referred("房管办".into());
        let text = to_ron(&book).unwrap();
        assert_eq!(from_ron::<ProblemBook>(&text).unwrap(), book);
    }
}

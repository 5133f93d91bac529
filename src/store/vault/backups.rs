//! The backups: every file a save replaces is hard-linked into `backups/`, thinned as time
//! passes (every save of the last day, one a day for a month, one a month for a year), listed,
//! and restored as a new save.

use super::*;

/// How many backups of one file the last day keeps at most (an import or a busy morning can
/// save hundreds of times).
pub(super) const RECENT_MAX: usize = 50;

/// Which generations of one file to keep, given each one's time: every save of the last 24 hours
/// (the newest [`RECENT_MAX`] of them), then the newest of each day for a month, then the newest
/// of each month for a year; never the newest of all. Older ones go. `keep_at_least` newest are
/// always kept whatever their age (a committee that seldom saves keeps its last few).
pub(super) fn generations_to_keep(
    generations: &[(u64, std::time::SystemTime)],
    now: std::time::SystemTime,
    keep_at_least: usize,
) -> BTreeSet<u64> {
    use chrono::{DateTime, Datelike, Local};
    let mut newest_first: Vec<(u64, std::time::SystemTime)> = generations.to_vec();
    newest_first.sort_by_key(|g| std::cmp::Reverse(g.0));
    let day = std::time::Duration::from_secs(24 * 3600);
    let mut keep = BTreeSet::new();
    let mut recent = 0usize;
    let mut days = BTreeSet::new();
    let mut months = BTreeSet::new();
    for (i, &(generation, at)) in newest_first.iter().enumerate() {
        let age = now.duration_since(at).unwrap_or_default();
        let local: DateTime<Local> = at.into();
        let kept = if i < keep_at_least.max(1) {
            true
        } else if age < day {
            recent += 1;
            recent <= RECENT_MAX
        } else if age < day * 31 {
            days.insert(local.date_naive())
        } else if age < day * 366 {
            months.insert((local.year(), local.month()))
        } else {
            false
        };
        if kept {
            keep.insert(generation);
            // A day or month whose newest is kept by another rule is covered.
            days.insert(local.date_naive());
            months.insert((local.year(), local.month()));
        }
    }
    keep
}

/// How a save thins the backups: the newest it keeps whatever their age, and the time now (the
/// clock of [`VaultOptions`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Thinning {
    pub keep_at_least: usize,
    pub now: std::time::SystemTime,
}

impl Thinning {
    /// For writes that make no backup.
    pub const NONE: Thinning = Thinning {
        keep_at_least: usize::MAX,
        now: std::time::SystemTime::UNIX_EPOCH,
    };
}

/// Thins the backups of the collection `newest` belongs to (see [`generations_to_keep`]), by
/// each file's time.
pub(super) fn prune_backups(fs: &dyn FileSystem, newest: &Path, thin: Thinning) {
    let Thinning { keep_at_least, now } = thin;
    let Some(name) = newest.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Some(stem) = name.split('.').next().map(str::to_owned) else {
        return;
    };
    let dir = newest.parent().unwrap_or(Path::new("."));
    let Ok(files) = fs.list(dir) else { return };
    let mine: Vec<(u64, PathBuf, std::time::SystemTime)> = files
        .into_iter()
        .filter_map(|p| {
            let (_, g) = parse_generation_name(&p).filter(|(s, _)| *s == stem)?;
            let at = std::fs::metadata(&p).and_then(|m| m.modified()).ok()?;
            Some((g, p, at))
        })
        .collect();
    let times: Vec<(u64, std::time::SystemTime)> = mine.iter().map(|(g, _, t)| (*g, *t)).collect();
    let keep = generations_to_keep(&times, now, keep_at_least);
    for (generation, path, _) in mine {
        if !keep.contains(&generation) {
            let _ = fs.remove(&path);
        }
    }
}

/// The size of the backups folder, in bytes, and how many files it holds.
pub(super) fn backups_size(dir: &Path) -> (u64, usize) {
    let Ok(entries) = std::fs::read_dir(backups_dir(dir)) else {
        return (0, 0);
    };
    entries
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .fold((0, 0), |(bytes, n), m| (bytes + m.len(), n + 1))
}

pub(super) fn parse_generation_name(path: &Path) -> Option<(String, u64)> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_suffix(".ron.age")?;
    let (stem, generation) = rest.rsplit_once('.')?;
    Some((stem.to_owned(), generation.parse().ok()?))
}

/// Links `live` into the backups as `backup` (replacing a stale one), and checks the backup reads
/// back with the same bytes.
pub(super) fn link_backup(
    fs: &dyn FileSystem,
    live: &Path,
    backup: &Path,
) -> Result<(), StoreError> {
    let current = fs.read(live).map_err(|e| StoreError::io("读取", live, e))?;
    if backup.exists() {
        fs.remove(backup)
            .map_err(|e| StoreError::io("替换备份", backup, e))?;
    }
    fs.link_or_copy(live, backup)
        .map_err(|e| StoreError::io("备份", backup, e))?;
    let made = fs
        .read(backup)
        .map_err(|e| StoreError::io("校验备份", backup, e))?;
    if sha256(&made) != sha256(&current) {
        return Err(StoreError::VerifyFailed(backup.to_path_buf()));
    }
    Ok(())
}

impl Vault {
    /// The size of the backups, in bytes, and how many files they are.
    pub fn backups_size(&self) -> (u64, usize) {
        backups_size(&self.dir)
    }

    /// The backups kept of a collection, newest first.
    pub fn backups(&self, c: Collection) -> Vec<BackupInfo> {
        let files = self.fs().list(&backups_dir(&self.dir)).unwrap_or_default();
        let mut out: Vec<BackupInfo> = files
            .into_iter()
            .filter_map(|p| {
                let (stem, generation) = parse_generation_name(&p)?;
                (stem == c.stem()).then_some(BackupInfo {
                    collection: c,
                    generation,
                    path: p,
                })
            })
            .collect();
        out.sort_by_key(|b| std::cmp::Reverse(b.generation));
        out
    }

    /// Every collection that has backups.
    pub fn backed_up_collections(&self) -> Vec<Collection> {
        let files = self.fs().list(&backups_dir(&self.dir)).unwrap_or_default();
        let set: BTreeSet<Collection> = files
            .iter()
            .filter_map(|p| parse_generation_name(p).and_then(|(s, _)| Collection::from_stem(&s)))
            .collect();
        set.into_iter().collect()
    }

    /// Puts a backup generation back in memory as an unsaved edit; [`Vault::save`] then writes
    /// it as a new generation, and the version it replaces becomes a backup in turn.
    pub fn restore(&mut self, c: Collection, generation: u64) -> Result<(), StoreError> {
        self.require_writable()?;
        let path = backup_path(&self.dir, &c.stem(), generation);
        let ct = match self.fs().read(&path) {
            Ok(ct) => ct,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NoSuchBackup {
                    file: c.stem(),
                    generation,
                });
            }
            Err(e) => return Err(StoreError::io("读取", &path, e)),
        };
        let pt = crypto::decrypt_with(&ct, &self.ids).map_err(|f| damaged(&path, f))?;
        let text = std::str::from_utf8(&pt).map_err(|_| StoreError::Damaged {
            file: path.clone(),
            detail: "不是 UTF-8 文本".into(),
        })?;
        let (_, part) = codec::decode_collection(c, text)
            .map_err(|detail| StoreError::Damaged { file: path, detail })?;
        codec::install(&mut self.ledger, part);
        self.unloaded.remove(&c);
        self.dirty.insert(c);
        Ok(())
    }

    /// Accepts the files as they are now on disk (after a reported roll-back the user chose to
    /// keep), by saving each again as a new generation.
    pub fn accept_current_files(&mut self) -> Result<SaveReport, StoreError> {
        self.require_writable()?;
        self.load_pending()?;
        let all: Vec<Collection> = self
            .manifest
            .generations
            .keys()
            .filter_map(|s| Collection::from_stem(s))
            .collect();
        self.dirty.extend(all);
        self.save()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Local, TimeZone};
    use std::time::{Duration, SystemTime};

    fn at(y: i32, m: u32, d: u32, h: u32) -> SystemTime {
        Local
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .map(SystemTime::from)
            .unwrap_or(SystemTime::UNIX_EPOCH)
    }

    /// A simulated year of saves, four a working day (9, 11, 14, 16 o'clock), twenty on the
    /// last day: thinning after each one, as saving does.
    #[test]
    fn a_year_of_saves_keeps_every_save_of_the_day_one_a_day_and_one_a_month() {
        let start = at(2025, 11, 1, 0);
        let mut kept: Vec<(u64, SystemTime)> = Vec::new();
        let mut generation = 0;
        let mut now = start;
        for day in 0..395u64 {
            let date = start + Duration::from_secs(day * 24 * 3600);
            let local: chrono::DateTime<Local> = date.into();
            if local.weekday().number_from_monday() > 5 {
                continue;
            }
            let hours: Vec<u64> = if day == 394 {
                (0..20).map(|i| 8 + i / 3).collect()
            } else {
                vec![9, 11, 14, 16]
            };
            for (i, h) in hours.into_iter().enumerate() {
                generation += 1;
                now = date + Duration::from_secs(h * 3600 + i as u64 * 60);
                kept.push((generation, now));
                let keep = generations_to_keep(&kept, now, 3);
                kept.retain(|(g, _)| keep.contains(g));
            }
        }
        let day = Duration::from_secs(24 * 3600);
        let age = |t: SystemTime| now.duration_since(t).unwrap_or_default();
        // Every save of the last day.
        assert_eq!(kept.iter().filter(|(_, t)| age(*t) < day).count(), 20);
        // One for each working day of the last month (days with saves).
        let days: BTreeSet<_> = kept
            .iter()
            .filter(|(_, t)| age(*t) >= day && age(*t) < day * 31)
            .map(|(_, t)| chrono::DateTime::<Local>::from(*t).date_naive())
            .collect();
        let expected_days = (1..31)
            .map(|d| now - day * d)
            .map(|t| chrono::DateTime::<Local>::from(t).date_naive())
            .filter(|d| d.weekday().number_from_monday() <= 5)
            .filter(|d| {
                // Whole days only: the last day's own saves are counted above.
                let noon = Local
                    .with_ymd_and_hms(d.year(), d.month(), d.day(), 16, 0, 0)
                    .single()
                    .map(SystemTime::from)
                    .unwrap_or(now);
                age(noon) >= day && age(noon) < day * 31
            })
            .count();
        assert!(
            days.len() >= expected_days,
            "{} days of {expected_days}",
            days.len()
        );
        // One a month for the year before (a month's newest may be one of the daily ones).
        let months: BTreeSet<_> = kept
            .iter()
            .map(|(_, t)| {
                let l = chrono::DateTime::<Local>::from(*t);
                (l.year(), l.month())
            })
            .collect();
        assert!(months.len() >= 12, "{months:?}");
        // Nothing older than a year, and far fewer than the ~1,100 saves made.
        assert!(kept.iter().all(|(_, t)| age(*t) < day * 366));
        assert!(kept.len() < 20 + 31 + 13, "{} kept", kept.len());
        // The newest is always kept.
        assert_eq!(kept.iter().map(|(g, _)| *g).max(), Some(generation));
    }

    #[test]
    fn the_newest_few_stay_whatever_their_age_and_a_busy_day_is_capped() {
        let now = at(2026, 11, 30, 12);
        let old: Vec<(u64, SystemTime)> = (1..=5)
            .map(|g| (g, now - Duration::from_secs((800 + g) * 24 * 3600)))
            .collect();
        assert_eq!(generations_to_keep(&old, now, 3).len(), 3);
        let busy: Vec<(u64, SystemTime)> = (1..=200)
            .map(|g| (g, now - Duration::from_secs(200 - g)))
            .collect();
        let keep = generations_to_keep(&busy, now, 3);
        assert_eq!(keep.len(), RECENT_MAX + 3);
        assert!(keep.contains(&200));
    }
}

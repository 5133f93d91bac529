//! Recovery without opening: when a file read at open is damaged, the vault cannot be opened,
//! so restoring must not need it to be. With only the key unlocked, [`Unlocked::survey`] lists
//! every saved state (the live manifest and each earlier one kept in `backups/`) and every
//! generation of every file (live and backed up), verifies each one (it decrypts with this
//! vault's key, parses, and holds the collection and generation its name says), and proposes
//! the newest consistent state: a manifest whose every named generation is present and
//! verifies. [`Unlocked::restore_state`] puts that state back as the live one, keeping what it
//! replaces aside in `replaced/<time>/`, never deleting anything.
//!
//! The switch is crash-safe: the new `ledger/` is built whole as `ledger.restoring/`, then the
//! old one is moved aside and the new one renamed into place. A restore killed between those two
//! renames is finished the next time the vault is opened or surveyed.

use super::*;

/// Where a copy of a file was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In `ledger/`: the live file (or a leftover beside it).
    Live,
    /// In `backups/`.
    Backup,
}

impl Place {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Place::Live => "当前",
            Place::Backup => "备份",
        }
    }
}

/// One generation of one file, as found and verified.
#[derive(Debug, Clone)]
pub struct FileCopy {
    /// The collection's stem (`households-1`, `visits-2026`…).
    pub stem: String,
    /// Its generation.
    pub generation: u64,
    /// Where it is.
    pub place: Place,
    /// Its path.
    pub path: PathBuf,
    /// When and by whom it was saved (from inside the file), when it verifies.
    pub saved: Option<(String, String)>,
    /// Why it cannot be used, in Chinese; `None` when it verifies.
    pub problem: Option<String>,
}

/// One saved state: a manifest, live or kept in `backups/`.
#[derive(Debug, Clone)]
pub struct SavedState {
    /// The save counter (the n-th save of the vault); `None` when the manifest itself is damaged.
    pub save_seq: Option<u64>,
    /// Where the manifest is.
    pub place: Place,
    /// Its path.
    pub path: PathBuf,
    /// When the save was made: the newest time inside the files it names.
    pub saved_at: Option<String>,
    /// The generation of each file it names.
    pub generations: BTreeMap<String, u64>,
    /// What is wrong with it, in Chinese: the manifest itself, or each named file that is
    /// missing or does not verify. Empty: every file it names is present and verifies.
    pub problems: Vec<String>,
}

impl SavedState {
    /// Whether every file it names is present and verifies.
    pub fn is_consistent(&self) -> bool {
        self.save_seq.is_some() && self.problems.is_empty()
    }
}

/// Everything found in a vault folder, checked, and the state proposed to restore.
#[derive(Debug, Clone)]
pub struct Survey {
    /// Every saved state, newest first (the live one first when it reads).
    pub states: Vec<SavedState>,
    /// Every copy of every file, by stem, newest generation first.
    pub files: BTreeMap<String, Vec<FileCopy>>,
    /// The newest consistent state (an index into `states`), if any.
    pub proposal: Option<usize>,
}

impl Survey {
    /// The proposed state.
    pub fn proposed(&self) -> Option<&SavedState> {
        self.proposal.and_then(|i| self.states.get(i))
    }
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    /// The save counter of the state now live.
    pub save_seq: u64,
    /// When that state was saved.
    pub saved_at: Option<String>,
    /// Where what it replaced was kept.
    pub aside: PathBuf,
}

impl RestoreReport {
    /// What was done, in words, for the app and the command alike.
    pub fn message(&self) -> String {
        format!(
            "已恢复到第 {} 次保存（{}）。被替换的文件保存在 {}，没有删除任何文件。",
            self.save_seq,
            self.saved_at
                .as_deref()
                .map(saved_time_text)
                .unwrap_or_default(),
            self.aside.display()
        )
    }
}

impl FileCopy {
    /// The copy in words: `第 3 版（当前，2026-11-23 14:05 王慧敏）`, or why it cannot be used.
    pub fn describe(&self) -> String {
        let place = match self.place {
            Place::Live => "当前，",
            Place::Backup => "备份，",
        };
        match (&self.problem, &self.saved) {
            (None, Some((at, by))) => format!(
                "第 {} 版（{place}{} {by}）",
                self.generation,
                saved_time_text(at)
            ),
            (Some(why), _) => format!("第 {} 版（{place}损坏：{why}）", self.generation),
            (None, None) => format!("第 {} 版（{place}）", self.generation),
        }
    }
}

/// `ledger.restoring/`: the new `ledger/` being built.
fn restoring_dir(dir: &Path) -> PathBuf {
    dir.join("ledger.restoring")
}

/// `replaced/`: what restores replaced, each in a folder named after its time.
fn replaced_dir(dir: &Path) -> PathBuf {
    dir.join("replaced")
}

/// Finishes a restore that was killed after the old `ledger/` was moved aside and before the
/// new one was renamed into place.
pub(super) fn finish_interrupted_restore(
    fs: &dyn FileSystem,
    dir: &Path,
) -> Result<(), StoreError> {
    let (ledger, restoring) = (ledger_dir(dir), restoring_dir(dir));
    if !ledger.exists() && restoring.is_dir() {
        fs.rename(&restoring, &ledger)
            .map_err(|e| StoreError::io("完成上次的恢复", &ledger, e))?;
        fs.fsync_dir(dir)
            .map_err(|e| StoreError::io("写盘（文件夹）", dir, e))?;
    }
    Ok(())
}

/// A short time from inside a file (RFC 3339), as a person reads it: `2026-11-23 14:05`.
pub fn saved_time_text(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
}

impl Unlocked {
    /// Lists and verifies every saved state and every copy of every file, without opening
    /// the vault (nothing is written), and proposes the newest consistent state.
    pub fn survey(&self) -> Result<Survey, StoreError> {
        let fs = self.options.fs.as_ref();
        finish_interrupted_restore(fs, &self.dir)?;
        let mut found: Vec<(PathBuf, Place)> = Vec::new();
        for (folder, place) in [
            (ledger_dir(&self.dir), Place::Live),
            (backups_dir(&self.dir), Place::Backup),
        ] {
            match fs.list(&folder) {
                Ok(paths) => found.extend(paths.into_iter().map(|p| (p, place))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io("读取文件夹", &folder, e)),
            }
        }
        // Files, verified in parallel.
        let copies: Vec<FileCopy> = found
            .par_iter()
            .filter_map(|(path, place)| {
                let (stem, generation) = parse_generation_name(path)?;
                let c = Collection::from_stem(&stem)?;
                Some(self.verify_file(c, stem, generation, *place, path))
            })
            .collect();
        let mut files: BTreeMap<String, Vec<FileCopy>> = BTreeMap::new();
        for copy in copies {
            files.entry(copy.stem.clone()).or_default().push(copy);
        }
        for list in files.values_mut() {
            // Newest first; the live copy before a backup of the same generation.
            list.sort_by_key(|f| (std::cmp::Reverse(f.generation), f.place == Place::Backup));
        }
        // Saved states: the live manifest and each one kept.
        let mut states: Vec<SavedState> = found
            .iter()
            .filter_map(|(path, place)| {
                let name = path.file_name()?.to_str()?;
                let is_manifest = match place {
                    Place::Live => name == "manifest.ron.age",
                    Place::Backup => {
                        parse_generation_name(path).is_some_and(|(stem, _)| stem == MANIFEST_STEM)
                    }
                };
                is_manifest.then(|| self.read_state(path, *place, &files))
            })
            .collect();
        states.sort_by_key(|s| {
            (
                std::cmp::Reverse(s.save_seq.unwrap_or(0)),
                s.place == Place::Backup,
            )
        });
        let proposal = states.iter().position(SavedState::is_consistent);
        Ok(Survey {
            states,
            files,
            proposal,
        })
    }

    fn verify_file(
        &self,
        c: Collection,
        stem: String,
        generation: u64,
        place: Place,
        path: &Path,
    ) -> FileCopy {
        let checked = (|| -> Result<(String, String), String> {
            let ct = self
                .options
                .fs
                .read(path)
                .map_err(|e| format!("读不出：{}", crate::store::io_text(&e)))?;
            let pt = crypto::decrypt_with(&ct, &self.ids).map_err(|f| match f {
                Failure::NotForUs => "不是用本台账的密钥加密的".to_owned(),
                Failure::WrongPassphrase => "无法解密".to_owned(),
                Failure::Damaged(d) => format!("无法解密（{d}）"),
            })?;
            let text = std::str::from_utf8(&pt).map_err(|_| "不是 UTF-8 文本".to_owned())?;
            let (header, _) =
                codec::decode_collection(c, text).map_err(|d| format!("内容无法读取（{d}）"))?;
            if header.collection != stem || header.generation != generation {
                return Err(format!(
                    "文件内是“{}”第 {} 版，与文件名不符",
                    header.collection, header.generation
                ));
            }
            Ok((header.saved_at, header.saved_by))
        })();
        FileCopy {
            stem,
            generation,
            place,
            path: path.to_path_buf(),
            problem: checked.as_ref().err().cloned(),
            saved: checked.ok(),
        }
    }

    fn read_state(
        &self,
        path: &Path,
        place: Place,
        files: &BTreeMap<String, Vec<FileCopy>>,
    ) -> SavedState {
        let mut state = SavedState {
            save_seq: None,
            place,
            path: path.to_path_buf(),
            saved_at: None,
            generations: BTreeMap::new(),
            problems: Vec::new(),
        };
        let manifest = (|| -> Result<Manifest, String> {
            let ct = self
                .options
                .fs
                .read(path)
                .map_err(|e| format!("读不出：{}", crate::store::io_text(&e)))?;
            let pt = crypto::decrypt_with(&ct, &self.ids).map_err(|_| "无法解密".to_owned())?;
            std::str::from_utf8(&pt)
                .map_err(|e| e.to_string())
                .and_then(codec::from_ron)
                .map_err(|d| format!("内容无法读取（{d}）"))
        })();
        let manifest = match manifest {
            Ok(m) => m,
            Err(e) => {
                state.problems.push(format!("保存记录本身已损坏：{e}"));
                return state;
            }
        };
        state.save_seq = Some(manifest.save_seq);
        for (stem, &generation) in &manifest.generations {
            let label = Collection::from_stem(stem).map_or(stem.clone(), |c| c.label());
            let copy = files
                .get(stem)
                .into_iter()
                .flatten()
                .filter(|f| f.generation == generation)
                .find(|f| f.problem.is_none());
            match copy {
                Some(f) => {
                    let at = f.saved.as_ref().map(|(at, _)| at.clone());
                    if at > state.saved_at {
                        state.saved_at = at;
                    }
                }
                None => {
                    let damaged = files
                        .get(stem)
                        .into_iter()
                        .flatten()
                        .find(|f| f.generation == generation)
                        .and_then(|f| f.problem.clone());
                    state.problems.push(match damaged {
                        Some(why) => format!("“{label}”第 {generation} 版{why}"),
                        None => format!("“{label}”第 {generation} 版缺失"),
                    });
                }
            }
        }
        state.generations = manifest.generations;
        state
    }

    /// Makes `state` (one of `survey`'s, consistent) the live one. What it replaces is kept
    /// in `replaced/<time>/`: the whole `ledger/` folder as it was, and the backups newer than
    /// the state restored (so that the saves that follow never overwrite them).
    pub fn restore_state(
        &self,
        survey: &Survey,
        state: usize,
    ) -> Result<RestoreReport, StoreError> {
        let fs = self.options.fs.as_ref();
        let dir = &self.dir;
        let chosen = survey
            .states
            .get(state)
            .filter(|s| s.is_consistent())
            .ok_or(StoreError::NothingToRestore)?;
        let save_seq = chosen.save_seq.unwrap_or(0);
        let _lock = lock::acquire(dir)?.require_write()?;
        finish_interrupted_restore(fs, dir)?;
        // 1. The new ledger folder, whole: each named file copied and checked, then the manifest.
        let new = restoring_dir(dir);
        if new.exists() {
            std::fs::remove_dir_all(&new).map_err(|e| StoreError::io("清理", &new, e))?;
        }
        fs.create_dir_all(&new)
            .map_err(|e| StoreError::io("创建文件夹", &new, e))?;
        for (stem, &generation) in &chosen.generations {
            let copy = survey
                .files
                .get(stem)
                .into_iter()
                .flatten()
                .find(|f| f.generation == generation && f.problem.is_none())
                .ok_or(StoreError::NothingToRestore)?;
            let c = Collection::from_stem(stem).ok_or(StoreError::NothingToRestore)?;
            let bytes = fs
                .read(&copy.path)
                .map_err(|e| StoreError::io("读取", &copy.path, e))?;
            // Checked again as it is copied: the survey may be minutes old.
            let again = self.verify_file(c, stem.clone(), generation, copy.place, &copy.path);
            if let Some(why) = again.problem {
                return Err(StoreError::Damaged {
                    file: copy.path.clone(),
                    detail: why,
                });
            }
            let to = new.join(copy.path.file_name().unwrap_or_default());
            copy_checked(fs, &to, &bytes)?;
        }
        let manifest = fs
            .read(&chosen.path)
            .map_err(|e| StoreError::io("读取", &chosen.path, e))?;
        copy_checked(fs, &new.join("manifest.ron.age"), &manifest)?;
        fs.fsync_dir(&new)
            .map_err(|e| StoreError::io("写盘（文件夹）", &new, e))?;
        // 2. Aside: the backups newer than the state restored, then the ledger folder itself.
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
        let mut aside = replaced_dir(dir).join(&stamp);
        let mut n = 1;
        while aside.exists() {
            n += 1;
            aside = replaced_dir(dir).join(format!("{stamp}-{n}"));
        }
        let aside_backups = aside.join("backups");
        fs.create_dir_all(&aside_backups)
            .map_err(|e| StoreError::io("创建文件夹", &aside_backups, e))?;
        for (path, newer) in survey_backups_newer(survey, chosen) {
            if newer && path.exists() {
                let to = aside_backups.join(path.file_name().unwrap_or_default());
                fs.rename(&path, &to)
                    .map_err(|e| StoreError::io("移开", &path, e))?;
            }
        }
        let bdir = backups_dir(dir);
        if bdir.exists() {
            fs.fsync_dir(&bdir)
                .map_err(|e| StoreError::io("写盘（备份文件夹）", &bdir, e))?;
        }
        let ledger = ledger_dir(dir);
        if ledger.exists() {
            fs.rename(&ledger, &aside.join("ledger"))
                .map_err(|e| StoreError::io("移开", &ledger, e))?;
        }
        // 3. The new folder into place: from here the restored state is the live one.
        fs.rename(&new, &ledger)
            .map_err(|e| StoreError::io("恢复", &ledger, e))?;
        fs.fsync_dir(dir)
            .map_err(|e| StoreError::io("写盘（文件夹）", dir, e))?;
        // A deliberate step back: not a rollback to warn of at the next open.
        seen::record(
            self.options.state_dir.as_deref(),
            &self.meta.key(),
            save_seq,
        );
        self.cap_saves(save_seq);
        Ok(RestoreReport {
            save_seq,
            saved_at: chosen.saved_at.clone(),
            aside,
        })
    }
}

/// Every backup and whether it is newer than `chosen`: a file generation above the one the
/// state names, or a manifest of a later save. The saves that follow a restore reuse those
/// numbers, so they are moved aside rather than overwritten.
fn survey_backups_newer(survey: &Survey, chosen: &SavedState) -> Vec<(PathBuf, bool)> {
    let seq = chosen.save_seq.unwrap_or(0);
    let mut out: Vec<(PathBuf, bool)> = survey
        .files
        .iter()
        .flat_map(|(stem, copies)| {
            let named = chosen.generations.get(stem).copied().unwrap_or(0);
            copies
                .iter()
                .filter(|f| f.place == Place::Backup)
                .map(move |f| (f.path.clone(), f.generation > named))
        })
        .collect();
    out.extend(
        survey
            .states
            .iter()
            .filter(|s| s.place == Place::Backup)
            .map(|s| (s.path.clone(), s.save_seq.is_none_or(|q| q >= seq))),
    );
    out
}

/// Writes `bytes` to a new file `to`, flushed and read back.
fn copy_checked(fs: &dyn FileSystem, to: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    fs.write(to, bytes)
        .map_err(|e| StoreError::io("写入", to, e))?;
    fs.fsync(to)
        .map_err(|e| StoreError::io("写盘（fsync）", to, e))?;
    let back = fs.read(to).map_err(|e| StoreError::io("读回", to, e))?;
    if back != bytes {
        return Err(StoreError::VerifyFailed(to.to_path_buf()));
    }
    Ok(())
}

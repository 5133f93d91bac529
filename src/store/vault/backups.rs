//! The backups: every file a save replaces is hard-linked into `backups/` (the last 30
//! generations of each collection kept), listed, and restored as a new save.

use super::*;

/// Drops the oldest backups of the same collection beyond `keep` (never the newest).
pub(super) fn prune_backups(fs: &dyn FileSystem, newest: &Path, keep: usize) {
    let Some(name) = newest.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Some(stem) = name.split('.').next().map(str::to_owned) else {
        return;
    };
    let dir = newest.parent().unwrap_or(Path::new("."));
    let Ok(files) = fs.list(dir) else { return };
    let mut mine: Vec<(u64, PathBuf)> = files
        .into_iter()
        .filter_map(|p| {
            parse_generation_name(&p)
                .filter(|(s, _)| *s == stem)
                .map(|(_, g)| (g, p))
        })
        .collect();
    mine.sort();
    // The newest is never dropped, whatever `keep` says.
    let excess = mine.len().saturating_sub(keep.max(1));
    for (_, path) in mine.into_iter().take(excess) {
        let _ = fs.remove(&path);
    }
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

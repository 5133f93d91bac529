//! The save protocol: encode, decode and compare, encrypt, write beside the live file, fsync,
//! read back and decrypt, check the live manifest is the one loaded, link the old files into
//! the backups, replace the manifest (the one step that commits the save), fsync the folder. The
//! slow part runs as a [`SaveJob`] on any thread.

use super::*;

/// How a check of the live file is done before a rename.
#[derive(Clone, Copy)]
pub(super) enum LiveCheck {
    /// Overwrite whatever is there (key files, vault.ron).
    Skip,
    /// The live file must have this hash, or be absent when None.
    Expect(Option<[u8; 32]>),
}

/// Writes a file with the save protocol. `verify` checks the bytes read back.
pub(super) fn write_atomically(
    fs: &dyn FileSystem,
    path: &Path,
    bytes: &[u8],
    live: LiveCheck,
    backup: Option<&Path>,
    thin: Thinning,
    verify: &dyn Fn(&[u8]) -> bool,
) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        fs.write(&tmp, bytes)
            .map_err(|e| StoreError::io("写入临时文件", &tmp, e))?;
        // Never retry an fsync: after a failure the page cache may already be clean.
        fs.fsync(&tmp)
            .map_err(|e| StoreError::io("写盘（fsync）", &tmp, e))?;
        let back = fs.read(&tmp).map_err(|e| StoreError::io("读回", &tmp, e))?;
        if back != bytes || !verify(&back) {
            return Err(StoreError::VerifyFailed(path.to_path_buf()));
        }
        let current = match fs.read(path) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(StoreError::io("读取", path, e)),
        };
        if let LiveCheck::Expect(expected) = live
            && current.as_deref().map(sha256) != expected
        {
            return Err(StoreError::ChangedOnDisk(path.to_path_buf()));
        }
        if let (Some(backup), Some(_)) = (backup, &current) {
            let bdir = backup.parent().unwrap_or(Path::new("."));
            fs.create_dir_all(bdir)
                .map_err(|e| StoreError::io("创建备份文件夹", bdir, e))?;
            link_backup(fs, path, backup)?;
            fs.fsync_dir(bdir)
                .map_err(|e| StoreError::io("写盘（备份文件夹）", bdir, e))?;
            prune_backups(fs, backup, thin);
        }
        fs.rename(&tmp, path)
            .map_err(|e| StoreError::io("替换", path, e))?;
        fs.fsync_dir(dir)
            .map_err(|e| StoreError::io("写盘（文件夹）", dir, e))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs.remove(&tmp);
    }
    result
}

impl Vault {
    /// Saves every changed collection, all or nothing: new files beside the old, the old linked
    /// into the backups, then the manifest that names the new ones. On any error the files the
    /// manifest names are untouched (or, if the manifest did go through, all new), the edits stay
    /// in memory marked unsaved, and the error says why. The same as [`Vault::begin_save`],
    /// [`SaveJob::run`] and [`Vault::finish_save`] on this thread.
    pub fn save(&mut self) -> Result<SaveReport, StoreError> {
        match self.begin_save()? {
            Some(job) => {
                let outcome = job.run();
                self.finish_save(outcome)
            }
            None => Ok(SaveReport::default()),
        }
    }

    /// Starts a save that may run on another thread: copies the changed collections (cheap next
    /// to encoding and encrypting them) and hands them over with what is needed to write them.
    /// Edits made while the job runs are marked unsaved again and go into the next save. Until
    /// [`Vault::finish_save`] is given the outcome, no other save or member change can start.
    /// `None` when there is nothing to save.
    pub fn begin_save(&mut self) -> Result<Option<SaveJob>, StoreError> {
        self.require_writable()?;
        if !self.has_unsaved() {
            return Ok(None);
        }
        let taken = std::mem::take(&mut self.dirty);
        // Never write a collection that was not read: it would replace the file with nothing.
        let collections: Vec<(Collection, u64)> = taken
            .iter()
            .copied()
            .filter(|c| !self.unloaded.contains(c))
            .map(|c| (c, self.generation(c)))
            .collect();
        let mut snapshot = Ledger::default();
        for &(c, _) in &collections {
            codec::install(&mut snapshot, codec::snapshot(&self.ledger, c));
        }
        self.in_flight = Some(taken);
        Ok(Some(SaveJob {
            dir: self.dir.clone(),
            fs: self.fs(),
            thin: Thinning {
                keep_at_least: self.options.keep_backups,
                now: (self.options.clock)(),
            },
            ids: self.ids.clone(),
            member: self.member.clone(),
            snapshot,
            collections,
            manifest: self.manifest.clone(),
            manifest_hash: self.manifest_hash,
        }))
    }

    /// Takes back the outcome of a [`SaveJob`]: on success the saved collections are clean
    /// (unless edited meanwhile); on failure they are marked unsaved again.
    pub fn finish_save(&mut self, outcome: SaveOutcome) -> Result<SaveReport, StoreError> {
        let taken = self.in_flight.take().unwrap_or_default();
        if let Some((manifest, hash)) = outcome.committed {
            self.record_save(manifest.save_seq);
            seen::record(
                self.options.state_dir.as_deref(),
                &self.meta.key(),
                manifest.save_seq,
            );
            self.manifest = manifest;
            self.manifest_hash = Some(hash);
            self.unconfirmed = !outcome.confirmed;
        }
        match outcome.result {
            Ok(report) => Ok(report),
            Err(e) => {
                self.dirty.extend(taken);
                Err(e)
            }
        }
    }

    /// Gives up on a save whose outcome was lost (its thread died): what it took is marked
    /// unsaved again. Whatever it wrote is either committed (and read back as such by the next
    /// open) or a leftover the next save tidies.
    pub fn abandon_save(&mut self) {
        if let Some(taken) = self.in_flight.take() {
            self.dirty.extend(taken);
            self.unconfirmed = true;
        }
    }

    /// Whether a save started with [`Vault::begin_save`] has not been finished yet.
    pub fn is_saving(&self) -> bool {
        self.in_flight.is_some()
    }
}

/// A save in progress: a copy of the changed collections and what is needed to write them,
/// made by [`Vault::begin_save`]. [`SaveJob::run`] does the slow part (encode, decode and
/// compare, encrypt, write, read back, fsync, commit the manifest) on any thread.
pub struct SaveJob {
    dir: PathBuf,
    fs: Arc<dyn FileSystem>,
    thin: Thinning,
    ids: Vec<x25519::Identity>,
    member: String,
    snapshot: Ledger,
    /// Each collection to write with its live generation.
    collections: Vec<(Collection, u64)>,
    manifest: Manifest,
    manifest_hash: Option<[u8; 32]>,
}

/// What a [`SaveJob`] did, for [`Vault::finish_save`].
pub struct SaveOutcome {
    /// The manifest now live on disk, if this save replaced it.
    committed: Option<(Manifest, [u8; 32])>,
    /// Whether the commit was confirmed durable.
    confirmed: bool,
    result: Result<SaveReport, StoreError>,
}

impl SaveJob {
    /// Writes the save. Never panics on a disk error: the outcome says what happened.
    pub fn run(self) -> SaveOutcome {
        let mut outcome = SaveOutcome {
            committed: None,
            confirmed: false,
            result: Ok(SaveReport::default()),
        };
        outcome.result = self.write(&mut outcome);
        outcome
    }

    pub(super) fn write(&self, outcome: &mut SaveOutcome) -> Result<SaveReport, StoreError> {
        let seq = self.manifest.save_seq + 1;
        let fs = self.fs.as_ref();
        // 1. Encode, decode and compare, encrypt: in parallel, in memory.
        let recipient = self.ids[0].to_public();
        let saved_at = now_text();
        let prepared: Vec<Result<Prepared, StoreError>> = self
            .collections
            .par_iter()
            .map(|&(c, old)| {
                let generation = old + 1;
                let header = Header {
                    collection: c.stem(),
                    generation,
                    save_seq: seq,
                    saved_by: self.member.clone(),
                    saved_at: saved_at.clone(),
                };
                let text = codec::encode_collection(&self.snapshot, c, &header)
                    .map_err(|e| StoreError::Encode(format!("{}：{e}", c.label())))?;
                let ct =
                    crypto::encrypt_to(&recipient, text.as_bytes()).map_err(StoreError::Encode)?;
                Ok(Prepared {
                    collection: c,
                    generation,
                    ciphertext: ct,
                    plaintext_hash: sha256(text.as_bytes()),
                })
            })
            .collect();
        let prepared = prepared.into_iter().collect::<Result<Vec<_>, _>>()?;
        // 2. Each new file under its new name, verified; then the folder.
        let ids = &self.ids;
        for p in &prepared {
            let path = live_path(&self.dir, &p.collection.stem(), p.generation);
            let verify = |bytes: &[u8]| {
                crypto::decrypt_with(bytes, ids).is_ok_and(|pt| sha256(&pt) == p.plaintext_hash)
            };
            write_atomically(
                fs,
                &path,
                &p.ciphertext,
                LiveCheck::Skip,
                None,
                Thinning::NONE,
                &verify,
            )?;
        }
        let ldir = ledger_dir(&self.dir);
        fs.fsync_dir(&ldir)
            .map_err(|e| StoreError::io("写盘（文件夹）", &ldir, e))?;
        // 3. The generations being replaced become backups (hard links, verified).
        let bdir = backups_dir(&self.dir);
        fs.create_dir_all(&bdir)
            .map_err(|e| StoreError::io("创建备份文件夹", &bdir, e))?;
        let mut replaced = Vec::new();
        for &(c, old) in &self.collections {
            if old == 0 {
                continue;
            }
            let stem = c.stem();
            let live = live_path(&self.dir, &stem, old);
            let backup = backup_path(&self.dir, &stem, old);
            link_backup(fs, &live, &backup)?;
            replaced.push((stem, old));
        }
        if !replaced.is_empty() {
            fs.fsync_dir(&bdir)
                .map_err(|e| StoreError::io("写盘（备份文件夹）", &bdir, e))?;
        }
        // 4. Commit: the manifest naming the new files replaces the old one.
        let mut manifest = self.manifest.clone();
        manifest.save_seq = seq;
        for p in &prepared {
            manifest
                .generations
                .insert(p.collection.stem(), p.generation);
        }
        self.write_manifest(&manifest, outcome)?;
        // 5. Tidy: the replaced files now live on in the backups; drop leftovers of failed saves.
        tidy(fs, &self.dir, &manifest, self.thin, &replaced);
        Ok(SaveReport {
            written: prepared.into_iter().map(|p| p.collection).collect(),
        })
    }

    /// Writes `manifest` over the live one (checking the live one is still the one this save
    /// started from), keeping the old one as a backup. If the rename went through but a later
    /// step failed, the new manifest is live: the outcome says so, unconfirmed, so that the
    /// vault adopts it and the next save writes again.
    pub(super) fn write_manifest(
        &self,
        manifest: &Manifest,
        outcome: &mut SaveOutcome,
    ) -> Result<(), StoreError> {
        let text = codec::to_ron(manifest).map_err(StoreError::Encode)?;
        let ct = crypto::encrypt_to(&self.ids[0].to_public(), text.as_bytes())
            .map_err(StoreError::Encode)?;
        let path = manifest_path(&self.dir);
        let ids = &self.ids;
        let verify = |bytes: &[u8]| {
            crypto::decrypt_with(bytes, ids).is_ok_and(|pt| pt.as_slice() == text.as_bytes())
        };
        let backup = self
            .manifest_hash
            .map(|_| backup_path(&self.dir, MANIFEST_STEM, self.manifest.save_seq));
        let result = write_atomically(
            self.fs.as_ref(),
            &path,
            &ct,
            LiveCheck::Expect(self.manifest_hash),
            backup.as_deref(),
            self.thin,
            &verify,
        );
        let new_hash = sha256(&ct);
        match result {
            Ok(()) => {
                outcome.committed = Some((manifest.clone(), new_hash));
                outcome.confirmed = true;
                Ok(())
            }
            Err(e) => {
                if self.fs.read(&path).is_ok_and(|b| sha256(&b) == new_hash) {
                    outcome.committed = Some((manifest.clone(), new_hash));
                }
                Err(e)
            }
        }
    }
}

/// After a commit: removes the replaced generations from `ledger/` (their backups are verified
/// links), removes files of saves that never committed, prunes old backups. Nothing here can
/// lose data, so errors are ignored: the next save tries again.
pub(super) fn tidy(
    fs: &dyn FileSystem,
    dir: &Path,
    manifest: &Manifest,
    thin: Thinning,
    replaced: &[(String, u64)],
) {
    let ldir = ledger_dir(dir);
    let Ok(listed) = fs.list(&ldir) else { return };
    for path in listed {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| n.starts_with('.') && n.contains(".tmp-")) {
            // A temp file of a writer that died (only the lock holder writes here).
            let _ = fs.remove(&path);
            continue;
        }
        let Some((stem, generation)) = parse_generation_name(&path) else {
            continue;
        };
        let Some(&live) = manifest.generations.get(&stem) else {
            // A collection no manifest names: a save that never committed.
            let _ = fs.remove(&path);
            continue;
        };
        if generation > live {
            let _ = fs.remove(&path);
        } else if generation < live {
            let backup = backup_path(dir, &stem, generation);
            if backup.exists() || link_backup(fs, &path, &backup).is_ok() {
                let _ = fs.remove(&path);
            }
        }
    }
    for (stem, generation) in replaced {
        prune_backups(fs, &backup_path(dir, stem, *generation), thin);
    }
}

//! Opening a vault: a member's passphrase (or the recovery one) unwraps the vault identity with
//! one scrypt; then the manifest and the files the caller asks for first are read and decrypted,
//! the rest on demand. A file older than the manifest says is reported, never silently used.
//! Also `Vault::init`, which makes a new vault.

use super::*;

impl Unlocked {
    /// Unlocks with a member's passphrase: one scrypt (about a second), then the grant.
    pub fn with_passphrase(
        dir: &Path,
        member: &str,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Unlocked, StoreError> {
        let meta = read_meta(dir)?;
        let entry = meta
            .member(member)
            .ok_or_else(|| StoreError::UnknownMember {
                name: member.to_owned(),
                known: meta.member_names(),
            })?;
        let key_file = entry.key_file.clone();
        Self::unlock_key(dir, meta, member.to_owned(), &key_file, passphrase, options)
    }

    /// Unlocks with the recovery passphrase printed at init, as copied from paper: letter case,
    /// spaces and dashes do not matter (see `normalise_recovery`).
    pub fn with_recovery(
        dir: &Path,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Unlocked, StoreError> {
        let meta = read_meta(dir)?;
        let passphrase = normalise_recovery(passphrase);
        Self::unlock_key(
            dir,
            meta,
            RECOVERY_NAME.to_owned(),
            RECOVERY_KEY_FILE,
            &passphrase,
            options,
        )
    }

    pub(super) fn unlock_key(
        dir: &Path,
        meta: VaultMeta,
        member: String,
        key_file: &str,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Unlocked, StoreError> {
        let fs = options.fs.clone();
        let kpath = key_path(dir, key_file);
        let wrapped = fs
            .read(&kpath)
            .map_err(|e| StoreError::io("读取密钥文件", &kpath, e))?;
        // A damaged key or grant file is fixed by a new passphrase (new key files), not by a
        // restore.
        let key_damaged = |file: &Path| {
            if key_file == RECOVERY_KEY_FILE {
                StoreError::RecoveryKeyDamaged(file.to_path_buf())
            } else {
                StoreError::MemberKeyDamaged {
                    member: member.clone(),
                    file: file.to_path_buf(),
                }
            }
        };
        // The recorded digest tells damage from a wrong passphrase, which age cannot. It only
        // explains a failure: a key that unwraps is good even if its digest is stale (a member
        // change interrupted before vault.ron was rewritten).
        let digest_differs = |path: &Path, bytes: &[u8]| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            name.and_then(|n| meta.key_digests.get(&n))
                .is_some_and(|d| *d != hex(&sha256(bytes)))
        };
        let key_differs = digest_differs(&kpath, &wrapped);
        if let Err(e) = kdf_memory::check(&wrapped, options.max_scrypt_log_n) {
            return Err(if key_differs { key_damaged(&kpath) } else { e });
        }
        let personal =
            crypto::unwrap_with_passphrase(&wrapped, passphrase, options.max_scrypt_log_n)
                .map_err(|f| match f {
                    Failure::WrongPassphrase if !key_differs => StoreError::WrongPassphrase,
                    _ => key_damaged(&kpath),
                })?;
        let personal = std::str::from_utf8(&personal)
            .ok()
            .and_then(crypto::parse_identity)
            .ok_or_else(|| key_damaged(&kpath))?;
        let gpath = grant_path(dir, key_file);
        let grant_ct = fs
            .read(&gpath)
            .map_err(|e| StoreError::io("读取密钥文件", &gpath, e))?;
        let grant_pt = crypto::decrypt_with(&grant_ct, std::slice::from_ref(&personal))
            .map_err(|_| key_damaged(&gpath))?;
        let grant: Grant = std::str::from_utf8(&grant_pt)
            .map_err(|e| e.to_string())
            .and_then(codec::from_ron)
            .map_err(|_| key_damaged(&gpath))?;
        let ids: Vec<x25519::Identity> = grant
            .vault_identities
            .iter()
            .filter_map(|t| crypto::parse_identity(t))
            .collect();
        if ids.is_empty() || ids.len() != grant.vault_identities.len() {
            return Err(key_damaged(&gpath));
        }
        Ok(Unlocked {
            dir: dir.to_path_buf(),
            options,
            meta,
            member,
            ids,
        })
    }

    /// Takes the write lock (or opens read-only), then decrypts and parses every collection, in
    /// parallel.
    pub fn load_all(self) -> Result<Vault, StoreError> {
        self.load_scope(LoadScope::All)
    }

    /// Opens with the lock, reading the collections `scope` asks for.
    pub fn load_scope(self, scope: LoadScope) -> Result<Vault, StoreError> {
        let Unlocked {
            dir,
            options,
            meta,
            member,
            ids,
        } = self;
        let access = lock::acquire(&dir)?;
        let read_only = match &access {
            lock::Access::Write(_) => None,
            lock::Access::Busy => Some(ReadOnlyWhy::Busy),
            lock::Access::ReadOnly(_) => Some(ReadOnlyWhy::Media),
        };
        let lock = access.into_lock();
        let fs = options.fs.clone();
        if lock.is_some() {
            recover::finish_interrupted_restore(fs.as_ref(), &dir)?;
        }
        // A window opening read-only while the writer saves may read a manifest that is
        // replaced a moment later: then it reads again.
        let mut tries = 0;
        let (manifest, manifest_hash, mut warnings) = loop {
            tries += 1;
            match read_manifest(&dir, fs.as_ref(), &ids, options.tolerate_rollback) {
                Ok(found) => break found,
                Err((err, seen)) => {
                    let now = fs.read(&manifest_path(&dir)).ok().map(|b| sha256(&b));
                    if tries < 3 && now != seen {
                        continue;
                    }
                    return Err(err);
                }
            }
        };
        let known: Vec<FileRef> = manifest
            .generations
            .iter()
            .filter_map(|(stem, g)| Collection::from_stem(stem).map(|c| (c, *g)))
            .collect();
        let first: Option<BTreeSet<Collection>> = match scope {
            LoadScope::All => None,
            LoadScope::First(pick) => {
                let on_disk: Vec<Collection> = known.iter().map(|(c, _)| *c).collect();
                Some(pick(&on_disk).into_iter().collect())
            }
        };
        let now = |c: Collection| first.as_ref().is_none_or(|f| f.contains(&c));
        let (eager, later): (Vec<FileRef>, Vec<FileRef>) =
            known.into_iter().partition(|(c, _)| now(*c));
        let (parts, more) = load_files(&dir, fs.as_ref(), &ids, &eager, options.tolerate_rollback)?;
        warnings.extend(more);
        let mut ledger = Ledger::default();
        for (_, _, part) in parts {
            codec::install(&mut ledger, part);
        }
        warnings.extend(read_only.map(|why| match why {
            ReadOnlyWhy::Busy => StoreError::LockedByOther.to_string(),
            ReadOnlyWhy::Media => StoreError::ReadOnlyMedia(dir.clone()).to_string(),
        }));
        let older = older_than_seen(&dir, fs.as_ref(), &options, &meta, manifest.save_seq)
            .or_else(|| older_than_saved(&dir, fs.as_ref(), &ids, manifest.save_seq));
        let behind = matches!(
            older,
            Some(
                StoreError::OlderThanSeen {
                    newer_kept: true,
                    ..
                } | StoreError::OlderThanSaved {
                    newer_kept: true,
                    ..
                }
            )
        );
        warnings.extend(older.map(|e| e.to_string()));
        // Told once: from now on this is the newest this PC has seen.
        seen::record(options.state_dir.as_deref(), &meta.key(), manifest.save_seq);
        let meta_repair = lock.is_some() && !meta_file_reads(&dir);
        let mut vault = Vault {
            dir,
            options,
            meta,
            member,
            ids,
            ledger,
            manifest,
            manifest_hash,
            dirty: BTreeSet::new(),
            unloaded: later.into_iter().map(|(c, _)| c).collect(),
            unconfirmed: false,
            in_flight: None,
            lock,
            read_only,
            behind,
            warnings,
        };
        if meta_repair {
            vault.write_meta()?;
            vault.warnings.push(
                "台账的成员名单文件 vault.ron 已损坏或缺失，已用 backups 中的副本修复。".into(),
            );
        }
        Ok(vault)
    }
}

/// Whether the vault opened older than the newest save this PC has seen of it, with what to
/// do: restore the newer save when the backups hold it, else find a newer copy.
fn older_than_seen(
    dir: &Path,
    fs: &dyn FileSystem,
    options: &VaultOptions,
    meta: &VaultMeta,
    current: u64,
) -> Option<StoreError> {
    let seen = seen::get(options.state_dir.as_deref(), &meta.key())?;
    if current >= seen.save_seq {
        return None;
    }
    let newer_kept = newer_manifest_kept(dir, fs, current);
    Some(StoreError::OlderThanSeen {
        current,
        seen: seen.save_seq,
        seen_at: seen.seen_at,
        newer_kept,
    })
}

/// Whether the vault opened older than a member's own last save (`keys/saves.age`).
fn older_than_saved(
    dir: &Path,
    fs: &dyn FileSystem,
    ids: &[x25519::Identity],
    current: u64,
) -> Option<StoreError> {
    let record = saves::read(dir, fs, ids)?;
    let (member, seq, at) = saves::newer_than(&record, current)?;
    Some(StoreError::OlderThanSaved {
        current,
        member,
        seq,
        at: saved_time_text(&at),
        newer_kept: newer_manifest_kept(dir, fs, current),
    })
}

/// Whether `backups/` holds a manifest newer than save `current`.
fn newer_manifest_kept(dir: &Path, fs: &dyn FileSystem, current: u64) -> bool {
    fs.list(&backups_dir(dir))
        .unwrap_or_default()
        .iter()
        .filter_map(|p| parse_generation_name(p))
        .any(|(stem, n)| stem == MANIFEST_STEM && n > current)
}

/// A manifest as read: its content, the hash of its bytes (None when there is none yet), and
/// warnings about roll-backs tolerated.
type ManifestRead = (Manifest, Option<[u8; 32]>, Vec<String>);

/// Reads the manifest and checks that every file it names is there. On error, also returns the
/// hash of the manifest bytes it read, so the caller can tell whether a writer replaced it since.
pub(super) fn read_manifest(
    dir: &Path,
    fs: &dyn FileSystem,
    ids: &[x25519::Identity],
    tolerate_rollback: bool,
) -> Result<ManifestRead, (StoreError, Option<[u8; 32]>)> {
    let mpath = manifest_path(dir);
    let bytes = fs.read(&mpath);
    let seen = bytes.as_ref().ok().map(|b| sha256(b));
    let fail = |e: StoreError| (e, seen);
    let mut warnings = Vec::new();
    let ldir = ledger_dir(dir);
    let listed = fs
        .list(&ldir)
        .map_err(|e| fail(StoreError::io("读取文件夹", &ldir, e)))?;
    let on_disk: Vec<(String, u64)> = listed
        .iter()
        .filter_map(|p| parse_generation_name(p))
        .collect();
    let (mut manifest, manifest_hash) = match bytes {
        Ok(ct) => {
            let pt = crypto::decrypt_with(&ct, ids).map_err(|f| fail(damaged(&mpath, f)))?;
            let m: Manifest = std::str::from_utf8(&pt)
                .map_err(|e| e.to_string())
                .and_then(codec::from_ron)
                .map_err(|detail| {
                    fail(StoreError::Damaged {
                        file: mpath.clone(),
                        detail,
                    })
                })?;
            (m, Some(sha256(&ct)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !on_disk.is_empty() {
                return Err(fail(StoreError::Damaged {
                    file: mpath,
                    detail: "文件缺失".into(),
                }));
            }
            (Manifest::default(), None)
        }
        Err(e) => return Err(fail(StoreError::io("读取", &mpath, e))),
    };
    // Every file the manifest names must be there. If one is missing but a newer generation
    // of it is, the manifest itself was put back to an older copy.
    for (stem, generation) in manifest.generations.clone() {
        if on_disk.contains(&(stem.clone(), generation)) {
            continue;
        }
        let newest = on_disk
            .iter()
            .filter(|(s, g)| *s == stem && *g > generation)
            .map(|(_, g)| *g)
            .max();
        match newest {
            Some(newer) => {
                let err = StoreError::RolledBack {
                    file: mpath.clone(),
                    found: generation,
                    expected: newer,
                };
                if !tolerate_rollback {
                    return Err(fail(err));
                }
                warnings.push(err.to_string());
                manifest.generations.insert(stem, newer);
            }
            None => {
                return Err(fail(StoreError::Damaged {
                    file: live_path(dir, &stem, generation),
                    detail: "文件缺失".into(),
                }));
            }
        }
    }
    Ok((manifest, manifest_hash, warnings))
}

/// Decrypts and parses the files of `items` (collection, generation) in parallel, checking that
/// each holds the collection and generation its name says.
pub(super) fn load_files(
    dir: &Path,
    fs: &dyn FileSystem,
    ids: &[x25519::Identity],
    items: &[FileRef],
    tolerate_rollback: bool,
) -> Result<(Vec<LoadedPart>, Vec<String>), StoreError> {
    type Loaded = Result<(LoadedPart, Option<String>), StoreError>;
    let loaded: Vec<Loaded> = items
        .par_iter()
        .map(|&(c, generation)| {
            let path = live_path(dir, &c.stem(), generation);
            let ct = match fs.read(&path) {
                Ok(ct) => ct,
                // A read-only window reading later than the writer's next save: the generation
                // it was told about has just moved into the backups, whole and verified.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => fs
                    .read(&backup_path(dir, &c.stem(), generation))
                    .map_err(|_| StoreError::Damaged {
                        file: path.clone(),
                        detail: "文件缺失".into(),
                    })?,
                Err(e) => return Err(StoreError::io("读取", &path, e)),
            };
            let pt = crypto::decrypt_with(&ct, ids).map_err(|f| damaged(&path, f))?;
            // Checked by simdutf8: the standard library's check took ~6 instructions a byte
            // of the demo ledger's text (15 million, callgrind), on the way to every unlock.
            let text = simdutf8::basic::from_utf8(&pt).map_err(|_| StoreError::Damaged {
                file: path.clone(),
                detail: "不是 UTF-8 文本".into(),
            })?;
            let (header, part) =
                codec::decode_collection(c, text).map_err(|detail| StoreError::Damaged {
                    file: path.clone(),
                    detail,
                })?;
            let mut warning = None;
            if header.generation < generation {
                let err = StoreError::RolledBack {
                    file: path.clone(),
                    found: header.generation,
                    expected: generation,
                };
                if !tolerate_rollback {
                    return Err(err);
                }
                warning = Some(err.to_string());
            } else if header.generation > generation {
                return Err(StoreError::Damaged {
                    file: path,
                    detail: format!("文件内是第 {} 版，与文件名不符", header.generation),
                });
            }
            Ok(((c, generation, part), warning))
        })
        .collect();
    let mut parts = Vec::with_capacity(loaded.len());
    let mut warnings = Vec::new();
    for item in loaded {
        let (part, warning) = item?;
        warnings.extend(warning);
        parts.push(part);
    }
    Ok((parts, warnings))
}

impl Vault {
    /// Creates a new vault in `dir`: member key copies, a recovery copy, and an empty ledger
    /// named after the committee. Returns the open vault and the recovery passphrase to show once.
    pub fn init(
        dir: &Path,
        committee: &str,
        members: &[NewMember],
        options: VaultOptions,
    ) -> Result<(Vault, RecoveryPassphrase), StoreError> {
        if is_vault(dir) {
            return Err(StoreError::AlreadyAVault(dir.to_path_buf()));
        }
        if members.is_empty() {
            return Err(StoreError::BadMemberName);
        }
        let mut seen = BTreeSet::new();
        for m in members {
            if !valid_member_name(&m.name) {
                return Err(StoreError::BadMemberName);
            }
            if !seen.insert(m.name.trim()) {
                return Err(StoreError::MemberExists(m.name.clone()));
            }
            check_passphrase(&m.passphrase, options.min_passphrase_len)?;
        }
        let fs = options.fs.clone();
        for d in [keys_dir(dir), ledger_dir(dir), backups_dir(dir)] {
            fs.create_dir_all(&d)
                .map_err(|e| StoreError::io("创建文件夹", &d, e))?;
        }
        let lock = lock::acquire(dir)?.require_write()?;
        let vault_id = x25519::Identity::generate();
        let meta = VaultMeta {
            format: FORMAT,
            committee: committee.trim().to_owned(),
            created: now_text(),
            members: members
                .iter()
                .enumerate()
                .map(|(i, m)| MemberEntry {
                    name: m.name.trim().to_owned(),
                    role: m.role.trim().to_owned(),
                    key_file: format!("m{}", i + 1),
                })
                .collect(),
            key_digests: BTreeMap::new(),
            id: {
                let mut rng = rand::rng();
                (0..16)
                    .map(|_| format!("{:x}", rng.random_range(0..16u8)))
                    .collect()
            },
            last_archive: None,
        };
        let mut vault = Vault {
            dir: dir.to_path_buf(),
            options,
            meta: meta.clone(),
            member: meta.members[0].name.clone(),
            ids: vec![vault_id],
            ledger: Ledger::default(),
            manifest: Manifest::default(),
            manifest_hash: None,
            dirty: BTreeSet::new(),
            unloaded: BTreeSet::new(),
            unconfirmed: false,
            in_flight: None,
            lock: Some(lock),
            read_only: None,
            behind: false,
            warnings: Vec::new(),
        };
        let mut recipients = Recipients::default();
        for (entry, m) in meta.members.iter().zip(members) {
            let r = vault.write_member_key(&entry.key_file, &m.passphrase)?;
            recipients.members.insert(entry.key_file.clone(), r);
        }
        let recovery = random_passphrase();
        let r = vault.write_member_key(RECOVERY_KEY_FILE, &recovery)?;
        recipients.members.insert(RECOVERY_KEY_FILE.to_owned(), r);
        vault.write_recipients(&recipients)?;
        vault.ledger.committee = CommitteeBook {
            committee: Some(Committee {
                name: meta.committee,
                district: String::new(),
                street: String::new(),
                office_address: String::new(),
                office_hours: String::new(),
                office_phone: String::new(),
            }),
            ..CommitteeBook::default()
        };
        for c in vault.ledger.collections() {
            vault.dirty.insert(c);
        }
        vault.save()?;
        // vault.ron last: until it exists the folder is not a vault.
        vault.write_meta()?;
        Ok((vault, RecoveryPassphrase(recovery)))
    }

    /// Unlocks and reads every collection, in one step.
    pub fn open(
        dir: &Path,
        member: &str,
        passphrase: &SecretString,
        options: VaultOptions,
    ) -> Result<Vault, StoreError> {
        Unlocked::with_passphrase(dir, member, passphrase, options)?.load_all()
    }
}

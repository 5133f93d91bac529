//! Who may unlock: `vault.ron`, each member's passphrase-wrapped key and grant of the vault
//! identity, the recovery copy; adding a member, changing a passphrase, removing a member (which
//! rotates the vault identity and re-encrypts every file).

use super::*;

impl Vault {
    /// Every member's key and grant files, and the recovery ones.
    fn key_files(&self) -> Vec<PathBuf> {
        self.meta
            .members
            .iter()
            .map(|m| m.key_file.as_str())
            .chain([RECOVERY_KEY_FILE])
            .flat_map(|stem| [key_path(&self.dir, stem), grant_path(&self.dir, stem)])
            .collect()
    }

    /// Checks every key file without unlocking it: each member's key and grant file (and the
    /// recovery ones) are there and match the digests in `vault.ron`, and `keys/recipients.age`
    /// decrypts and names every key. Returns what is wrong, in Chinese, each with its fix.
    pub fn verify_keys(&self) -> Vec<String> {
        let fs = self.fs();
        let mut problems = Vec::new();
        for path in self.key_files() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match fs.read(&path) {
                Ok(bytes) => {
                    if self
                        .meta
                        .key_digests
                        .get(&name)
                        .is_some_and(|d| *d != hex(&sha256(&bytes)))
                    {
                        problems.push(format!(
                            "密钥文件 {} 与记录的校验值不符，已损坏：请为这位成员重设密码（sibai members passwd），会生成新的密钥文件。",
                            path.display()
                        ));
                    }
                }
                Err(e) => problems.push(format!(
                    "密钥文件 {} 读不出（{e}）：请为这位成员重设密码（sibai members passwd）。",
                    path.display()
                )),
            }
        }
        match self.read_recipients() {
            Ok(r) => {
                for m in &self.meta.members {
                    if !r.members.contains_key(&m.key_file) {
                        problems.push(format!(
                            "keys/recipients.age 中没有“{}”的公钥：请这位成员重设一次密码（sibai members passwd）。",
                            m.name
                        ));
                    }
                }
            }
            Err(e) => problems.push(format!(
                "keys/recipients.age 无法读取（{e}）。删除成员前，请每位成员重设一次密码以重建它。"
            )),
        }
        problems
    }

    /// Writes `vault.ron`, with the digest of every key and grant file as it is now on disk.
    pub(super) fn write_meta(&mut self) -> Result<(), StoreError> {
        let fs = self.fs();
        let mut digests = BTreeMap::new();
        for path in self.key_files() {
            let bytes = fs
                .read(&path)
                .map_err(|e| StoreError::io("读取密钥文件", &path, e))?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            digests.insert(name.unwrap_or_default(), hex(&sha256(&bytes)));
        }
        self.meta.key_digests = digests;
        let text = codec::to_pretty_ron(&self.meta).map_err(StoreError::Encode)?;
        // The copy first: while vault.ron is being replaced, the copy is whole.
        let bdir = backups_dir(&self.dir);
        self.fs()
            .create_dir_all(&bdir)
            .map_err(|e| StoreError::io("创建备份文件夹", &bdir, e))?;
        for path in [meta_copy_path(&self.dir), meta_path(&self.dir)] {
            write_atomically(
                self.fs().as_ref(),
                &path,
                text.as_bytes(),
                LiveCheck::Skip,
                None,
                Thinning::NONE,
                &|_| true,
            )?;
        }
        Ok(())
    }

    /// Writes a member's passphrase-wrapped personal key and the grant of the vault identities
    /// to it; returns the personal recipient.
    pub(super) fn write_member_key(
        &self,
        key_file: &str,
        passphrase: &SecretString,
    ) -> Result<String, StoreError> {
        let personal = x25519::Identity::generate();
        let text = crypto::identity_text(&personal);
        let wrapped =
            crypto::wrap_with_passphrase(text.as_bytes(), passphrase, self.options.scrypt_log_n)
                .map_err(StoreError::Encode)?;
        let kpath = key_path(&self.dir, key_file);
        self.write_grant(key_file, &personal.to_public(), &self.ids)?;
        write_atomically(
            self.fs().as_ref(),
            &kpath,
            &wrapped,
            LiveCheck::Skip,
            None,
            Thinning::NONE,
            &|_| true,
        )?;
        Ok(personal.to_public().to_string())
    }

    pub(super) fn write_grant(
        &self,
        key_file: &str,
        to: &x25519::Recipient,
        ids: &[x25519::Identity],
    ) -> Result<(), StoreError> {
        let grant = Grant {
            vault_identities: ids
                .iter()
                .map(|i| crypto::identity_text(i).to_string())
                .collect(),
        };
        let text = codec::to_ron(&grant).map_err(StoreError::Encode)?;
        let ct = crypto::encrypt_to(to, text.as_bytes()).map_err(StoreError::Encode)?;
        let gpath = grant_path(&self.dir, key_file);
        write_atomically(
            self.fs().as_ref(),
            &gpath,
            &ct,
            LiveCheck::Skip,
            None,
            Thinning::NONE,
            &|_| true,
        )
    }

    pub(super) fn read_recipients(&self) -> Result<Recipients, StoreError> {
        let path = recipients_path(&self.dir);
        let ct = self
            .fs()
            .read(&path)
            .map_err(|e| StoreError::io("读取", &path, e))?;
        let pt = crypto::decrypt_with(&ct, &self.ids).map_err(|f| damaged(&path, f))?;
        std::str::from_utf8(&pt)
            .map_err(|e| e.to_string())
            .and_then(codec::from_ron)
            .map_err(|detail| StoreError::Damaged { file: path, detail })
    }

    pub(super) fn write_recipients(&self, recipients: &Recipients) -> Result<(), StoreError> {
        let text = codec::to_ron(recipients).map_err(StoreError::Encode)?;
        let ct =
            crypto::encrypt_to(&self.recipient(), text.as_bytes()).map_err(StoreError::Encode)?;
        let path = recipients_path(&self.dir);
        write_atomically(
            self.fs().as_ref(),
            &path,
            &ct,
            LiveCheck::Skip,
            None,
            Thinning::NONE,
            &|_| true,
        )
    }

    pub(super) fn require_writable(&self) -> Result<(), StoreError> {
        if let Some(why) = self.read_only {
            Err(match why {
                ReadOnlyWhy::Busy => StoreError::ReadOnly,
                ReadOnlyWhy::Media => self.read_only_error(why),
            })
        } else if self.lock.is_none() {
            Err(StoreError::ReadOnly)
        } else if self.in_flight.is_some() {
            Err(StoreError::SaveInProgress)
        } else {
            Ok(())
        }
    }

    /// Adds a member who can unlock with their own passphrase.
    pub fn add_member(&mut self, member: &NewMember) -> Result<(), StoreError> {
        self.require_writable()?;
        let name = member.name.trim();
        if !valid_member_name(name) {
            return Err(StoreError::BadMemberName);
        }
        if self.meta.member(name).is_some() {
            return Err(StoreError::MemberExists(name.to_owned()));
        }
        check_passphrase(&member.passphrase, self.options.min_passphrase_len)?;
        let mut n = self.meta.members.len() + 1;
        while self
            .meta
            .members
            .iter()
            .any(|m| m.key_file == format!("m{n}"))
        {
            n += 1;
        }
        let key_file = format!("m{n}");
        let mut recipients = self.read_recipients()?;
        let r = self.write_member_key(&key_file, &member.passphrase)?;
        recipients.members.insert(key_file.clone(), r);
        self.write_recipients(&recipients)?;
        self.meta.members.push(MemberEntry {
            name: name.to_owned(),
            role: member.role.trim().to_owned(),
            key_file,
        });
        self.write_meta()
    }

    /// Sets a member's passphrase: a new personal key wrapped with it. Works for oneself (change
    /// passphrase) and, after unlocking with the recovery passphrase, for a member who forgot.
    pub fn set_member_passphrase(
        &mut self,
        name: &str,
        passphrase: &SecretString,
    ) -> Result<(), StoreError> {
        self.require_writable()?;
        check_passphrase(passphrase, self.options.min_passphrase_len)?;
        let key_file = if name == RECOVERY_NAME {
            RECOVERY_KEY_FILE.to_owned()
        } else {
            self.meta
                .member(name)
                .ok_or_else(|| StoreError::UnknownMember {
                    name: name.to_owned(),
                    known: self.meta.member_names(),
                })?
                .key_file
                .clone()
        };
        let mut recipients = self.read_recipients()?;
        let r = self.write_member_key(&key_file, passphrase)?;
        recipients.members.insert(key_file, r);
        self.write_recipients(&recipients)?;
        // The new key file's digest.
        self.write_meta()
    }

    /// Removes a member and rotates the vault identity: every file is re-encrypted to a new one,
    /// so the removed member's key opens nothing written from now on. Crash-safe: during the
    /// rotation every grant holds both identities.
    pub fn remove_member(&mut self, name: &str) -> Result<(), StoreError> {
        self.require_writable()?;
        let entry = self
            .meta
            .member(name)
            .ok_or_else(|| StoreError::UnknownMember {
                name: name.to_owned(),
                known: self.meta.member_names(),
            })?
            .clone();
        if self.meta.members.len() <= 1 {
            return Err(StoreError::LastMember);
        }
        if self.has_unsaved() {
            self.save()?;
        }
        let mut recipients = self.read_recipients()?;
        recipients.members.remove(&entry.key_file);
        let parsed: Vec<(String, x25519::Recipient)> = recipients
            .members
            .iter()
            .filter_map(|(k, r)| r.parse::<x25519::Recipient>().ok().map(|r| (k.clone(), r)))
            .collect();
        let new_id = x25519::Identity::generate();
        let mut both = vec![new_id];
        both.extend(self.ids.iter().cloned());
        // 1. Every remaining key may open old and new files.
        for (key_file, r) in &parsed {
            self.write_grant(key_file, r, &both)?;
        }
        // 2. The removed member can no longer unlock.
        self.meta.members.retain(|m| m.name != name);
        self.write_meta()?;
        let fs = self.fs();
        for p in [
            key_path(&self.dir, &entry.key_file),
            grant_path(&self.dir, &entry.key_file),
        ] {
            if let Err(e) = fs.remove(&p)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                return Err(StoreError::io("删除密钥文件", &p, e));
            }
        }
        // 3. Re-encrypt everything to the new identity.
        self.ids = both;
        let new_recipient = self.recipient();
        self.write_recipients(&recipients)?;
        let mut targets = fs
            .list(&ledger_dir(&self.dir))
            .map_err(|e| StoreError::io("读取文件夹", ledger_dir(&self.dir), e))?;
        targets.extend(
            fs.list(&backups_dir(&self.dir))
                .map_err(|e| StoreError::io("读取文件夹", backups_dir(&self.dir), e))?,
        );
        for path in targets
            .iter()
            .filter(|p| p.to_string_lossy().ends_with(".ron.age"))
        {
            let ct = fs.read(path).map_err(|e| StoreError::io("读取", path, e))?;
            let pt = crypto::decrypt_with(&ct, &self.ids).map_err(|f| damaged(path, f))?;
            let new_ct = crypto::encrypt_to(&new_recipient, &pt).map_err(StoreError::Encode)?;
            let ids = &self.ids;
            let verify = |b: &[u8]| {
                crypto::decrypt_with(b, ids).is_ok_and(|p| p.as_slice() == pt.as_slice())
            };
            write_atomically(
                fs.as_ref(),
                path,
                &new_ct,
                LiveCheck::Expect(Some(sha256(&ct))),
                None,
                Thinning::NONE,
                &verify,
            )?;
            if *path == manifest_path(&self.dir) {
                self.manifest_hash = Some(sha256(&new_ct));
            }
        }
        // Who saved last, to the new identity too.
        if let Some(record) = saves::read(&self.dir, fs.as_ref(), &self.ids) {
            saves::write(&self.dir, fs.as_ref(), &new_recipient, &record);
        }
        // 4. Only the new identity from now on.
        self.ids.truncate(1);
        for (key_file, r) in &parsed {
            self.write_grant(key_file, r, &self.ids)?;
        }
        // The grants' new digests.
        self.write_meta()
    }
}

//! Who saved last, kept beside the keys (`keys/saves.age`, encrypted to the vault's key): each
//! member's newest save. The ledger folder put back to an older state while `keys/` was not
//! (an old `ledger/` copied over the live one, on any PC) opens older than a member's own last
//! save, and is said so. Written after each save commits, best effort: it explains, it never
//! blocks. (Not inside each member's key file: rewriting a passphrase-wrapped key at every save
//! would need that member's passphrase and a second of scrypt.)

use super::*;

/// `keys/saves.age`.
pub(super) fn saves_path(dir: &Path) -> PathBuf {
    keys_dir(dir).join("saves.age")
}

/// Each member's newest save: (save number, when, RFC 3339).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct SaveRecord {
    pub members: BTreeMap<String, (u64, String)>,
}

/// Reads the record, if there is one that this vault's key opens.
pub(super) fn read(
    dir: &Path,
    fs: &dyn FileSystem,
    ids: &[x25519::Identity],
) -> Option<SaveRecord> {
    let ct = fs.read(&saves_path(dir)).ok()?;
    let pt = crypto::decrypt_with(&ct, ids).ok()?;
    codec::from_ron(std::str::from_utf8(&pt).ok()?).ok()
}

/// Writes the record (best effort).
pub(super) fn write(dir: &Path, fs: &dyn FileSystem, to: &x25519::Recipient, record: &SaveRecord) {
    let Ok(text) = codec::to_ron(record) else {
        return;
    };
    let Ok(ct) = crypto::encrypt_to(to, text.as_bytes()) else {
        return;
    };
    let _ = write_atomically(
        fs,
        &saves_path(dir),
        &ct,
        LiveCheck::Skip,
        None,
        Thinning::NONE,
        &|_| true,
    );
}

/// The newest save any member recorded above `current`, if any: (member, save, when).
pub(super) fn newer_than(record: &SaveRecord, current: u64) -> Option<(String, u64, String)> {
    record
        .members
        .iter()
        .filter(|(_, (seq, _))| *seq > current)
        .max_by_key(|(_, (seq, _))| *seq)
        .map(|(m, (seq, at))| (m.clone(), *seq, at.clone()))
}

impl Vault {
    /// Records that this member made save `save_seq`. Straight to the disk, not through the
    /// vault's file layer: it is not a step of the save (a fault injected into the save's
    /// steps must not land here).
    pub(super) fn record_save(&self, save_seq: u64) {
        let mut record = read(&self.dir, &RealFs, &self.ids).unwrap_or_default();
        record
            .members
            .insert(self.member.clone(), (save_seq, now_text()));
        write(&self.dir, &RealFs, &self.recipient(), &record);
    }
}

impl Unlocked {
    /// After a restore to `save_seq`: no member's record says newer (a deliberate step back).
    pub(super) fn cap_saves(&self, save_seq: u64) {
        let fs = self.options.fs.as_ref();
        let Some(mut record) = read(&self.dir, fs, &self.ids) else {
            return;
        };
        for (seq, _) in record.members.values_mut() {
            *seq = (*seq).min(save_seq);
        }
        if let Some(id) = self.ids.first() {
            write(&self.dir, fs, &id.to_public(), &record);
        }
    }
}

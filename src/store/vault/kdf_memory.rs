//! Memory before the key derivation: scrypt at work factor 2^n needs 128 · r · 2^n bytes
//! (r = 8 in age), 4 GiB at 2^22. An allocation that fails aborts the program, so the need is
//! read from the key file's header and compared with what the machine has free before scrypt
//! runs; when it does not fit, the user gets a Chinese refusal instead of a crash.
//!
//! What is free: on Linux the smaller of `MemAvailable` (`/proc/meminfo`) and the room left under
//! the process's address-space limit (`/proc/self/limits`, `/proc/self/status`), which is what
//! `prlimit --as` and `ulimit -v` set. On Windows what the system says is available (sysinfo).
//! Elsewhere (macOS) the check is skipped; the work factor is still capped by
//! `VaultOptions::max_scrypt_log_n`.

use super::StoreError;

/// scrypt's block size parameter as age sets it.
const SCRYPT_R: u64 = 8;
/// What the program needs besides scrypt's buffer while unlocking.
const HEADROOM: u64 = 64 << 20;

/// The work factor an age passphrase file asks for (`-> scrypt <salt> <n>` in its header).
pub(super) fn scrypt_log_n(wrapped: &[u8]) -> Option<u8> {
    let header = wrapped.split(|&b| b == b'\n').nth(1)?;
    let line = std::str::from_utf8(header).ok()?;
    let mut parts = line.split(' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("->"), Some("scrypt"), Some(_salt), Some(n)) => n.parse().ok(),
        _ => None,
    }
}

/// Bytes scrypt needs at work factor 2^`log_n`.
fn need_bytes(log_n: u8) -> u64 {
    128 * SCRYPT_R * (1u64 << log_n.min(40))
}

/// Refuses a key whose derivation would not fit in the memory free now. A work factor above
/// `max_log_n` is left to age, which refuses it without deriving.
pub(super) fn check(wrapped: &[u8], max_log_n: u8) -> Result<(), StoreError> {
    let Some(log_n) = scrypt_log_n(wrapped) else {
        return Ok(());
    };
    if log_n > max_log_n {
        return Ok(());
    }
    let need = need_bytes(log_n) + HEADROOM;
    match free_bytes() {
        Some(free) if free < need => Err(StoreError::NotEnoughMemory {
            log_n,
            need_mib: need >> 20,
            free_mib: free >> 20,
        }),
        _ => Ok(()),
    }
}

/// Memory this process can still take, when the system says.
#[cfg(target_os = "linux")]
fn free_bytes() -> Option<u64> {
    let kib = |text: &str, key: &str| -> Option<u64> {
        let line = text.lines().find(|l| l.starts_with(key))?;
        line[key.len()..]
            .split_whitespace()
            .next()?
            .parse::<u64>()
            .ok()
            .map(|k| k * 1024)
    };
    let available = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| kib(&t, "MemAvailable:"));
    let limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|t| {
            let line = t.lines().find(|l| l.starts_with("Max address space"))?;
            // "Max address space   <soft>   <hard>   bytes"
            let soft = line["Max address space".len()..]
                .split_whitespace()
                .next()?;
            soft.parse::<u64>().ok()
        });
    let used = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|t| kib(&t, "VmSize:"));
    let under_limit = match (limit, used) {
        (Some(l), Some(u)) => Some(l.saturating_sub(u)),
        (Some(l), None) => Some(l),
        _ => None,
    };
    match (available, under_limit) {
        (Some(a), Some(l)) => Some(a.min(l)),
        (a, l) => a.or(l),
    }
}

/// Memory the system says is available (Windows: sysinfo asks GlobalMemoryStatusEx).
#[cfg(windows)]
fn free_bytes() -> Option<u64> {
    let mut system = sysinfo::System::new();
    system.refresh_memory();
    Some(system.available_memory()).filter(|&b| b > 0)
}

#[cfg(not(any(target_os = "linux", windows)))]
fn free_bytes() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_factor_is_read_from_the_header() {
        let file = b"age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 22\nYm9keQ\n--- mac\n";
        assert_eq!(scrypt_log_n(file), Some(22));
        assert_eq!(
            scrypt_log_n(b"age-encryption.org/v1\n-> X25519 abc\n"),
            None
        );
        assert_eq!(scrypt_log_n(b"garbage"), None);
        assert_eq!(need_bytes(22), 4 << 30);
        assert_eq!(need_bytes(18), 256 << 20);
    }

    #[test]
    fn a_work_factor_beyond_any_machine_is_refused_with_figures() {
        let file = b"age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 38\nYm9keQ\n--- mac\n";
        let err = check(file, 40)
            .map(|()| String::new())
            .unwrap_or_else(|e| e.to_string());
        if cfg!(target_os = "linux") {
            // 2^38 needs 256 TiB.
            assert!(err.contains("2^38"), "{err}");
            assert!(err.contains("MB"), "{err}");
        }
        // Above the accepted maximum age refuses it without deriving: not this check's job.
        assert!(check(file, 22).is_ok());
    }
}

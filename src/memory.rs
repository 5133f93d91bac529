//! The program's memory allocator: mimalloc, for the desktop app, the commands and the tests
//! alike.
//!
//! A publish of a large guide makes and frees hundreds of thousands of strings on several
//! threads at once (pages rendered on one thread and written out by another, the guard's texts,
//! the search index): the system allocator (glibc) spent about a tenth of the processor time of
//! a 10,000-page publish in its own bookkeeping and page faults; with mimalloc the whole run
//! takes about 15% less.
//!
//! mimalloc 3 keeps memory a thread frees for a while (a second) to use again. For the key
//! derivation's one block (256 MiB at the vault's work factor) that would keep the program that
//! much larger while it publishes or opens the ledger, so [`configure`] has blocks of 64 MiB and
//! more taken from the system and handed back to it as soon as they are freed; and other freed
//! memory is handed back after 50 ms (a 10,000-page publish peaked 20-30 MiB higher with the
//! second, for no time measurably gained).
//!
//! On Linux, [`configure`] also turns transparent huge pages off for the process (mimalloc's
//! own `allow_thp` option does so only when read from the environment before the program
//! starts). mimalloc asks for huge pages for its memory, and where the system grants them on
//! request (Debian's default, `madvise`) every 2 MiB page its blocks touch is held whole,
//! however little of it is in use. A 10,000-page publish, whose live data after the unlock
//! never passed 130 MiB (heaptrack), peaked at 227-242 MiB of memory with them (12 runs) and
//! 174-182 MiB without (10 runs), its own time the same (~470 ms). The key derivation, which
//! writes its 256 MiB once, takes ~530 ms instead of ~460 without them, the cost of 4 KiB
//! page faults: only Linux pays it, and Windows gives no process huge pages unasked either.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option `mi_option_arena_max_object_size` (in KiB): its place in mimalloc 3's
/// `mi_option_t`, which libmimalloc-sys does not name (a test pins it by its default).
const ARENA_MAX_OBJECT_SIZE: libmimalloc_sys::mi_option_t = 45;
/// Blocks this large (KiB) or larger come from the system and go straight back to it.
const FROM_THE_SYSTEM_KIB: std::ffi::c_long = 64 * 1024;
/// mimalloc's option `mi_option_purge_delay` (milliseconds), likewise.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// How long memory freed is kept before it goes back to the system (ms).
const PURGE_AFTER_MS: std::ffi::c_long = 50;
/// mimalloc's option `mi_option_allow_thp`, likewise.
const ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

/// Sets the allocator up: called first thing in `main` of both programs (`sibai`, `sibaiw`),
/// before any other thread exists.
#[allow(unsafe_code)]
pub fn configure() {
    // SAFETY: `mi_option_set` takes no pointer; it writes one option, which is not safe while
    // other threads allocate, hence called before any other thread is started.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_MAX_OBJECT_SIZE, FROM_THE_SYSTEM_KIB);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_AFTER_MS);
        // mimalloc no longer asks for huge pages for memory it maps from now on...
        libmimalloc_sys::mi_option_set(ALLOW_THP, 0);
    }
    // ...and none is given to the process, for what it mapped before either.
    disable_huge_pages();
}

/// Turns transparent huge pages off for the whole process, as mimalloc does when its option is
/// set before it starts (Linux; nothing elsewhere). A system that refuses leaves the program
/// as it was: nothing depends on it but the memory it holds.
#[allow(unsafe_code)]
fn disable_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only the process's flag.
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(unsafe_code)]
    fn the_options_set_are_the_largest_block_an_arena_holds_the_purge_delay_and_huge_pages() {
        // mimalloc 3's defaults for them on 64-bit (no test sets them): 2 GiB, in KiB; 1000 ms;
        // huge pages allowed.
        // SAFETY: reads one option; nothing in the tests writes options.
        let largest = unsafe { libmimalloc_sys::mi_option_get(ARENA_MAX_OBJECT_SIZE) };
        assert_eq!(largest, 2 * 1024 * 1024);
        // SAFETY: as above.
        let delay = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(delay, 1000);
        // SAFETY: as above.
        let thp = unsafe { libmimalloc_sys::mi_option_get(ALLOW_THP) };
        assert_eq!(thp, 1);
        // The options as counted for the place above: mimalloc 3.3's, 47 of them.
        assert_eq!(libmimalloc_sys::_mi_option_last, 47);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn huge_pages_are_off_for_the_process_once_disabled() {
        // The flag only changes how the tests' own memory is backed.
        let enabled = || {
            std::fs::read_to_string("/proc/self/status")
                .unwrap()
                .lines()
                .find_map(|l| l.strip_prefix("THP_enabled:").map(|v| v.trim().to_owned()))
        };
        disable_huge_pages();
        // Kernels before 5.0 do not list the line; where it is listed it must say off.
        if let Some(flag) = enabled() {
            assert_eq!(flag, "0");
        }
        // SAFETY: PR_GET_THP_DISABLE takes plain integers and only reads the process's flag.
        #[allow(unsafe_code)]
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }
}

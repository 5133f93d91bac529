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

/// Sets the allocator up: called first thing in `main` of both programs (`sibai`, `sibaiw`),
/// before any other thread exists.
#[allow(unsafe_code)]
pub fn configure() {
    // SAFETY: `mi_option_set` takes no pointer; it writes one option, which is not safe while
    // other threads allocate, hence called before any other thread is started.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_MAX_OBJECT_SIZE, FROM_THE_SYSTEM_KIB);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_AFTER_MS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(unsafe_code)]
    fn the_options_set_are_the_largest_block_an_arena_holds_and_the_purge_delay() {
        // mimalloc 3's defaults for them on 64-bit (no test sets them): 2 GiB, in KiB; 1000 ms.
        // SAFETY: reads one option; nothing in the tests writes options.
        let largest = unsafe { libmimalloc_sys::mi_option_get(ARENA_MAX_OBJECT_SIZE) };
        assert_eq!(largest, 2 * 1024 * 1024);
        // SAFETY: as above.
        let delay = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(delay, 1000);
        // The options as counted for the place above: mimalloc 3.3's, 47 of them.
        assert_eq!(libmimalloc_sys::_mi_option_last, 47);
    }
}

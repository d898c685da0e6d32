//! Giving memory back to the operating system after large one-time work.

/// Gives memory freed after a large one-time build (loading, rendering, indexing, compressing, a
/// password check) back to the operating system. glibc keeps freed memory in its heap otherwise, so a
/// server's resident size would stay at its peak.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointers from us.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Keeps memory freed at the top of the allocator's heaps rather than giving it back to the operating
/// system at once. By default glibc gives back any free top over 128 KB, and a large build (loading and
/// rendering a site, which frees and allocates gigabytes) then takes it straight back, a page fault and
/// a zeroed page at a time: at 100,000 articles that was half the loading time. Freed memory is given
/// back instead by [`release_free_memory`], called after start-up's work and after each reload.
///
/// It also caps the allocator's heaps (arenas) at one per core. glibc's default, eight per core,
/// spreads a reload's allocations (a few long-lived pages among millions of short-lived pieces of
/// listings) over heaps that the server's other threads seldom use again, so the gaps between them
/// were never filled: at 10,000 articles each of the first reloads held 5 to 15 MiB more, about
/// 150 MiB over the first hundred, with the memory in use unchanged. With a heap per core the gaps
/// are reused and resident memory stays flat; loading, on every core, is as fast.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let cores = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets the allocator's own tunables; it takes no pointers. It runs
        // before the server starts its threads.
        unsafe {
            libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
            libc::mallopt(libc::M_TOP_PAD, 64 << 20);
            libc::mallopt(libc::M_ARENA_MAX, cores);
        }
    }
}

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

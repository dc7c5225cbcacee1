//! Locks on state shared between threads. A lock is poisoned only when a thread panicked while holding it; the
//! state it guards (caches, staged files, lines to print) is still whole, so the poison is ignored: one helper for
//! every site, rather than a panic on top of a panic.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `m`, poisoned or not.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The value inside `m`, poisoned or not.
pub fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(PoisonError::into_inner)
}

//! Work on every core: a map over items whose results come back in the items' order.
//!
//! Pipelines are checked, planned and rendered independently of each other, so the stages hand
//! their per-pipeline work to [`map`]. Threads take items one at a time from a shared counter
//! (pipelines differ in size), and results are put back in input order, so that output and
//! diagnostics do not depend on scheduling. A panic in a worker reaches the caller.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The number of threads to use: `PIPEC_THREADS` if set to a positive number, else the
/// parallelism the operating system offers.
pub fn threads() -> usize {
    std::env::var("PIPEC_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Applies `f` to every item, on up to [`threads`] threads, and returns the results in the
/// order of `items`. Runs on the calling thread alone when there is one item or one thread.
pub fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let workers = threads().min(items.len());
    if workers <= 1 {
        return items.into_iter().map(f).collect();
    }
    let len = items.len();
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(i) else { break };
            // Each slot is taken exactly once; a poisoned lock means another worker panicked,
            // and that panic reaches the caller when the scope ends.
            let item = slot.lock().ok().and_then(|mut s| s.take());
            if let Some(item) = item {
                done.push((i, f(item)));
            }
        }
        done
    };
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(len).collect();
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut parts = vec![work()];
        for h in handles {
            match h.join() {
                Ok(part) => parts.push(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        parts
    });
    for (i, r) in parts.into_iter().flatten() {
        if let Some(slot) = results.get_mut(i) {
            *slot = Some(r);
        }
    }
    results.into_iter().flatten().collect()
}

#[cfg(test)]
#[allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..1000).collect();
        let out = map(items, |i| {
            // Uneven work, so that threads finish out of order.
            let spins = (i * 7919) % 500;
            (0..spins).fold(i, |a, b| a.wrapping_mul(31).wrapping_add(b)) ^ i ^ i
        });
        let expected: Vec<u64> =
            (0..1000).map(|i: u64| (0..(i * 7919) % 500).fold(i, |a, b| a.wrapping_mul(31).wrapping_add(b))).collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn empty_and_single() {
        assert_eq!(map(Vec::<u8>::new(), |x| x), Vec::<u8>::new());
        assert_eq!(map(vec![3], |x| x * 2), vec![6]);
    }
}

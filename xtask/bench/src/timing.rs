//! A small, honest timer: warm up, then take the median of several samples, each long
//! enough to swamp the clock's resolution.

use std::hint::black_box;
use std::time::{Duration, Instant};

pub struct Plan {
    pub samples: usize,
    pub sample_time: Duration,
}

impl Plan {
    pub fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                samples: 5,
                sample_time: Duration::from_millis(5),
            }
        } else {
            Plan {
                samples: 31,
                sample_time: Duration::from_millis(40),
            }
        }
    }
}

/// Median time of one call of `f`.
pub fn per_call<T>(plan: &Plan, mut f: impl FnMut() -> T) -> Duration {
    black_box(f());
    let mut samples = Vec::with_capacity(plan.samples);
    for _ in 0..plan.samples {
        let started = Instant::now();
        let mut calls = 0u32;
        while started.elapsed() < plan.sample_time || calls == 0 {
            black_box(f());
            calls += 1;
        }
        samples.push(started.elapsed() / calls);
    }
    median(&mut samples)
}

pub fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// The median of whole runs in seconds, `None` when none succeeded.
pub fn median_secs(mut runs: Vec<Duration>) -> Option<f64> {
    (!runs.is_empty()).then(|| median(&mut runs).as_secs_f64())
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

//! Client-side rate limiting: a rolling window of requests, a cap on calls in progress, and
//! the server's own rate-limit headers. One [`Limits`] lives in the client, so clones (and
//! every API module of a crate generated from several specs) share it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::response::RateLimit;

/// What the client holds: both limits are off unless configured.
#[derive(Debug, Default)]
pub(crate) struct Limits {
    window: Option<Window>,
    concurrency: Option<Arc<tokio::sync::Semaphore>>,
}

/// `at + wait`, or a moment decades away when that is past what an `Instant` holds: a
/// server's number (a reset of `u64::MAX` seconds) or a setting (`Duration::MAX`) must
/// never make the addition panic.
pub(crate) fn later(at: Instant, wait: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(86_400 * 365 * 30);
    at.checked_add(wait.min(FAR))
        .or_else(|| at.checked_add(FAR))
        .unwrap_or(at)
}

/// At most `max` requests in any `per`. A request holds its slot while it is in flight and
/// for `per` after its response came in: the server counts arrivals, which come a little
/// after starts and not by the same delay each (a new connection takes longer), so a window
/// counted from starts lets a later request arrive inside an earlier one's window.
#[derive(Debug)]
struct Window {
    max: usize,
    per: Duration,
    /// The longest a server's rate-limit headers may hold requests back.
    max_server_wait: Duration,
    /// Waiting requests line up here, so slots go first come, first served and waiters
    /// never wake together to race for one.
    line: tokio::sync::Mutex<()>,
    state: Mutex<State>,
    /// Told when a request in flight is over.
    done: tokio::sync::Notify,
}

#[derive(Debug, Default)]
struct State {
    in_flight: usize,
    /// When recent requests were over, ascending; each holds a slot until `per` after.
    over: VecDeque<Instant>,
    /// What the server's headers last said: requests left until a moment (at most the
    /// client's `max_retry_after` away).
    server: Option<(u64, Instant)>,
}

/// No slot before the call's deadline: `wait` is how long one was (at least) away.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NoSlot {
    pub(crate) wait: Duration,
}

/// A place among the calls in progress; dropping it frees the place.
pub(crate) type Permit = Option<tokio::sync::OwnedSemaphorePermit>;

/// A request's slot in the window, held while it is in flight; dropping it starts the
/// slot's last `per`.
#[derive(Debug)]
pub(crate) struct Slot<'a>(Option<&'a Window>);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some(window) = self.0 {
            let mut state = window.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.in_flight = state.in_flight.saturating_sub(1);
            state.over.push_back(Instant::now());
            drop(state);
            window.done.notify_waiters();
        }
    }
}

impl Limits {
    pub(crate) fn new(
        rate: Option<(u32, Duration)>,
        max_concurrency: Option<usize>,
        max_server_wait: Duration,
    ) -> Self {
        Limits {
            window: rate
                .filter(|(max, per)| *max > 0 && !per.is_zero())
                .map(|(max, per)| Window {
                    max: max as usize,
                    per,
                    max_server_wait,
                    line: tokio::sync::Mutex::new(()),
                    state: Mutex::default(),
                    done: tokio::sync::Notify::new(),
                }),
            concurrency: max_concurrency
                .filter(|n| *n > 0)
                .map(|n| Arc::new(tokio::sync::Semaphore::new(n))),
        }
    }

    /// Waits for a place among the calls in progress, until `deadline`. Without a cap no
    /// timer is set: this is on every request's path.
    pub(crate) async fn enter(&self, deadline: Instant) -> Result<Permit, NoSlot> {
        let Some(semaphore) = &self.concurrency else {
            return Ok(None);
        };
        // Boxed, as the window's wait is: a call's future has room for what it
        // awaits, and without a limit set that room would be carried for nothing.
        Box::pin(acquire(semaphore, deadline)).await
    }

    /// Waits until the window (and the server's last word) lets one more request go; a
    /// slot that would come only after `deadline` is not waited for.
    pub(crate) async fn start(&self, deadline: Instant) -> Result<Slot<'_>, NoSlot> {
        let Some(window) = &self.window else {
            return Ok(Slot(None));
        };
        Box::pin(window.wait(deadline)).await
    }

    /// Takes in a response's rate-limit headers: with `remaining` and a reset (or window)
    /// present, no more than `remaining` requests go before it ends. The server's word is
    /// bounded: a reset never lasts longer than the window the headers name, nor than the
    /// client's `max_retry_after` — one response cannot stop the client for good.
    pub(crate) fn observe(&self, headers: &reqwest::header::HeaderMap) {
        let Some(window) = &self.window else {
            return;
        };
        let limit = RateLimit::from_headers(headers);
        if let (Some(remaining), Some(reset)) = (limit.remaining, limit.reset.or(limit.window)) {
            let wait = reset
                .min(limit.window.unwrap_or(Duration::MAX))
                .min(window.max_server_wait);
            let mut state = window.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.server = Some((remaining, later(Instant::now(), wait)));
        }
    }
}

impl Window {
    /// Waits for a slot (see [`Limits::start`]).
    async fn wait(&self, deadline: Instant) -> Result<Slot<'_>, NoSlot> {
        let _turn = tokio::time::timeout_at(deadline, self.line.lock())
            .await
            .map_err(|_| NoSlot {
                wait: Duration::ZERO,
            })?;
        loop {
            // Registered before looking, so a request ending meanwhile still wakes us.
            let done = self.done.notified();
            let now = Instant::now();
            let until = match self.take(now) {
                Ok(()) => return Ok(Slot(Some(self))),
                Err(until) => until,
            };
            match until {
                Some(until) if until > deadline => {
                    return Err(NoSlot { wait: until - now });
                }
                Some(until) => tokio::time::sleep_until(until).await,
                // Every slot is held by a request in flight: wait for one to end.
                None => tokio::time::timeout_at(deadline, done)
                    .await
                    .map_err(|_| NoSlot {
                        wait: deadline.saturating_duration_since(now),
                    })?,
            }
        }
    }

    /// Takes a slot at `now`, or says when to look again (`None`: when a request ends).
    fn take(&self, now: Instant) -> Result<(), Option<Instant>> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while state
            .over
            .front()
            .is_some_and(|t| later(*t, self.per) <= now)
        {
            state.over.pop_front();
        }
        if let Some((remaining, until)) = state.server {
            if until <= now {
                state.server = None;
            } else if remaining == 0 {
                return Err(Some(until));
            }
        }
        if state.in_flight + state.over.len() >= self.max {
            return Err(state.over.front().map(|t| later(*t, self.per)));
        }
        state.in_flight += 1;
        if let Some((remaining, _)) = &mut state.server {
            *remaining -= 1;
        }
        Ok(())
    }
}

/// A place among the calls in progress (see [`Limits::enter`]).
async fn acquire(
    semaphore: &Arc<tokio::sync::Semaphore>,
    deadline: Instant,
) -> Result<Permit, NoSlot> {
    let acquire = Arc::clone(semaphore).acquire_owned();
    match tokio::time::timeout_at(deadline, acquire).await {
        // The semaphore is never closed, so acquiring only fails if it were.
        Ok(permit) => Ok(permit.ok()),
        Err(_) => Err(NoSlot {
            wait: deadline.saturating_duration_since(Instant::now()),
        }),
    }
}

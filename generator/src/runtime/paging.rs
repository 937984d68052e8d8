//! Lists spread over pages, read as streams: one request per page, each sent only when the
//! stream is read past the page before it.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::{Stream, TryStreamExt as _};

use crate::error::Error;
// @when paging_cursor
use crate::params::ParamValue;
// @end
use crate::request::{Endpoint, Request};
use crate::response::Response;

/// An operation whose list continues on further pages: implemented by its parameters, as
/// [`Endpoint`] is. `stream()` and `pages()` are written once, below, for all of them.
pub trait Paged: Endpoint<Output: Send + 'static, Error: 'static> + Clone + Send + 'static {
    /// One item of the list.
    type Item: Send + 'static;

    /// Moves the items out of a page's body.
    fn items(page: Self::Output) -> Vec<Self::Item>;

    /// The request for the page after `page`, and a key naming it; `None` at the end.
    fn next(
        request: &Request<Self>,
        page: &Response<Self::Output>,
    ) -> Next<Request<Self>, Self::Error>;
}

impl<P: Paged> Request<P> {
    /// Every item of every page, as a `futures::Stream`: a page is requested only when
    /// the stream is read past the one before it, each with `send`'s retries and timeouts.
    /// An error is yielded once and ends the stream. How the next page is asked for is in
    /// the operation's documentation.
    pub fn stream(self) -> Items<P::Item, P::Error> {
        items(self.pages(), P::items)
    }

    /// Every page, with its status and headers, as a `futures::Stream`; see
    /// [`stream`](Self::stream).
    pub fn pages(self) -> Pages<P::Output, P::Error> {
        pages(
            self,
            |request| Box::pin(request.send_with_response()),
            P::next,
        )
    }
}

/// One page's request in flight.
pub(crate) type PageFuture<P, E> =
    Pin<Box<dyn Future<Output = Result<Response<P>, Error<E>>> + Send>>;

/// The request for the page after this one, and a key naming it: a key seen before means
/// the server handed back a cursor it already gave.
pub(crate) type Next<B, E> = Result<Option<(B, String)>, Error<E>>;

type Boxed<T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>;

/// Pages one stream reads unless [`Pages::max_pages`] says otherwise.
const DEFAULT_MAX_PAGES: u64 = 10_000;

/// Empty pages in a row after which [`Items`] stops: a server that answers every page with
/// no items and a new cursor would otherwise be asked forever.
const MAX_EMPTY_PAGES: usize = 64;

/// Cursors remembered (as 8-byte hashes, so memory stays the same however long the
/// cursors or the list) to notice a server handing one back again.
const RECENT_CURSORS: usize = 1024;

/// Every page of a list, as a stream of responses (`futures::Stream`); see the operation's
/// `pages()`. An error is yielded once and ends the stream. At most
/// 10,000 pages are read ([`max_pages`](Self::max_pages) to change it);
/// past that the stream ends with [`Error::Paging`], never silently.
pub struct Pages<P, E = crate::ApiErrorBody> {
    inner: Boxed<Response<P>, E>,
    budget: Arc<AtomicU64>,
}

/// Every item of a list, page after page, as a stream (`futures::Stream`); see the
/// operation's `stream()`. An error is yielded once and ends the stream, as do
/// 64 empty pages in a row and the page budget
/// ([`max_pages`](Self::max_pages)), each with [`Error::Paging`].
pub struct Items<I, E = crate::ApiErrorBody> {
    // By hand rather than `try_flatten`: an item is a `Vec` iterator step, no stream layers.
    pages: Boxed<Vec<I>, E>,
    current: std::vec::IntoIter<I>,
    budget: Arc<AtomicU64>,
    empty_run: usize,
    done: bool,
}

impl<P, E> Pages<P, E> {
    /// Reads at most `n` pages (default 10,000); the stream then ends with
    /// [`Error::Paging`].
    pub fn max_pages(self, n: u64) -> Self {
        self.budget.store(n, Ordering::Relaxed);
        self
    }
}

impl<I, E> Items<I, E> {
    /// Reads at most `n` pages (default 10,000); the stream then ends with
    /// [`Error::Paging`].
    pub fn max_pages(self, n: u64) -> Self {
        self.budget.store(n, Ordering::Relaxed);
        self
    }
}

/// The last [`RECENT_CURSORS`] cursors a stream followed, by hash.
struct Recent {
    hasher: std::collections::hash_map::RandomState,
    hashes: VecDeque<u64>,
}

impl Recent {
    /// Whether `key` is new; it is remembered either way.
    fn insert(&mut self, key: &str) -> bool {
        let mut hasher = self.hasher.build_hasher();
        hasher.write(key.as_bytes());
        let hash = hasher.finish();
        if self.hashes.contains(&hash) {
            return false;
        }
        if self.hashes.len() == RECENT_CURSORS {
            self.hashes.pop_front();
        }
        self.hashes.push_back(hash);
        true
    }
}

enum State<B, E> {
    Request(B),
    Failed(Error<E>),
    Done,
}

/// Pages from `first` on: `send` fetches one (with the client's retries and timeouts),
/// `next` reads from it the request for the one after.
pub(crate) fn pages<B, P, E>(
    first: B,
    send: fn(B) -> PageFuture<P, E>,
    next: fn(&B, &Response<P>) -> Next<B, E>,
) -> Pages<P, E>
where
    B: Clone + Send + 'static,
    P: Send + 'static,
    E: Send + 'static,
{
    let budget = Arc::new(AtomicU64::new(DEFAULT_MAX_PAGES));
    let seen = Recent {
        hasher: std::collections::hash_map::RandomState::new(),
        hashes: VecDeque::new(),
    };
    let start = (State::Request(first), seen, 0u64, Arc::clone(&budget));
    let inner =
        futures_util::stream::unfold(start, move |(state, mut seen, read, budget)| async move {
            let request = match state {
                State::Request(request) => request,
                State::Failed(error) => {
                    return Some((Err(error), (State::Done, seen, read, budget)));
                }
                State::Done => return None,
            };
            let max = budget.load(Ordering::Relaxed);
            if read >= max {
                let error = Error::Paging(format!(
                    "stopped after {read} pages, the stream's `max_pages`; the list goes on"
                ));
                return Some((Err(error), (State::Done, seen, read, budget)));
            }
            let following = request.clone();
            let page = match send(request).await {
                Ok(page) => page,
                Err(error) => return Some((Err(error), (State::Done, seen, read, budget))),
            };
            let state = match next(&following, &page) {
                Ok(None) => State::Done,
                Ok(Some((request, key))) if seen.insert(&key) => State::Request(request),
                Ok(Some((_, key))) => State::Failed(Error::Paging(format!(
                    "the server handed back a next-page cursor it had already given (`{}`); \
                 stopping instead of reading the same pages again",
                    crate::error::Inert(&key.chars().take(80).collect::<String>())
                ))),
                Err(error) => State::Failed(error),
            };
            Some((Ok(page), (state, seen, read.saturating_add(1), budget)))
        });
    Pages {
        inner: Box::pin(inner),
        budget,
    }
}

/// The items of each page in turn; `take` moves them out of a page's body.
pub(crate) fn items<P, I, E>(pages: Pages<P, E>, take: fn(P) -> Vec<I>) -> Items<I, E>
where
    P: Send + 'static,
    I: Send + 'static,
    E: Send + 'static,
{
    let budget = Arc::clone(&pages.budget);
    Items {
        pages: Box::pin(pages.map_ok(move |page| take(page.body))),
        current: Vec::new().into_iter(),
        budget,
        empty_run: 0,
        done: false,
    }
}

// @when paging_cursor
/// A cursor that leads on: present and not empty; with the key it is remembered by.
pub(crate) fn cursor<T: ParamValue + Clone>(value: Option<&T>) -> Option<(T, String)> {
    let value = value?;
    let key = value.to_param().into_owned();
    (!key.is_empty()).then(|| (value.clone(), key))
}

// @end

// @when paging_offset
/// The `offset` after a page of `count` items, unless that page was the last.
pub(crate) fn next_offset(offset: Option<i64>, limit: Option<i64>, count: usize) -> Option<i64> {
    let count = i64::try_from(count).ok()?;
    if count == 0 || limit.is_some_and(|limit| count < limit) {
        return None;
    }
    offset.unwrap_or(0).checked_add(count)
}

// @end

// @when paging_page
/// The `page` after a page of `count` items, unless that page was the last.
pub(crate) fn next_page(
    page: Option<i64>,
    size: Option<i64>,
    count: usize,
    first: i64,
) -> Option<i64> {
    let count = i64::try_from(count).ok()?;
    if count == 0 || size.is_some_and(|size| count < size) {
        return None;
    }
    page.unwrap_or(first).checked_add(1)
}

// @end

// @when paging_url
/// A next-page URL from the server, resolved against the base URL; `None` when it is
/// missing or empty. A URL on another origin is refused: the request's credentials would
/// go along.
pub(crate) fn follow<E>(
    client: &crate::Client,
    target: Option<&String>,
) -> Result<Option<reqwest::Url>, Error<E>> {
    match target {
        Some(target) if !target.is_empty() => same_origin(client, target).map(Some),
        _ => Ok(None),
    }
}

// @end

// @when paging_next_url
fn same_origin<E>(client: &crate::Client, target: &str) -> Result<reqwest::Url, Error<E>> {
    let base = client
        .base_url()
        .ok_or_else(|| Error::Paging("the API has no base URL".to_owned()))?;
    let mut url = base
        .join(target)
        .map_err(|e| Error::Paging(format!("the next-page link is not a URL: {e}")))?;
    // `http://user:pw@host/…` would make reqwest send a Basic `Authorization` of the
    // server's choosing beside the client's own credential.
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    if url.scheme() != base.scheme()
        || url.host_str() != base.host_str()
        || url.port_or_known_default() != base.port_or_known_default()
    {
        return Err(Error::Paging(format!(
            "the next-page link leads to another origin ({}://{}); not followed, since the \
             request's credentials would go along",
            url.scheme(),
            url.host_str().unwrap_or_default()
        )));
    }
    Ok(url)
}
// @end

// @when paging_link
/// The `rel="next"` URL of a `Link` header (RFC 8288), resolved against the base URL, on
/// the same origin only.
pub(crate) fn next_link<E>(
    client: &crate::Client,
    headers: &reqwest::header::HeaderMap,
) -> Result<Option<reqwest::Url>, Error<E>> {
    let target = headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(rel_next);
    match target {
        Some(target) => same_origin(client, target).map(Some),
        None => Ok(None),
    }
}

/// The target of the link whose `rel` includes `next`, in one `Link` header value.
pub(crate) fn rel_next(value: &str) -> Option<&str> {
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let target = &after[..end];
        let params = &after[end + 1..];
        let params_end = params.find('<').unwrap_or(params.len());
        // Up to the next link, without the `,` between the two.
        let own = params[..params_end].trim_end().trim_end_matches(',');
        let is_next = own.split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target);
        }
        rest = &params[params_end..];
    }
    None
}
// @end

impl<P, E> Stream for Pages<P, E> {
    type Item = Result<Response<P>, Error<E>>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

// Nothing in `Items` is pinned structurally (the pages are boxed, the items are moved out),
// so it is `Unpin` whatever `I` is.
impl<I, E> Unpin for Items<I, E> {}

impl<I, E> Stream for Items<I, E> {
    type Item = Result<I, Error<E>>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.current.next() {
                return std::task::Poll::Ready(Some(Ok(item)));
            }
            if self.done {
                return std::task::Poll::Ready(None);
            }
            // The next page only once this one is used up; an empty page reads on, but
            // not forever.
            match std::task::ready!(self.pages.as_mut().poll_next(cx)) {
                Some(Ok(items)) if items.is_empty() => {
                    self.empty_run += 1;
                    if self.empty_run >= MAX_EMPTY_PAGES {
                        self.done = true;
                        return std::task::Poll::Ready(Some(Err(Error::Paging(format!(
                            "the server sent {MAX_EMPTY_PAGES} empty pages in a row, each \
                             with a new cursor; stopping instead of asking forever"
                        )))));
                    }
                }
                Some(Ok(items)) => {
                    self.empty_run = 0;
                    self.current = items.into_iter();
                }
                Some(Err(error)) => return std::task::Poll::Ready(Some(Err(error))),
                None => return std::task::Poll::Ready(None),
            }
        }
    }
}

impl<P, E> fmt::Debug for Pages<P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pages")
    }
}

impl<I, E> fmt::Debug for Items<I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Items")
    }
}

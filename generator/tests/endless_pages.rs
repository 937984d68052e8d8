//! A server that never ends a list: empty pages with a new cursor each, or one item a page
//! forever. Streams stop with `Error::Paging` (64 empty pages in a row; the page budget,
//! `max_pages`), never silently and never by asking forever.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use futures_util::StreamExt as _;
use paging_hubspot_fixture::{Client, Error};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Page `n` holds `per_page` contacts and a cursor no page had before.
struct Endless {
    per_page: usize,
    served: Arc<AtomicUsize>,
}

impl Respond for Endless {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst);
        let results: Vec<_> = (0..self.per_page)
            .map(|i| json!({"id": format!("{n}-{i}"), "properties": {}, "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z"}))
            .collect();
        ResponseTemplate::new(200).set_body_json(
            json!({"results": results, "paging": {"next": {"after": format!("c{n}")}}}),
        )
    }
}

async fn endless(per_page: usize) -> (MockServer, Client, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let served = Arc::new(AtomicUsize::new(0));
    Mock::given(path("/crm/v3/objects/contacts"))
        .respond_with(Endless {
            per_page,
            served: served.clone(),
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("key")
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    (server, client, served)
}

#[tokio::test]
async fn empty_pages_with_new_cursors_end_after_a_run_of_64() {
    let (_server, client, served) = endless(0).await;
    let items: Vec<_> = client.list_contacts().stream().take(3).collect().await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        matches!(&items[0], Err(Error::Paging(m)) if m.contains("64 empty pages")),
        "{items:?}"
    );
    assert_eq!(served.load(Ordering::SeqCst), 64);
}

#[tokio::test]
async fn a_list_that_never_ends_stops_at_the_page_budget() {
    let (_server, client, served) = endless(1).await;
    let items: Vec<_> = client
        .list_contacts()
        .stream()
        .max_pages(100)
        .collect()
        .await;
    assert_eq!(items.len(), 101);
    assert!(items[..100].iter().all(Result::is_ok));
    assert!(
        matches!(&items[100], Err(Error::Paging(m)) if m.contains("after 100 pages")),
        "{:?}",
        items[100]
    );
    assert_eq!(served.load(Ordering::SeqCst), 100);
    // `pages()` has the same budget, and its default.
    let (_server, client, served) = endless(1).await;
    let pages: Vec<_> = client.list_contacts().pages().max_pages(3).collect().await;
    assert_eq!(pages.len(), 4);
    assert!(matches!(&pages[3], Err(Error::Paging(_))));
    assert_eq!(served.load(Ordering::SeqCst), 3);
}

//! Paginated operations as streams, against a local server: the crates generated from
//! `fixtures/paging_hubspot.yaml` (HubSpot's list and search shapes) and
//! `fixtures/paging_styles.yaml` (Stripe, GitHub's Link header, offset, page numbers,
//! Intercom, Asana, Google, a declared cursor).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

mod support;

use futures_util::{StreamExt as _, TryStreamExt as _};
use paging_hubspot_fixture::types::PublicObjectSearchRequest;
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;
use support::prism::{Prism, available, say};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn contact(id: &str) -> Value {
    json!({
        "id": id,
        "properties": {"email": format!("{id}@example.com")},
        "createdAt": "2024-01-01T00:00:00Z",
        "updatedAt": "2024-01-02T00:00:00Z",
    })
}

/// A HubSpot page: these contacts, and `paging.next.after` when there is a next page.
fn hubspot_page(ids: &[&str], after: Option<&str>) -> ResponseTemplate {
    let mut body = json!({"results": ids.iter().map(|id| contact(id)).collect::<Vec<_>>()});
    if let Some(after) = after {
        body["paging"] = json!({"next": {"after": after, "link": format!("?after={after}")}});
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn hubspot(server: &MockServer) -> paging_hubspot_fixture::Client {
    paging_hubspot_fixture::Client::builder()
        .base_url(server.uri())
        .api_key("key")
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap()
}

/// Three pages of contacts at `/crm/v3/objects/contacts`: 1 2 | 3 4 | 5.
async fn three_pages(server: &MockServer) {
    let list = "/crm/v3/objects/contacts";
    for (after, ids, next) in [
        (None, &["1", "2"][..], Some("c2")),
        (Some("c2"), &["3", "4"][..], Some("c4")),
        (Some("c4"), &["5"][..], None),
    ] {
        let mock = Mock::given(method("GET")).and(path(list));
        let mock = match after {
            None => mock.and(query_param_is_missing("after")),
            Some(after) => mock.and(query_param("after", after)),
        };
        mock.respond_with(hubspot_page(ids, next))
            .mount(server)
            .await;
    }
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

async fn sent(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn a_cursor_list_reads_three_pages_in_order() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let client = hubspot(&server);
    let mut stream = client.list_contacts().limit(2).stream();
    let mut ids = Vec::new();
    while let Some(contact) = stream.try_next().await.unwrap() {
        ids.push(contact.id);
    }
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    let requests = sent(&server).await;
    let afters: Vec<Option<String>> = requests.iter().map(|r| query(r, "after")).collect();
    assert_eq!(afters, [None, Some("c2".into()), Some("c4".into())]);
    // Every page keeps the request's other parameters and credentials.
    assert!(
        requests
            .iter()
            .all(|r| query(r, "limit").as_deref() == Some("2"))
    );
    assert!(requests.iter().all(|r| r.headers["private-app"] == "key"));
}

#[tokio::test]
async fn streams_are_lazy_and_take_sends_only_the_pages_it_needs() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let client = hubspot(&server);

    let stream = client.list_contacts().stream();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(sent(&server).await.len(), 0, "nothing is sent until polled");
    drop(stream);

    let two: Vec<_> = client
        .list_contacts()
        .stream()
        .take(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(two.len(), 2);
    assert_eq!(
        sent(&server).await.len(),
        1,
        "two items are on the first page"
    );

    server.reset().await;
    three_pages(&server).await;
    let three: Vec<_> = client
        .list_contacts()
        .stream()
        .take(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        three.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    assert_eq!(
        sent(&server).await.len(),
        2,
        "pages of 2: take(3) sends 2 requests"
    );

    server.reset().await;
    three_pages(&server).await;
    let pages: Vec<_> = client.list_contacts().pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].status, 200);
    assert_eq!(pages[2].body.results.len(), 1);
    assert!(pages[2].body.paging.is_none());
}

#[tokio::test]
async fn an_error_on_page_two_is_yielded_once_and_ends_the_stream() {
    let server = MockServer::start().await;
    let list = "/crm/v3/objects/contacts";
    Mock::given(path(list))
        .and(query_param_is_missing("after"))
        .respond_with(hubspot_page(&["1", "2"], Some("c2")))
        .mount(&server)
        .await;
    Mock::given(path(list))
        .and(query_param("after", "c2"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "category": "VALIDATION_ERROR",
            "correlationId": "5f0c2a8e-5b1a-4d7e-9a51-0a3c9c7f2b11",
            "message": "bad cursor",
        })))
        .mount(&server)
        .await;
    let client = hubspot(&server);
    let mut stream = client.list_contacts().stream();
    assert_eq!(stream.try_next().await.unwrap().unwrap().id, "1");
    assert_eq!(stream.try_next().await.unwrap().unwrap().id, "2");
    let error = stream.next().await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    match &error {
        paging_hubspot_fixture::Error::Api(e) => {
            assert_eq!(e.body.as_ref().unwrap().message, "bad cursor");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(
        stream.next().await.is_none(),
        "the stream ends after its error"
    );
    assert_eq!(sent(&server).await.len(), 2);
}

#[tokio::test]
async fn a_cursor_the_server_already_gave_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let list = "/crm/v3/objects/contacts";
    Mock::given(path(list))
        .and(query_param_is_missing("after"))
        .respond_with(hubspot_page(&["1"], Some("same")))
        .mount(&server)
        .await;
    Mock::given(path(list))
        .and(query_param("after", "same"))
        .respond_with(hubspot_page(&["2"], Some("same")))
        .mount(&server)
        .await;
    let client = hubspot(&server);
    let items: Vec<_> = client.list_contacts().stream().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "1");
    assert_eq!(items[1].as_ref().unwrap().id, "2");
    let error = items[2].as_ref().unwrap_err();
    assert!(
        matches!(error, paging_hubspot_fixture::Error::Paging(m) if m.contains("`same`")),
        "{error}"
    );
    assert_eq!(sent(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_page_with_a_cursor_continues_and_an_empty_cursor_ends() {
    let server = MockServer::start().await;
    let list = "/crm/v3/objects/contacts";
    Mock::given(path(list))
        .and(query_param_is_missing("after"))
        .respond_with(hubspot_page(&[], Some("c1")))
        .mount(&server)
        .await;
    Mock::given(path(list))
        .and(query_param("after", "c1"))
        .respond_with(hubspot_page(&["1"], Some("")))
        .mount(&server)
        .await;
    let client = hubspot(&server);
    let ids: Vec<String> = client
        .list_contacts()
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1"]);
    assert_eq!(sent(&server).await.len(), 2);
}

#[tokio::test]
async fn a_429_on_page_two_is_retried_after_its_retry_after() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    Mock::given(query_param("after", "c2"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let client = hubspot(&server);
    let started = std::time::Instant::now();
    let ids: Vec<String> = client
        .list_contacts()
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 was waited"
    );
    let afters: Vec<Option<String>> = sent(&server)
        .await
        .iter()
        .map(|r| query(r, "after"))
        .collect();
    assert_eq!(
        afters,
        [
            None,
            Some("c2".into()),
            Some("c2".into()),
            Some("c4".into())
        ]
    );
}

#[tokio::test]
async fn a_search_carries_the_cursor_in_its_body_and_keeps_every_other_field() {
    let server = MockServer::start().await;
    let search = "/crm/v3/objects/contacts/search";
    for (after, ids, next) in [("", &["1"][..], Some("10")), ("10", &["2"][..], None)] {
        let mut body =
            json!({"total": 2, "results": ids.iter().map(|id| contact(id)).collect::<Vec<_>>()});
        if let Some(next) = next {
            body["paging"] = json!({"next": {"after": next}});
        }
        Mock::given(method("POST"))
            .and(path(search))
            .and(wiremock::matchers::body_partial_json(
                json!({"after": after}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let client = hubspot(&server);
    let mut request = PublicObjectSearchRequest::new(
        1,
        "",
        vec!["createdate".to_owned()],
        vec!["email".to_owned()],
        Vec::new(),
    );
    request.query = Some("example.com".to_owned());
    let ids: Vec<String> = client
        .search_contacts(request)
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1", "2"]);
    let bodies: Vec<Value> = sent(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies.len(), 2);
    let mut expected = bodies[0].clone();
    assert_eq!(expected["after"], "");
    expected["after"] = json!("10");
    assert_eq!(bodies[1], expected, "only `after` changes");
    assert_eq!(bodies[1]["query"], "example.com");
    assert_eq!(bodies[1]["properties"], json!(["email"]));
}

fn styles(base: String) -> paging_styles_fixture::Client {
    paging_styles_fixture::Client::builder()
        .base_url(base)
        .build()
        .unwrap()
}

fn ids(items: &[Value]) -> Value {
    Value::Array(items.to_vec())
}

fn item(id: &str) -> Value {
    json!({"id": id})
}

#[tokio::test]
async fn stripe_lists_continue_after_the_last_id_while_has_more() {
    let server = MockServer::start().await;
    for (after, data, more) in [
        (None, vec!["cus_1", "cus_2"], true),
        (Some("cus_2"), vec!["cus_3"], false),
    ] {
        let mock = Mock::given(path("/v1/customers"));
        let mock = match after {
            None => mock.and(query_param_is_missing("starting_after")),
            Some(a) => mock.and(query_param("starting_after", a)),
        };
        let data: Vec<Value> = data
            .iter()
            .map(|id| json!({"id": id, "object": "customer"}))
            .collect();
        mock.respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "url": "/v1/customers", "has_more": more, "data": data,
        })))
        .mount(&server)
        .await;
    }
    let client = styles(server.uri());
    let ids: Vec<String> = client
        .get_customers()
        .limit(2)
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3"]);
    assert_eq!(sent(&server).await.len(), 2);
}

#[tokio::test]
async fn link_headers_are_followed_on_the_same_origin_only() {
    let server = MockServer::start().await;
    let issues = "/repos/o/r/issues";
    let issue = |n: i64| json!({"id": n, "number": n, "title": format!("#{n}")});
    Mock::given(path(issues))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "Link",
                    format!(
                        "<{0}{issues}?state=all&page=2>; rel=\"next\", <{0}{issues}?state=all&page=3>; rel=\"last\"",
                        server.uri()
                    ),
                )
                .set_body_json(json!([issue(1), issue(2)])),
        )
        .mount(&server)
        .await;
    Mock::given(path(issues))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                // A relative link, resolved against the base URL.
                .insert_header("Link", format!("<{issues}?state=all&page=3>; rel=\"next\""))
                .set_body_json(json!([issue(3)])),
        )
        .mount(&server)
        .await;
    Mock::given(path(issues))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([issue(4)])))
        .mount(&server)
        .await;
    let client = styles(server.uri());
    let numbers: Vec<i64> = client
        .issues_list_for_repo("o", "r")
        .state(paging_styles_fixture::types::IssuesListForRepoState::All)
        .stream()
        .map_ok(|i| i.number)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers, [1, 2, 3, 4]);
    let requests = sent(&server).await;
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| query(r, "state").as_deref() == Some("all"))
    );

    // A link to another origin is not followed: the credentials would go along.
    let other = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&other)
        .await;
    server.reset().await;
    Mock::given(path(issues))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "Link",
                    format!("<{}/steal?page=2>; rel=\"next\"", other.uri()),
                )
                .set_body_json(json!([issue(1)])),
        )
        .mount(&server)
        .await;
    let results: Vec<_> = client
        .issues_list_for_repo("o", "r")
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(matches!(
        results[1].as_ref().unwrap_err(),
        paging_styles_fixture::Error::Paging(m) if m.contains("another origin")
    ));
    assert_eq!(sent(&other).await.len(), 0);
}

#[tokio::test]
async fn offsets_grow_by_the_items_received_until_a_short_page() {
    let server = MockServer::start().await;
    for (offset, items) in [
        (None, vec![item("a"), item("b")]),
        (Some("2"), vec![item("c"), item("d")]),
        (Some("4"), vec![item("e")]),
    ] {
        let mock = Mock::given(path("/items"));
        let mock = match offset {
            None => mock.and(query_param_is_missing("offset")),
            Some(o) => mock.and(query_param("offset", o)),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": ids(&items)})))
            .mount(&server)
            .await;
    }
    let client = styles(server.uri());
    let got: Vec<String> = client
        .list_items()
        .limit(2)
        .stream()
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ["a", "b", "c", "d", "e"]);
    assert_eq!(sent(&server).await.len(), 3, "the short page is the last");
}

#[tokio::test]
async fn page_numbers_count_up_from_the_spec_minimum_until_an_empty_page() {
    let server = MockServer::start().await;
    for (page, items) in [
        (None, vec![item("a"), item("b")]),
        (Some("1"), vec![item("c")]),
        (Some("2"), vec![]),
    ] {
        let mock = Mock::given(path("/records"));
        let mock = match page {
            None => mock.and(query_param_is_missing("page")),
            Some(p) => mock.and(query_param("page", p)),
        };
        mock.respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"entries": ids(&items)})),
        )
        .mount(&server)
        .await;
    }
    let client = styles(server.uri());
    // No page size: only an empty page ends the list.
    let got: Vec<String> = client
        .list_records()
        .stream()
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ["a", "b", "c"]);
    assert_eq!(sent(&server).await.len(), 3);
}

/// One cursor style: a first page (no cursor parameter) leading with `cursor` to a last.
async fn two_pages(server: &MockServer, route: &str, param: &str, first: Value, last: Value) {
    Mock::given(path(route))
        .and(query_param_is_missing(param))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .mount(server)
        .await;
    Mock::given(path(route))
        .and(query_param(param, "CUR"))
        .respond_with(ResponseTemplate::new(200).set_body_json(last))
        .mount(server)
        .await;
}

#[tokio::test]
async fn intercom_asana_google_and_declared_cursors_are_followed() {
    let server = MockServer::start().await;
    let one = json!([{"id": "1"}]);
    let two = json!([{"id": "2"}]);
    two_pages(
        &server,
        "/conversations",
        "starting_after",
        json!({"conversations": one, "pages": {"page": 1, "next": {"per_page": 1, "starting_after": "CUR"}}}),
        json!({"conversations": two, "pages": {"page": 2, "next": null}}),
    )
    .await;
    two_pages(
        &server,
        "/tasks",
        "offset",
        json!({"data": one, "next_page": {"offset": "CUR", "path": "/tasks?offset=CUR"}}),
        json!({"data": two, "next_page": null}),
    )
    .await;
    two_pages(
        &server,
        "/v1/files",
        "pageToken",
        json!({"files": one, "nextPageToken": "CUR"}),
        json!({"files": two}),
    )
    .await;
    two_pages(
        &server,
        "/events",
        "from",
        json!({"events": one, "meta": {"continuation": "CUR"}}),
        json!({"events": two, "meta": {}}),
    )
    .await;
    let client = styles(server.uri());
    let id = |i: paging_styles_fixture::types::Item| i.id;
    let conversations: Vec<String> = client
        .list_conversations()
        .stream()
        .map_ok(id)
        .try_collect()
        .await
        .unwrap();
    let tasks: Vec<String> = client
        .get_tasks()
        .stream()
        .map_ok(id)
        .try_collect()
        .await
        .unwrap();
    let files: Vec<String> = client
        .files_list()
        .stream()
        .map_ok(id)
        .try_collect()
        .await
        .unwrap();
    let events: Vec<String> = client
        .list_events()
        .stream()
        .map_ok(id)
        .try_collect()
        .await
        .unwrap();
    for got in [conversations, tasks, files, events] {
        assert_eq!(got, ["1", "2"]);
    }
    assert_eq!(sent(&server).await.len(), 8);
}

/// The paginated HubSpot list and search, driven against `prism mock` (static): every page
/// request they send is accepted (Prism validates each against the spec, and answers 422
/// otherwise).
#[tokio::test]
async fn prism_accepts_every_page_request() {
    let Some(prism) = available("paging conformance") else {
        return;
    };
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/paging_hubspot.yaml");
    let server = Prism::start(&prism, &spec, false);
    say(&format!("prism mock on {}", server.base_url()));
    let client = paging_hubspot_fixture::Client::builder()
        .base_url(server.base_url())
        .api_key("key")
        .build()
        .unwrap();
    // Prism's static example hands back the same cursor (`string`) on every page: the
    // second page's request (with `after=string`) is accepted, and then the repeat ends
    // the stream with a paging error, not a loop and not a 422.
    let listed: Vec<_> = client
        .list_contacts()
        .limit(5)
        .properties(["email".to_owned()])
        .pages()
        .collect()
        .await;
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed[..2].iter().all(Result::is_ok), "{listed:?}");
    assert!(matches!(
        &listed[2],
        Err(paging_hubspot_fixture::Error::Paging(_))
    ));
    let request =
        PublicObjectSearchRequest::new(5, "0", Vec::new(), vec!["email".to_owned()], Vec::new());
    let searched: Vec<_> = client.search_contacts(request).pages().collect().await;
    assert_eq!(searched.len(), 3, "{searched:?}");
    assert!(searched[..2].iter().all(Result::is_ok), "{searched:?}");
    assert!(matches!(
        &searched[2],
        Err(paging_hubspot_fixture::Error::Paging(_))
    ));
}

#[tokio::test]
async fn twilio_next_page_uris_are_followed_and_an_empty_body_ends_a_list() {
    let server = MockServer::start().await;
    let calls = "/2010-04-01/Accounts/AC1/Calls.json";
    Mock::given(path(calls))
        .and(query_param_is_missing("PageToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "calls": [item("CA1"), item("CA2")],
            "next_page_uri": format!("{calls}?PageSize=2&Page=1&PageToken=PA2"),
            "page": 0,
        })))
        .mount(&server)
        .await;
    Mock::given(path(calls))
        .and(query_param("PageToken", "PA2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "calls": [item("CA3")], "next_page_uri": null, "page": 1,
        })))
        .mount(&server)
        .await;
    let client = styles(server.uri());
    let got: Vec<String> = client
        .list_call("AC1")
        .page_size(2)
        .stream()
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ["CA1", "CA2", "CA3"]);
    let requests = sent(&server).await;
    assert_eq!(query(&requests[1], "Page").as_deref(), Some("1"));

    // GitHub's contributors: a list, then `204 No Content` (no body) ends it.
    let contributors = "/repos/o/r/contributors";
    Mock::given(path(contributors))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Link", format!("<{contributors}?page=2>; rel=\"next\""))
                .set_body_json(json!([item("octocat")])),
        )
        .mount(&server)
        .await;
    Mock::given(path(contributors))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let got: Vec<String> = client
        .repos_list_contributors("o", "r")
        .stream()
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ["octocat"]);
}

#[tokio::test]
async fn an_intercom_search_puts_the_cursor_into_its_pagination_object() {
    use paging_styles_fixture::types::SearchContactsBody;
    let server = MockServer::start().await;
    let search = "/contacts/search";
    Mock::given(path(search))
        .and(wiremock::matchers::body_json(
            json!({"query": {"field": "role"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [item("1")], "pages": {"next": {"per_page": 1, "starting_after": "CUR"}},
        })))
        .mount(&server)
        .await;
    Mock::given(path(search))
        .and(wiremock::matchers::body_json(
            json!({"query": {"field": "role"}, "pagination": {"starting_after": "CUR"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [item("2")], "pages": {"next": null},
        })))
        .mount(&server)
        .await;
    let client = styles(server.uri());
    let body = SearchContactsBody::new([("field".to_owned(), json!("role"))].into());
    let got: Vec<String> = client
        .search_contacts()
        .body(body)
        .stream()
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ["1", "2"]);
    // Without a body there is nowhere to put the cursor: the page, then an error that says
    // so (not a silent end).
    server.reset().await;
    Mock::given(path(search))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [item("1")], "pages": {"next": {"starting_after": "CUR"}},
        })))
        .mount(&server)
        .await;
    let got: Vec<_> = client.search_contacts().stream().collect().await;
    assert_eq!(got.len(), 2);
    assert!(matches!(
        &got[1],
        Err(paging_styles_fixture::Error::Paging(m)) if m.contains(".body(")
    ));
    assert_eq!(sent(&server).await.len(), 1);
}

#[tokio::test]
async fn openai_lists_continue_after_last_id_while_has_more() {
    let server = MockServer::start().await;
    let items = "/v1/conversations/c1/items";
    Mock::given(path(items))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "data": [item("msg_1"), "text"], "has_more": true,
            "first_id": "msg_1", "last_id": "msg_2",
        })))
        .mount(&server)
        .await;
    Mock::given(path(items))
        .and(query_param("after", "msg_2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "data": [item("msg_3")], "has_more": false,
            "first_id": "msg_3", "last_id": "msg_3",
        })))
        .mount(&server)
        .await;
    let client = styles(server.uri());
    let got: Vec<_> = client
        .list_conversation_items("c1")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(
        sent(&server).await.len(),
        2,
        "has_more: false ends the list"
    );
}

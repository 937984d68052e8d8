//! The runtime modules compiled on their own, as every generated crate compiles them, with a
//! hand-written operation where the HubSpot spec has none (a POST, a string path parameter).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

#[path = "../src/runtime/base64.rs"]
mod base64;
#[path = "../src/runtime/budget.rs"]
mod budget;
#[path = "../src/runtime/builder.rs"]
mod builder;
#[path = "../src/runtime/call.rs"]
mod call;
#[path = "../src/runtime/client.rs"]
mod client;
#[path = "../src/runtime/error.rs"]
mod error;
#[path = "../src/runtime/limit.rs"]
mod limit;
#[path = "../src/runtime/multipart.rs"]
mod multipart;
#[path = "../src/runtime/oauth.rs"]
mod oauth;
#[path = "../src/runtime/paging.rs"]
#[allow(
    dead_code,
    reason = "the streams are driven through generated crates, in tests/paging.rs"
)]
mod paging;
#[path = "../src/runtime/params.rs"]
mod params;
#[path = "../src/runtime/raw.rs"]
mod raw;
#[path = "../src/runtime/request.rs"]
mod request;
#[path = "../src/runtime/response.rs"]
mod response;
#[path = "../src/runtime/signature.rs"]
mod signature;
#[path = "../src/runtime/stream.rs"]
mod stream;
#[path = "../src/runtime/trace.rs"]
mod trace;

// What the generated lib.rs provides to the runtime.
pub use client::Client;
pub use error::Error;
pub use oauth::{OAuth2, Token, TokenError, TokenSource, authorize_url, exchange_code};
pub use response::{RateLimit, Response};
pub use signature::{WebhookError, WebhookScheme, Webhooks};
pub const DEFAULT_BASE_URL: Option<&str> = None;
mod about {
    /// As a crate made of two specs has them: the first names no server.
    pub(crate) const BASE_URLS: &[(&str, Option<&str>)] = &[
        ("first", super::DEFAULT_BASE_URL),
        ("second", Some("https://second.example/v2")),
    ];
    pub(crate) const AUTH: &[crate::client::Auth] = &[crate::client::Auth::Bearer];
    pub(crate) const OAUTH2_TOKEN_URL: Option<&str> = None;
    pub(crate) const OAUTH2_AUTHORIZATION_URL: Option<&str> = None;
    pub(crate) const WEBHOOK_SIGNATURE: crate::signature::WebhookScheme =
        crate::signature::WebhookScheme::StandardWebhooks;
    pub type WebhookEvent = serde_json::Value;
}
pub type ApiErrorBody = serde_json::Value;

use client::RequestOptions;
use params::ParamValue as _;
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An operation as the emitter writes one: `METHOD /files/{name}` with a JSON response.
struct FileRequest<'a> {
    client: &'a Client,
    method: reqwest::Method,
    name: String,
    auth: &'a [client::Auth],
    options: &'a RequestOptions,
}

impl client::Operation for FileRequest<'_> {
    type Error = serde_json::Value;

    fn request(&self) -> Result<reqwest::RequestBuilder, Error> {
        let query = params::Query::default();
        Ok(self.client.build(
            self.method.clone(),
            "/files/{}/raw",
            &[self.name.to_param()],
            &query,
            self.auth,
            self.options,
        )?)
    }

    fn route(&self) -> trace::Route {
        trace::Route {
            name: "file",
            method: trace::method_name(&self.method),
            template: "/files/{name}/raw",
        }
    }
}

async fn call(
    client: &Client,
    method: reqwest::Method,
    name: &str,
    options: &RequestOptions,
) -> Result<Response<serde_json::Value>, Error> {
    let operation = FileRequest {
        client,
        method,
        name: name.to_owned(),
        auth: &[client::Auth::Bearer],
        options,
    };
    client.send_json(&operation, options).await
}

fn fast_client(base: String) -> Client {
    Client::builder()
        .base_url(base)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("builds")
}

async fn always(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let server = always(200).await;
    let client = fast_client(server.uri());
    let options = RequestOptions::default();
    for name in ["a/b c?d#e%f", "../..", "ünïcode"] {
        call(&client, reqwest::Method::GET, name, &options)
            .await
            .expect("ok");
    }
    // No encoding survives URL normalisation for these, so they are refused, not rerouted.
    for name in ["..", ".", ""] {
        let err = call(&client, reqwest::Method::GET, name, &options)
            .await
            .expect_err("refused");
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("path segment")),
            "{err:?}"
        );
    }
    let paths: Vec<String> = server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/files/a%2Fb%20c%3Fd%23e%25f/raw",
            "/files/..%2F../raw",
            "/files/%C3%BCn%C3%AFcode/raw"
        ]
    );
}

#[tokio::test]
async fn non_idempotent_methods_are_never_retried() {
    let server = always(503).await;
    let client = fast_client(server.uri());
    let options = RequestOptions::default();
    for m in [reqwest::Method::POST, reqwest::Method::PATCH] {
        let err = call(&client, m, "x", &options).await.expect_err("503");
        assert!(matches!(&err, Error::Api(e) if e.status == 503), "{err:?}");
    }
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        2
    );
    // PUT is idempotent: 1 + 2 retries.
    call(&client, reqwest::Method::PUT, "x", &options)
        .await
        .expect_err("503");
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        2 + 3
    );
}

#[tokio::test]
async fn per_request_setters_reach_the_request() {
    let server = always(503).await;
    let client = fast_client(server.uri());
    // A builder as the emitter writes one: a `Request` of the operation's parameters.
    let upload = request::Request::new(&client, ())
        .max_retries(4)
        .timeout(Duration::from_secs(5))
        .total_timeout(Duration::from_secs(20))
        .max_response_bytes(1024)
        .header("Idempotency-Key", "k-1")
        .query("dry_run", "true");
    call(&client, reqwest::Method::PUT, "x", &upload.options)
        .await
        .expect_err("503");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 5, "1 + max_retries(4)");
    assert_eq!(requests[0].headers["idempotency-key"], "k-1");
    assert_eq!(requests[0].url.query(), Some("dry_run=true"));
    let shown = format!("{:?}", upload.options);
    assert!(
        shown.contains("Idempotency-Key") && !shown.contains("k-1"),
        "header values are not printed: {shown}"
    );
    assert!(
        shown.contains("total_timeout: Some(20s)")
            && shown.contains("max_response_bytes: Some(1024)"),
        "{shown}"
    );
}

#[test]
fn param_values_have_their_wire_form() {
    use chrono::TimeZone;
    let at = chrono::Utc
        .with_ymd_and_hms(2023, 11, 7, 5, 31, 56)
        .single()
        .expect("valid");
    assert_eq!(at.to_param(), "2023-11-07T05:31:56Z");
    assert_eq!(true.to_param(), "true");
    assert_eq!((-5i64).to_param(), "-5");
    assert_eq!(1.5f64.to_param(), "1.5");
    let date = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).expect("valid");
    assert_eq!(date.to_param(), "2024-02-29");
}

#[test]
fn query_styles_spell_values_as_openapi_says() {
    use params::{Query, Style};
    #[derive(serde::Serialize)]
    struct Filter {
        status: &'static str,
        tags: Vec<&'static str>,
        created: std::collections::BTreeMap<&'static str, i64>,
    }
    let filter = Filter {
        status: "open",
        tags: vec!["a", "b"],
        created: [("gt", 5)].into(),
    };
    let ids = [1i64, 2, 3];
    let mut query = Query::default();
    query
        .push_value("filter", &filter, Style::DeepObject)
        .unwrap();
    query.push_value("filter", &filter, Style::Form).unwrap();
    query.push_joined("ids", &ids, ",");
    query.push_joined("ids", &ids, "|");
    query.push_value("j", &filter.tags, Style::Json).unwrap();
    let text: Vec<String> = query
        .pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    assert_eq!(
        text,
        [
            "filter[status]=open",
            "filter[tags][]=a",
            "filter[tags][]=b",
            "filter[created][gt]=5",
            "status=open",
            "tags=a",
            "tags=b",
            r#"created={"gt":5}"#,
            "ids=1,2,3",
            "ids=1|2|3",
            r#"j=["a","b"]"#,
        ]
    );
}

#[test]
fn form_bodies_repeat_lists_and_nest_objects() {
    let body = serde_json::json!({"To": "+15551234567", "Body": "hi & bye", "MediaUrl": ["u1", "u2"], "meta": {"k": "v"}, "skip": null});
    let text = params::form_body(&body).unwrap();
    assert_eq!(
        text,
        "To=%2B15551234567&Body=hi+%26+bye&MediaUrl=u1&MediaUrl=u2&meta%5Bk%5D=v"
    );
    assert!(
        params::form_body(&vec![1]).is_err(),
        "a form body must be an object"
    );
}

#[test]
fn multipart_bodies_are_well_formed() {
    let form = multipart::Multipart::new()
        .text("note", "a \"quoted\"\r\nname")
        .file(
            "file",
            "report.pdf",
            "application/pdf",
            b"%PDF-1.7 bytes".to_vec(),
        );
    let (content_type, body) = form.encode();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("boundary");
    let text = String::from_utf8(body).expect("utf-8 here");
    assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\na \"quoted\"\r\nname\r\n")), "{text}");
    assert!(text.contains("name=\"file\"; filename=\"report.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 bytes\r\n"), "{text}");
    assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    assert_eq!(
        format!("{form:?}"),
        r#"Multipart { parts: [("note", 16), ("file", 14)] }"#
    );
}

#[tokio::test]
async fn each_kind_of_credential_goes_where_the_scheme_says() {
    use client::Auth;
    let server = always(200).await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("Aladdin", "open sesame")
        .api_key("k-123")
        .build()
        .expect("builds");
    let options = RequestOptions::default();
    let schemes: [&[Auth]; 5] = [
        &[Auth::Basic],
        &[Auth::ApiKeyHeader("X-Api-Key")],
        &[Auth::ApiKeyQuery("hapikey")],
        &[Auth::ApiKeyCookie("session")],
        // The client holds no bearer token, so the next accepted credential is used.
        &[Auth::Bearer, Auth::ApiKeyHeader("X-Api-Key")],
    ];
    for auth in schemes {
        let operation = FileRequest {
            client: &client,
            method: reqwest::Method::GET,
            name: "x".to_owned(),
            auth,
            options: &options,
        };
        client
            .send_json::<serde_json::Value, serde_json::Value>(&operation, &options)
            .await
            .expect("ok");
    }
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(
        requests[0].headers["authorization"],
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
    assert_eq!(requests[1].headers["x-api-key"], "k-123");
    assert_eq!(requests[2].url.query(), Some("hapikey=k-123"));
    assert_eq!(requests[3].headers["cookie"], "session=k-123");
    assert_eq!(requests[4].headers["x-api-key"], "k-123");
    assert!(!requests[4].headers.contains_key("authorization"));
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("k-123") && !shown.contains("QWxh") && !shown.contains("sesame"),
        "{shown}"
    );
}

#[test]
fn double_options_tell_absent_from_null() {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "params::double_option"
        )]
        email: Option<Option<String>>,
    }
    let cases = [
        (Patch { email: None }, "{}"),
        (Patch { email: Some(None) }, r#"{"email":null}"#),
        (
            Patch {
                email: Some(Some("a@b.c".into())),
            },
            r#"{"email":"a@b.c"}"#,
        ),
    ];
    for (patch, json) in cases {
        assert_eq!(serde_json::to_string(&patch).unwrap(), json);
        assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
    }
}

#[test]
fn api_errors_show_the_servers_own_message() {
    let shown = |body: &str| {
        error::ApiError::<serde_json::Value>::new(
            reqwest::StatusCode::BAD_REQUEST,
            reqwest::header::HeaderMap::new(),
            body.as_bytes(),
            false,
        )
        .to_string()
    };
    assert_eq!(
        shown(r#"{"error": {"message": "Invalid model", "type": "invalid_request_error"}}"#),
        "the server answered 400 Bad Request: Invalid model"
    );
    assert_eq!(
        shown(r#"{"errors": [{"detail": "name is required"}], "request_id": "r-1"}"#),
        "the server answered 400 Bad Request: name is required (correlation id r-1)"
    );
    assert_eq!(
        shown(r#"{"title": "Bad", "detail": "Too many\nlines"}"#),
        "the server answered 400 Bad Request: Too many lines"
    );
    assert_eq!(
        shown("plain text"),
        "the server answered 400 Bad Request: plain text"
    );
    assert_eq!(shown(""), "the server answered 400 Bad Request");
}

#[test]
fn rate_limits_are_read_from_every_common_header_family() {
    let read = |pairs: &[(&'static str, &str)]| {
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().unwrap());
        }
        RateLimit::from_headers(&headers)
    };
    let ietf = read(&[
        ("ratelimit", "\"default\";r=50;t=30"),
        ("ratelimit-policy", "\"default\";q=100;w=60"),
    ]);
    assert_eq!(
        (ietf.limit, ietf.remaining, ietf.reset, ietf.window),
        (
            Some(100),
            Some(50),
            Some(Duration::from_secs(30)),
            Some(Duration::from_secs(60))
        )
    );
    let draft = read(&[
        ("ratelimit-limit", "10"),
        ("ratelimit-remaining", "9"),
        ("ratelimit-reset", "5"),
    ]);
    assert_eq!(
        (draft.limit, draft.remaining, draft.reset),
        (Some(10), Some(9), Some(Duration::from_secs(5)))
    );
    // GitHub: X-RateLimit-Reset is a Unix time.
    let in_a_minute = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 60;
    let github = read(&[
        ("x-ratelimit-limit", "5000"),
        ("x-ratelimit-remaining", "4999"),
        ("x-ratelimit-reset", &in_a_minute.to_string()),
    ]);
    assert_eq!((github.limit, github.remaining), (Some(5000), Some(4999)));
    let reset = github.reset.unwrap();
    assert!(
        reset <= Duration::from_secs(60) && reset >= Duration::from_secs(58),
        "{reset:?}"
    );
    let hubspot = read(&[
        ("x-hubspot-ratelimit-max", "190"),
        ("x-hubspot-ratelimit-remaining", "189"),
        ("x-hubspot-ratelimit-interval-milliseconds", "10000"),
        ("x-hubspot-ratelimit-daily", "1000000"),
        ("x-hubspot-ratelimit-daily-remaining", "999999"),
    ]);
    assert_eq!(
        (
            hubspot.limit,
            hubspot.remaining,
            hubspot.window,
            hubspot.daily_limit,
            hubspot.daily_remaining
        ),
        (
            Some(190),
            Some(189),
            Some(Duration::from_secs(10)),
            Some(1_000_000),
            Some(999_999)
        )
    );
    assert_eq!(read(&[]), RateLimit::default());
}

#[test]
fn base64_round_trips_and_refuses_what_is_not_base64() {
    use base64::Base64;
    for bytes in [&b""[..], b"h", b"hi", b"hi!", &[0xff, 0xfe, 0x00, 0x10]] {
        let encoded = serde_json::to_string(&Base64(bytes.to_vec())).unwrap();
        let decoded: Base64 = serde_json::from_str(&encoded).unwrap();
        assert_eq!(decoded.0, bytes, "{encoded}");
    }
    assert_eq!(Base64(b"hi".to_vec()).encode(), "aGk=");
    assert_eq!(
        Base64::decode("aGk").unwrap().0,
        b"hi",
        "padding is optional"
    );
    assert_eq!(
        Base64::decode("__8").unwrap().0,
        [0xff, 0xff],
        "URL-safe alphabet"
    );
    assert!(serde_json::from_str::<Base64>("\"not base64!\"").is_err());
    assert!(Base64::decode("a").is_none());
}

// Paging helpers (paging.rs); the streams themselves are tested on generated crates in
// tests/paging.rs.
#[test]
fn finds_the_next_link_among_others() {
    let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
    assert_eq!(
        paging::rel_next(github),
        Some("https://api.github.com/repositories/1/issues?page=2")
    );
    let reversed = r#"</items?page=1>; rel="prev first", </items?a=1,2&page=3>; rel="next""#;
    assert_eq!(paging::rel_next(reversed), Some("/items?a=1,2&page=3"));
    assert_eq!(paging::rel_next(r#"</x>; rel=NEXT"#), Some("/x"));
    assert_eq!(paging::rel_next(r#"</x>; rel="last""#), None);
    assert_eq!(paging::rel_next("<broken"), None);
    assert_eq!(paging::rel_next(""), None);
}

#[test]
fn offsets_and_pages_stop_at_short_or_empty_pages() {
    assert_eq!(paging::next_offset(None, Some(10), 10), Some(10));
    assert_eq!(paging::next_offset(Some(10), Some(10), 3), None);
    assert_eq!(paging::next_offset(Some(10), None, 3), Some(13));
    assert_eq!(paging::next_offset(Some(10), None, 0), None);
    assert_eq!(paging::next_offset(Some(i64::MAX), None, 1), None);
    assert_eq!(paging::next_page(None, Some(2), 2, 1), Some(2));
    assert_eq!(paging::next_page(None, None, 5, 0), Some(1));
    assert_eq!(paging::next_page(Some(4), Some(2), 1, 1), None);
    assert_eq!(paging::next_page(Some(4), None, 0, 1), None);
}

#[test]
fn an_empty_cursor_ends_the_list() {
    assert_eq!(paging::cursor(Some(&String::new())), None);
    assert_eq!(paging::cursor::<String>(None), None);
    assert_eq!(
        paging::cursor(Some(&"abc".to_owned())),
        Some(("abc".to_owned(), "abc".to_owned()))
    );
    assert_eq!(paging::cursor(Some(&42_i64)), Some((42, "42".to_owned())));
}

/// The path template each operation names: every `{}` filled in order, a parameter in part
/// of a segment (`{}:cancel`) checked with its segment, literal segments (an empty one too)
/// kept as the spec has them, and no value that would change the route sent.
#[test]
fn a_path_template_is_filled_segment_by_segment() {
    use std::borrow::Cow;
    let client = Client::builder()
        .base_url("http://127.0.0.1:1/api/")
        .build()
        .unwrap();
    let options = RequestOptions::default();
    let path = |template: &str, values: &[&str]| {
        let values: Vec<Cow<'_, str>> = values.iter().map(|v| Cow::Borrowed(*v)).collect();
        client
            .build(
                reqwest::Method::GET,
                template,
                &values,
                &params::Query::default(),
                &[],
                &options,
            )
            .map(|r| r.build().unwrap().url().path().to_owned())
            .map_err(|e| e.0)
    };
    assert_eq!(
        path("/v1/{}/jobs/{}:cancel", &["a b", "7"]).unwrap(),
        "/api/v1/a%20b/jobs/7:cancel"
    );
    assert_eq!(path("/a}/{}.{}", &["x", "y"]).unwrap(), "/api/a%7D/x.y");
    assert_eq!(path("/", &[]).unwrap(), "/api/");
    assert_eq!(path("/items//{}", &["1"]).unwrap(), "/api/items//1");
    assert_eq!(path("/files/{}", &["a/b"]).unwrap(), "/api/files/a%2Fb");
    for refused in ["", ".", "..", "..;x"] {
        let e = path("/files/{}", &[refused]).expect_err(refused);
        assert!(e.contains("cannot be sent as a path segment"), "{e}");
    }
    // Part of a segment: the whole segment is what is checked.
    assert!(path("/files/{}{}", &[".", "."]).is_err());
    assert_eq!(path("/files/{}.json", &["."]).unwrap(), "/api/files/..json");
}

#[test]
fn every_api_of_a_crate_has_its_base_url() {
    let query = params::Query::default();
    let options = RequestOptions::default();
    // The second API's own server; the first names none, so it cannot send.
    let client = Client::builder().build().unwrap();
    assert_eq!(client.base_url(), None);
    assert!(client.url(&["x"], &query, &options).is_err());
    let second = client.for_api(1);
    let url = second.url(&["x"], &query, &options).unwrap();
    assert_eq!(url.as_str(), "https://second.example/v2/x");
    // `base_url` sets every API's; `base_url_for` one API's, over it.
    let client = Client::builder()
        .base_url("http://127.0.0.1:1/api")
        .base_url_for("second", "http://127.0.0.1:2/")
        .build()
        .unwrap();
    let first = client.url(&["x"], &query, &options).unwrap();
    assert_eq!(first.as_str(), "http://127.0.0.1:1/api/x");
    let url = client.for_api(1).url(&["x"], &query, &options).unwrap();
    assert_eq!(url.as_str(), "http://127.0.0.1:2/x");
    assert!(matches!(
        Client::builder().base_url_for("third", "http://x/").build(),
        Err(error::BuildError::UnknownApi(name)) if name == "third"
    ));
}

#[test]
fn tolerant_fields_read_numbers_as_text_and_numeric_text_as_numbers() {
    #[derive(serde::Deserialize, Debug)]
    struct Thread {
        #[serde(deserialize_with = "params::tolerant")]
        app: String,
        #[serde(default, deserialize_with = "params::tolerant_option")]
        score: Option<f64>,
        #[serde(default, deserialize_with = "params::tolerant_option")]
        count: Option<i64>,
    }
    let read = |json: &str| serde_json::from_str::<Thread>(json);
    let t = read(r#"{"app":12345,"score":"0.5","count":" 7 "}"#).unwrap();
    assert_eq!(
        (t.app.as_str(), t.score, t.count),
        ("12345", Some(0.5), Some(7))
    );
    let t = read(r#"{"app":true,"score":null}"#).unwrap();
    assert_eq!((t.app.as_str(), t.score, t.count), ("true", None, None));
    let t = read(r#"{"app":"as documented","score":1.5,"count":2}"#).unwrap();
    assert_eq!((t.score, t.count), (Some(1.5), Some(2)));
    assert!(
        read(r#"{"app":{}}"#)
            .unwrap_err()
            .to_string()
            .contains("expected a string")
    );
    assert!(read(r#"{"app":"a","count":"seven"}"#).is_err());
    assert!(read(r#"{"app":"a","count":1.5}"#).is_err());
}

#[test]
fn tagged_union_variants_write_their_tag_beside_their_fields() {
    #[derive(serde::Serialize)]
    struct Attaching {
        instance: &'static str,
    }
    let with_fields = params::tagged(
        serde_json::value::Serializer,
        "state",
        "attaching",
        Some(&Attaching { instance: "i-1" }),
    );
    assert_eq!(
        with_fields.unwrap(),
        serde_json::json!({"state": "attaching", "instance": "i-1"})
    );
    let unit = params::tagged::<_, ()>(serde_json::value::Serializer, "state", "creating", None);
    assert_eq!(unit.unwrap(), serde_json::json!({"state": "creating"}));
    let not_an_object = params::tagged(serde_json::value::Serializer, "state", "x", Some(&5));
    assert!(not_an_object.is_err());
}

/// A struct as the emitter writes one read through `params::FromMap`, and the same shape
/// with serde's derive: both read every document alike (what serde's derive accepts and
/// rejects is the behaviour the generated crates had before).
mod by_field {
    use super::params;

    #[derive(Debug, PartialEq)]
    pub struct Thread {
        pub id: String,
        pub count: i64,
        pub status: Option<String>,
        pub closed_at: Option<String>,
        pub assigned_to: Option<Option<String>>,
    }
    impl<'de> serde::Deserialize<'de> for Thread {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            params::read_struct(
                deserializer,
                "Thread",
                &["id", "count", "status", "closedAt", "assignedTo"],
            )
        }
    }
    impl<'de> params::FromMap<'de> for Thread {
        fn from_map<A: serde::de::MapAccess<'de>>(
            mut map: params::Fields<A>,
        ) -> Result<Self, A::Error> {
            let mut f_id = None;
            let mut f_count = None;
            let mut f_status = None;
            let mut f_closed_at = None;
            let mut f_assigned_to = None;
            while let Some(key) = map.key()? {
                match key {
                    Some("id") => map.value(&mut f_id),
                    Some("count") => map.value(&mut f_count),
                    Some("status") => map.value(&mut f_status),
                    Some("closedAt") => map.value(&mut f_closed_at),
                    Some("assignedTo") => map.value(&mut f_assigned_to),
                    _ => map.skip(),
                }?;
            }
            Ok(Self {
                id: map.required(f_id, "id")?,
                count: map.required(f_count, "count")?,
                status: f_status.flatten(),
                closed_at: f_closed_at.flatten(),
                assigned_to: f_assigned_to,
            })
        }
    }

    /// The same shape as serde's derive reads it (`status` optional, `closedAt` required
    /// but nullable, `assignedTo` a double option), as the emitter wrote it before.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Derived {
        pub id: String,
        pub count: i64,
        #[serde(default)]
        pub status: Option<String>,
        pub closed_at: Option<String>,
        #[serde(default, deserialize_with = "params::double_option")]
        pub assigned_to: Option<Option<String>>,
    }
}

#[test]
fn structs_read_by_field_read_what_serdes_derive_reads() {
    use by_field::{Derived, Thread};
    let same = |json: &str| {
        let ours = serde_json::from_str::<Thread>(json)
            .map(|t| (t.id, t.count, t.status, t.closed_at, t.assigned_to));
        let derived = serde_json::from_str::<Derived>(json)
            .map(|t| (t.id, t.count, t.status, t.closed_at, t.assigned_to));
        match (&ours, &derived) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{json}"),
            // (The two test types' names differ; the generated struct has one name.)
            (Err(a), Err(b)) => assert_eq!(
                a.to_string(),
                b.to_string().replace("struct Derived", "struct Thread"),
                "{json}"
            ),
            _ => panic!("{json}: ours {ours:?}, derived {derived:?}"),
        }
        ours
    };
    let full =
        same(r#"{"id": "7", "count": 2, "status": "OPEN", "closedAt": "x", "assignedTo": "ann"}"#)
            .unwrap();
    assert_eq!(full.4, Some(Some("ann".to_owned())));
    // Absent optional, absent nullable, absent double option; unknown keys of any shape.
    let sparse =
        same(r#"{"extra": {"deep": [1, {"x": null}]}, "id": "7", "count": 2, "more": 1}"#).unwrap();
    assert_eq!((sparse.2, sparse.3, sparse.4), (None, None, None));
    // `null` everywhere it may be: the double option tells it from absent.
    let nulls =
        same(r#"{"id": "7", "count": 2, "status": null, "closedAt": null, "assignedTo": null}"#)
            .unwrap();
    assert_eq!(nulls.4, Some(None));
    // Errors: the same messages, with the same lines and columns.
    for json in [
        r#"{"id": "7"}"#,
        r#"{"count": 2}"#,
        r#"{"id": "7", "count": "two"}"#,
        r#"{"id": "7", "id": "8", "count": 2}"#,
        r#"{"id": "7", "count": 2, "assignedTo": 5}"#,
        r#""a thread""#,
        r#"null"#,
        r#"{"id": "7", "count": 2"#,
    ] {
        assert!(same(json).is_err(), "{json}");
    }
    // One difference, on purpose: serde's derive also reads a struct from a JSON array of
    // its fields in order; no API sends that, and `from_map` reads objects only.
    let array = r#"["7", 2, null, null, null]"#;
    assert!(serde_json::from_str::<Derived>(array).is_ok());
    let err = serde_json::from_str::<Thread>(array)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "invalid type: sequence, expected struct Thread at line 1 column 0"
    );
}

/// A page of the shapes decode errors are found in: nested objects, arrays of objects,
/// arrays of scalars, optional objects, and a struct read through `FromMap`.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code, reason = "only decoding is tested")]
struct Page {
    results: Vec<Item>,
    paging: Option<Paging>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code, reason = "only decoding is tested")]
struct Item {
    id: String,
    tags: Vec<i64>,
    thread: Option<by_field::Thread>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code, reason = "only decoding is tested")]
struct Paging {
    next: Next,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code, reason = "only decoding is tested")]
struct Next {
    after: String,
}

#[test]
fn decode_errors_are_located_as_serde_path_to_error_locates_them() {
    let thread = r#"{"id": "7", "count": 2}"#;
    let documents = [
        // A wrong type: in an array of objects, in an array of scalars, deep in objects.
        r#"{"results": [{"id": "a", "tags": []}, {"id": 5, "tags": []}]}"#.to_owned(),
        r#"{"results": [{"id": "a", "tags": [1, 2, "three"]}]}"#.to_owned(),
        r#"{"results": [], "paging": {"next": {"after": 42}}}"#.to_owned(),
        // A wrong type where an object or array belongs.
        r#"{"results": {"id": "a"}}"#.to_owned(),
        r#"{"results": [], "paging": {"next": [1]}}"#.to_owned(),
        // Missing fields: at the top, in an array's object, nested, in an empty object.
        r#"{"paging": null}"#.to_owned(),
        r#"{"results": [{"id": "a", "tags": []}, {"id": "b"}]}"#.to_owned(),
        r#"{"results": [], "paging": {"next": {}}}"#.to_owned(),
        // In a struct read through `FromMap`: a wrong type, a missing and a repeated field.
        r#"{"results": [{"id": "a", "tags": [], "thread": {"id": "7", "count": "2"}}]}"#.to_owned(),
        r#"{"results": [{"id": "a", "tags": [], "thread": {"id": "7"}}]}"#.to_owned(),
        r#"{"results": [{"id": "a", "tags": [], "thread": {"id": "7", "id": "8", "count": 1}}]}"#.to_owned(),
        // Unknown keys with nested values, escapes in keys and strings, several lines.
        "{\"x\\\"y\": {\"a\": [1, {\"b\": \"]}\"}]},\n  \"results\": [\n    {\"id\": \"a\\\"b\", \"tags\": [true]}\n  ]\n}".to_owned(),
        format!(r#"{{"results": [{{"id": "a", "tags": [], "thread": {thread}, "x": 1}}, {{"id": null, "tags": []}}]}}"#),
        // Broken JSON, trailing bytes, the wrong top-level type.
        r#"{"results": [{"id": "a", "tags": [1, 2"#.to_owned(),
        r#"{"results": [], "paging": {"next": {"after": "x""#.to_owned(),
        r#"{"results": [{"id": "a", "tags": [1,"#.to_owned(),
        r#"{"results": [{"id": "a", "tags": ["#.to_owned(),
        r#"{"results": [{"id": "a", "tags": [], "thread": {"id": "#.to_owned(),
        r#"{"results": [{"id": "a", "tags": [], "thread": {"id": "7"#.to_owned(),
        r#"{"results": [{"id": "a", "tags": [], "thread": tru"#.to_owned(),
        r#"{"results": [{"id": "a", "tags": [1, 2x]}]}"#.to_owned(),
        r#"{"results": [{"id" "a"}]}"#.to_owned(),
        r#"{"results": []} x"#.to_owned(),
        r#"[{"results": []}]"#.to_owned(),
        r#""page""#.to_owned(),
    ];
    for document in &documents {
        let body = document.as_bytes();
        let Err(error) = serde_json::from_slice::<Page>(body) else {
            panic!("{document} decoded");
        };
        let ours = error::DecodeError::new(reqwest::StatusCode::OK, error, body);
        let mut de = serde_json::Deserializer::from_slice(body);
        let tracked = serde_path_to_error::deserialize::<_, Page>(&mut de)
            .err()
            .map_or_else(|| ".".to_owned(), |e| e.path().to_string());
        // One difference: where JSON breaks off inside an object, the wrapper adds a `?`
        // segment for the key it did not get to read.
        let expected = tracked.strip_suffix(".?").unwrap_or(&tracked);
        assert_eq!(ours.path, expected, "{document}: {}", ours.message);
    }
}

/// The parameters of a download, as the emitter writes an operation's.
#[derive(Clone)]
struct Download {
    name: &'static str,
}

impl client::Operation for request::Request<Download> {
    type Error = serde_json::Value;

    fn request(&self) -> Result<reqwest::RequestBuilder, Error> {
        let segment = client::path_segment(self.params.name)?.to_owned();
        let url = self.client.url(
            &["files", &segment],
            &params::Query::default(),
            &self.options,
        )?;
        Ok(self
            .client
            .prepare(reqwest::Method::GET, url, &[], &self.options)?)
    }

    fn route(&self) -> trace::Route {
        trace::Route {
            name: "download",
            method: "GET",
            template: "/files/{name}",
        }
    }
}

#[tokio::test]
async fn a_request_builder_streams_a_body_and_sends_its_options() {
    use futures_util::StreamExt as _;
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/files/a%20b"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![7u8; 100_000]))
        .mount(&server)
        .await;
    let client = fast_client(server.uri());
    let download =
        request::Request::new(&client, Download { name: "a b" }).header("x-trace", "t-1");
    let response = request::stream(download).await.expect("200");
    let mut body = response.into_body();
    let mut read = Vec::new();
    while let Some(chunk) = body.next().await {
        read.extend_from_slice(&chunk.expect("chunk"));
    }
    assert_eq!(read, vec![7u8; 100_000]);
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers["x-trace"], "t-1");
}

#[test]
fn an_optional_field_is_left_out_when_none() {
    struct Pet {
        name: String,
        tag: Option<String>,
        cleared: Option<Option<i64>>,
    }
    impl serde::Serialize for Pet {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut out = params::WriteStruct::new(serializer, "Pet", 3);
            out.field("name", &self.name);
            out.optional("tag", &self.tag);
            out.optional("cleared", &self.cleared);
            out.end()
        }
    }
    let pet = |tag: Option<&str>, cleared| Pet {
        name: "Rex".into(),
        tag: tag.map(str::to_owned),
        cleared,
    };
    let json = |p: &Pet| serde_json::to_string(p).expect("serializes");
    assert_eq!(json(&pet(None, None)), r#"{"name":"Rex"}"#);
    assert_eq!(
        json(&pet(Some("a"), Some(None))),
        r#"{"name":"Rex","tag":"a","cleared":null}"#
    );
    assert_eq!(
        json(&pet(None, Some(Some(3)))),
        r#"{"name":"Rex","cleared":3}"#
    );
}

/// A field's error is the struct's: the fields after it are not written and `end` returns
/// the first error, as the `?` after each field did.
#[test]
fn a_field_that_fails_to_write_fails_the_struct() {
    struct Fails;
    impl serde::Serialize for Fails {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("first failure"))
        }
    }
    struct Later;
    impl serde::Serialize for Later {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("written after a failure"))
        }
    }
    struct Order {
        a: i64,
        b: Fails,
        c: Option<Later>,
    }
    impl serde::Serialize for Order {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut out = params::WriteStruct::new(serializer, "Order", 3);
            out.field("a", &self.a);
            out.field("b", &self.b);
            out.optional("c", &self.c);
            out.end()
        }
    }
    let order = Order {
        a: 1,
        b: Fails,
        c: Some(Later),
    };
    let e = serde_json::to_string(&order).expect_err("a field fails");
    assert_eq!(e.to_string(), "first failure");
}

/// A string enum as the emitter writes one, beside types named like the std ones its
/// comparisons use (schemas can be named `Option` or `Ord`).
mod wire_enum {
    #![allow(dead_code, reason = "the names only have to be there")]
    pub struct Option;
    pub struct Ord;
    pub struct PartialEq;
    pub struct Hash;
    pub struct Ordering;

    #[derive(Debug, Clone)]
    pub enum Level {
        Low,
        High,
        Unknown(String),
    }

    crate::params::by_wire_value!(Level);

    impl Level {
        pub fn as_str(&self) -> &str {
            match self {
                Self::Low => "low",
                Self::High => "high",
                Self::Unknown(value) => value,
            }
        }
    }
}

#[test]
fn string_enums_compare_hash_and_sort_by_their_wire_value() {
    use wire_enum::Level;
    // A value kept as unknown is the variant a later version names it by.
    assert_eq!(Level::Low, Level::Unknown("low".to_owned()));
    assert_ne!(Level::Low, Level::High);
    assert_ne!(
        Level::Unknown("a".to_owned()),
        Level::Unknown("b".to_owned())
    );
    let mut levels = [Level::Low, Level::Unknown("medium".to_owned()), Level::High];
    levels.sort();
    let order: Vec<&str> = levels.iter().map(Level::as_str).collect();
    assert_eq!(order, ["high", "low", "medium"]);
    let set: std::collections::HashSet<Level> = [Level::High, Level::Unknown("high".to_owned())]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 1);
    assert_eq!(
        Level::Low.partial_cmp(&Level::High),
        Some(std::cmp::Ordering::Greater)
    );
}

//! OAuth2 tokens in the generated client (`hubspot-conversations`, whose description has an
//! `oauth2` scheme), against a local token endpoint that expires tokens and rotates refresh
//! tokens, and a local API that answers 401 to a stale token.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use hubspot_conversations::{Client, Error, OAuth2, Token, TokenError, TokenSource};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN_PATH: &str = "/oauth/v1/token";

/// HubSpot's example thread.
const THREAD: &str = r#"{"associatedContactId":"c","threadAssociations":{"associatedTicketId":"t"},
"assignedTo":"a","createdAt":"2023-11-07T05:31:56Z","archived":true,"originalChannelId":"o",
"latestMessageTimestamp":"2023-11-07T05:31:56Z","latestMessageSentTimestamp":"2023-11-07T05:31:56Z",
"originalChannelAccountId":"x","id":"1","closedAt":"2023-11-07T05:31:56Z","spam":true,"inboxId":"i",
"status":"OPEN","latestMessageReceivedTimestamp":"2023-11-07T05:31:56Z"}"#;

fn token(access: &str, expires_in: u64, refresh: Option<&str>) -> ResponseTemplate {
    let mut body = serde_json::json!({"access_token": access, "token_type": "bearer", "expires_in": expires_in});
    if let Some(refresh) = refresh {
        body["refresh_token"] = refresh.into();
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn thread() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(THREAD.as_bytes().to_vec(), "application/json")
}

async fn hits(server: &MockServer, at: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == at)
        .count()
}

fn client_with(server: &MockServer, oauth: OAuth2) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token_source(oauth.token_url(format!("{}{TOKEN_PATH}", server.uri())))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_refresh_token_becomes_access_tokens_and_its_rotation_is_handed_over() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=r1"))
        .and(body_string_contains("client_id=id"))
        .and(body_string_contains("client_secret=secret"))
        .respond_with(token("a1", 1800, Some("r2")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer a1"))
        .respond_with(thread())
        .mount(&server)
        .await;
    let rotated = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&rotated);
    let oauth = OAuth2::refresh_token("id", "secret", "r1")
        .on_refresh_token(move |new| seen.lock().unwrap().push(new.to_owned()));
    let client = client_with(&server, oauth);
    for _ in 0..3 {
        client.get_thread(1).send().await.unwrap();
    }
    assert_eq!(hits(&server, TOKEN_PATH).await, 1, "a good token is reused");
    assert_eq!(*rotated.lock().unwrap(), ["r2"]);
}

#[tokio::test]
async fn fifty_concurrent_calls_across_an_expiry_make_exactly_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("short", 1, Some("r2")).set_delay(Duration::from_millis(50)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(thread())
        .mount(&server)
        .await;
    let client = client_with(&server, OAuth2::refresh_token("id", "secret", "r1"));
    client.get_thread(1).send().await.unwrap();
    assert_eq!(hits(&server, TOKEN_PATH).await, 1);
    // The token lives 1 s (renewed 0.1 s early): all 50 find it expired.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let calls = (0..50).map(|i| {
        let client = client.clone();
        tokio::spawn(async move { client.get_thread(i).send().await.map(|_| ()) })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(
        hits(&server, TOKEN_PATH).await,
        2,
        "one renewal served all 50 waiting calls"
    );
    assert_eq!(
        hits(&server, "/conversations/v3/conversations/threads/7").await,
        1
    );
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_sends_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("revoked", 3600, None))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("fresh", 3600, None))
        .mount(&server)
        .await;
    // What HubSpot answers to an expired token.
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer revoked"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"status":"error","message":"The OAuth token used to make this call expired 12 second(s) ago.","category":"EXPIRED_AUTHENTICATION"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer fresh"))
        .respond_with(thread())
        .mount(&server)
        .await;
    let client = client_with(&server, OAuth2::refresh_token("id", "secret", "r1"));
    client.get_thread(1).max_retries(0).send().await.unwrap();
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
}

#[tokio::test]
async fn a_second_401_is_the_answer_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("never-good", 3600, None))
        .mount(&server)
        .await;
    // RFC 6750's challenge for a token that is no good.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("www-authenticate", r#"Bearer error="invalid_token""#),
        )
        .mount(&server)
        .await;
    let client = client_with(&server, OAuth2::refresh_token("id", "secret", "r1"));
    let error = client.get_thread(1).send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
    assert_eq!(
        hits(&server, "/conversations/v3/conversations/threads/1").await,
        2
    );
}

#[tokio::test]
async fn a_refused_refresh_is_a_typed_error_and_nothing_reaches_the_api() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": "invalid_grant"})),
        )
        .mount(&server)
        .await;
    let client = client_with(&server, OAuth2::refresh_token("id", "secret", "revoked"));
    let error = client.get_thread(1).send().await.unwrap_err();
    match error {
        Error::Auth(e) => match *e {
            TokenError::Rejected { status, error } => {
                assert_eq!(status.as_u16(), 400);
                assert_eq!(error, "invalid_grant");
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(hits(&server, TOKEN_PATH).await, 1, "tried once, no loop");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn client_credentials_ask_for_their_scopes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("scope=conversations.read+tickets"))
        .respond_with(token("cc", 3600, None))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer cc"))
        .respond_with(thread())
        .mount(&server)
        .await;
    let oauth = OAuth2::client_credentials("id", "secret", ["conversations.read", "tickets"]);
    client_with(&server, oauth)
        .get_thread(1)
        .send()
        .await
        .unwrap();
}

/// An application's own source of tokens.
struct Vault(AtomicUsize);

impl TokenSource for Vault {
    fn token<'a>(
        &'a self,
        _: &'a hubspot_conversations::reqwest::Client,
    ) -> Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(Token::new(format!("vault-{n}"), None)) })
    }
}

/// A 401 that does not say the token is no good (a missing scope) is the answer: no
/// token request per refused call.
#[tokio::test]
async fn a_401_for_another_reason_renews_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("good", 3600, None))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"status":"error","message":"This app hasn't been granted all required scopes.","category":"MISSING_SCOPES"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = client_with(&server, OAuth2::refresh_token("id", "secret", "r1"));
    for _ in 0..3 {
        let error = client.get_thread(1).send().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
        assert!(format!("{error}").contains("401"), "{error}");
    }
    assert_eq!(hits(&server, TOKEN_PATH).await, 1);
    assert_eq!(
        hits(&server, "/conversations/v3/conversations/threads/1").await,
        3
    );
}

/// A token whose lifetime nobody said ends when the API answers 401, whatever it says.
#[tokio::test]
async fn a_token_of_unknown_lifetime_is_renewed_on_any_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer vault-0"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer vault-1"))
        .respond_with(thread())
        .mount(&server)
        .await;
    let vault = Arc::new(AtomicUsize::new(0));
    let client = Client::builder()
        .base_url(server.uri())
        .token_source(SharedVault(vault.clone()))
        .build()
        .unwrap();
    client.get_thread(1).max_retries(0).send().await.unwrap();
    assert_eq!(vault.load(Ordering::SeqCst), 2);
}

struct SharedVault(Arc<AtomicUsize>);

impl TokenSource for SharedVault {
    fn token<'a>(
        &'a self,
        _: &'a hubspot_conversations::reqwest::Client,
    ) -> Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(Token::new(format!("vault-{n}"), None)) })
    }
}

#[tokio::test]
async fn any_token_source_works_and_secrets_stay_out_of_debug() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer vault-0"))
        .respond_with(thread())
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .token_source(Vault(AtomicUsize::new(0)))
        .build()
        .unwrap();
    client.get_thread(1).send().await.unwrap();
    client.get_thread(2).send().await.unwrap();

    let oauth = OAuth2::refresh_token("id", "client-secret-x", "refresh-secret-y");
    let shown = format!("{oauth:?} {:?}", Token::new("access-secret-z", None));
    for secret in ["client-secret-x", "refresh-secret-y", "access-secret-z"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn the_install_flow_authorize_url_and_code_exchange() {
    let url = hubspot_conversations::authorize_url(
        None,
        "my-app",
        "https://example.com/back",
        &["conversations.read"],
        "xyz",
    )
    .unwrap();
    assert_eq!(
        url.as_str(),
        "https://app.hubspot.com/oauth/authorize?response_type=code&client_id=my-app&redirect_uri=https%3A%2F%2Fexample.com%2Fback&scope=conversations.read&state=xyz"
    );
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=the-code"))
        .respond_with(token("first", 1800, Some("keep-me")))
        .mount(&server)
        .await;
    let token_url = format!("{}{TOKEN_PATH}", server.uri());
    let token = hubspot_conversations::exchange_code(
        Some(&token_url),
        "my-app",
        "secret",
        "https://example.com/back",
        "the-code",
    )
    .await
    .unwrap();
    assert_eq!(token.access_token, "first");
    assert_eq!(token.refresh_token.as_deref(), Some("keep-me"));
    assert_eq!(token.expires_in, Some(Duration::from_secs(1800)));
}

//! Objects, lists and scalars in path and header parameters, in the `simple`, `label` and
//! `matrix` styles, exploded or not: what the generated client sends, checked against
//! OpenAPI's style table on a local server, and accepted by Prism (which parses each style
//! itself) in static mode.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

mod support;

use std::path::Path;
use styles_fixture::Client;
use styles_fixture::types::Color;
use support::prism::{Prism, available, say};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const COLOR: Color = Color { r: 100, g: 200 };

/// Every operation once, with the same values.
async fn call_all(client: &Client) -> Vec<Result<(), styles_fixture::Error>> {
    vec![
        client.simple_values(COLOR, [3, 4, 5]).send().await,
        client.simple_exploded_object(COLOR).send().await,
        client.label_values(COLOR, [3, 4, 5], "blue").send().await,
        client.label_exploded_values(COLOR, [3, 4, 5]).send().await,
        client.matrix_values(COLOR, [3, 4, 5]).send().await,
        client
            .matrix_exploded_values(COLOR, [3, 4, 5], "blue")
            .send()
            .await,
        client.header_values(COLOR, COLOR).send().await,
    ]
}

#[tokio::test]
async fn each_style_is_spelled_as_the_style_table_says() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .build()
        .unwrap();
    for result in call_all(&client).await {
        result.expect("sent");
    }
    let requests = server.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    // OpenAPI 3.0.3's style table, with RFC 6570's reading of label/explode=false lists.
    assert_eq!(
        paths,
        [
            "/api/simple/R,100,G,200/3,4,5",
            "/api/exploded/R=100,G=200",
            "/api/label/.R,100,G,200/.3,4,5/.blue",
            "/api/label-exploded/.R=100.G=200/.3.4.5",
            "/api/matrix/;color=R,100,G,200/;ids=3,4,5",
            "/api/matrix-exploded/;R=100;G=200/;ids=3;ids=4;ids=5/;id=blue",
            "/api/headers",
        ]
    );
    assert_eq!(requests[6].headers["x-color"], "R,100,G,200");
    assert_eq!(requests[6].headers["x-color-exploded"], "R=100,G=200");
}

/// Prism 5.14.2 cannot check every style: a comma anywhere in a path value crashes it (its
/// router splits the value before the style parser sees it), and it reads an exploded label
/// object as `.R=100,G=200`, against the style table. The operations it reads correctly are
/// checked here, with a negative control that proves it does check.
#[tokio::test]
async fn prism_accepts_the_styles_it_can_read() {
    let Some(prism) = available("path and header styles against Prism") else {
        return;
    };
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/path_styles.yaml");
    let server = Prism::start(&prism, &spec, false);
    // Prism serves the paths at its root, whatever `servers` says.
    let client = Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let results = [
        client
            .matrix_exploded_values(COLOR, [3, 4, 5], "blue")
            .send_with_response()
            .await,
        client
            .header_values(COLOR, COLOR)
            .send_with_response()
            .await,
    ];
    for result in &results {
        match result {
            Ok(response) => assert!(
                !response.headers.contains_key("sl-violations"),
                "{:?}",
                response.headers
            ),
            Err(styles_fixture::Error::Api(e)) => {
                panic!("Prism rejected a request ({}): {}", e.status, e.raw)
            }
            Err(e) => panic!("{e}"),
        }
    }
    // The same request with a value of the wrong type must be refused.
    let refused = reqwest::get(format!(
        "{}/matrix-exploded/;R=oops;G=200/;ids=3/;id=blue",
        server.base_url()
    ))
    .await
    .expect("Prism answers");
    assert_eq!(refused.status().as_u16(), 422);
    say(&format!(
        "path and header styles: Prism accepted {} of {} requests and refused the wrong one",
        results.len(),
        results.len()
    ));
}

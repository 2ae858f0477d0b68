//! Transport safety: the token only travels over https (plain http only to loopback),
//! and a redirect cannot downgrade the connection that carries it.

#![allow(clippy::unwrap_used)]

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use jtui::jira::client::is_loopback;
use jtui::jira::{ApiToken, Credentials, JiraClient, JiraError};
use url::Url;

fn creds() -> Credentials {
    Credentials::new("me@example.com", ApiToken::new("s3cr3t-token"))
}

fn client(url: &str) -> Result<JiraClient, JiraError> {
    JiraClient::new(Url::parse(url).unwrap(), creds())
}

#[test]
fn plain_http_is_refused_except_to_loopback() {
    for url in [
        "http://acme.atlassian.net",
        "http://10.0.0.5:8080",
        "http://[2001:db8::1]",
    ] {
        let err = client(url).unwrap_err();
        assert!(
            matches!(err, JiraError::InvalidUrl { .. }),
            "{url}: {err:?}"
        );
        assert!(err.to_string().contains("https"), "{err}");
    }
    for url in [
        "https://acme.atlassian.net",
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://localhost:9000",
        "http://[::1]:8080",
    ] {
        assert!(client(url).is_ok(), "{url}");
    }
    assert!(is_loopback(&Url::parse("http://LOCALHOST").unwrap()));
    assert!(!is_loopback(
        &Url::parse("http://localhost.evil.example").unwrap()
    ));
}

#[test]
fn browse_links_use_the_site_even_through_the_gateway() {
    let gateway = client("https://api.atlassian.com/ex/jira/6d1c5e2a").unwrap();
    assert_eq!(
        gateway.browse_url("NAV-1").as_str(),
        "https://api.atlassian.com/ex/jira/6d1c5e2a/browse/NAV-1"
    );
    let gateway = gateway.with_site_url(Url::parse("https://acme.atlassian.net").unwrap());
    assert_eq!(
        gateway.browse_url("NAV-1").as_str(),
        "https://acme.atlassian.net/browse/NAV-1"
    );
}

#[tokio::test]
async fn a_redirect_to_plain_http_elsewhere_is_not_followed() {
    async fn downgrade() -> impl IntoResponse {
        (
            StatusCode::FOUND,
            [(
                header::LOCATION,
                "http://jira.example.invalid/rest/api/3/myself",
            )],
        )
    }
    let app = Router::new().route("/rest/api/3/myself", get(downgrade));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let err = client(&format!("http://{addr}"))
        .unwrap()
        .myself()
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("redirect"), "{text}");
    assert!(!text.contains("s3cr3t-token"));
}

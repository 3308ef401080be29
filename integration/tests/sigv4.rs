//! `--verify-sigv4`: signatures from the official SDK with the right key pass, others are
//! rejected with the AWS errors; without it, any signature is accepted.

mod common;

use common::*;
use data_api_local::sigv4::VerifyKey;

#[tokio::test]
async fn verifies_signatures_when_asked() {
    let mut config = config();
    config.verify_sigv4 = Some(VerifyKey {
        access_key: "AKIDGOOD".into(),
        secret_key: "good-secret".into(),
    });
    let server = start(config).await;

    let good = client_with(&server, "AKIDGOOD", "good-secret");
    exec(&good, PG_ARN, "SELECT 1").await;
    exec(&good, MY_ARN, "SELECT 1").await;
    good.begin_transaction()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .send()
        .await
        .unwrap();

    let wrong_secret = client_with(&server, "AKIDGOOD", "bad-secret");
    let e = exec_err(&wrong_secret, PG_ARN, "SELECT 1").await;
    assert_eq!(code_and_message(&e).0, "InvalidSignatureException");
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(403));

    let wrong_key = client_with(&server, "AKIDOTHER", "good-secret");
    let e = exec_err(&wrong_key, PG_ARN, "SELECT 1").await;
    assert_eq!(code_and_message(&e).0, "UnrecognizedClientException");

    let (status, headers, _) = raw_post(&server, "/Execute", b"{}").await;
    assert_eq!(status, 403);
    assert!(headers
        .iter()
        .any(|(k, v)| k == "x-amzn-errortype" && v == "MissingAuthenticationTokenException"));
}

#[tokio::test]
async fn accepts_any_signature_by_default() {
    let (server, _) = setup().await;
    let anyone = client_with(&server, "WHATEVER", "anything");
    exec(&anyone, PG_ARN, "SELECT 1").await;
}

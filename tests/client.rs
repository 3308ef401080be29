//! `DataApiClient` end to end: the real `aws-sdk-rdsdata` client over HTTP to the local Data
//! API server, over this machine's PostgreSQL and MariaDB. A missing database fails the test.

use aurora_data_api::client::{DataApiClient, DataApiError, DataApiErrorKind, ExecuteOptions};
use aurora_data_api::config::DataApiConfig;
use aws_sdk_rdsdata::types::{Field, SqlParameter};
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};

const PG_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:client-postgres";
const MY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:client-mariadb";
const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:client-AbCdEf";

fn pg_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn mysql_url() -> String {
    std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

#[derive(Clone, Copy, Debug)]
enum Engine {
    Pg,
    My,
}

impl Engine {
    fn arn(self) -> &'static str {
        match self {
            Engine::Pg => PG_ARN,
            Engine::My => MY_ARN,
        }
    }
}

/// A server with both clusters; fails (never skips) when a database is down.
async fn server() -> LocalServer {
    let config = ServerConfig::ephemeral(vec![
        ClusterConfig::new(PG_ARN, pg_url()).unwrap(),
        ClusterConfig::new(MY_ARN, mysql_url()).unwrap(),
    ]);
    LocalServer::start(config).await.unwrap_or_else(|e| {
        panic!(
            "these tests need PostgreSQL at {} and MariaDB/MySQL at {} (override with \
             TEST_POSTGRES_URL / TEST_MYSQL_URL): {e}",
            pg_url(),
            mysql_url()
        )
    })
}

fn config(server: &LocalServer, engine: Engine) -> DataApiConfig {
    DataApiConfig::new(engine.arn(), SECRET_ARN)
        .with_database("test")
        .with_region("us-east-1")
        .with_endpoint(server.endpoint_url())
}

/// The way users build it: the AWS default chain plus endpoint and region, no AWS setup.
async fn client(server: &LocalServer, engine: Engine) -> DataApiClient {
    DataApiClient::from_config(&config(server, engine)).await
}

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn param(name: &str, value: Field) -> SqlParameter {
    SqlParameter::builder().name(name).value(value).build()
}

async fn run(client: &DataApiClient, sql: &str) {
    client
        .execute(sql, vec![], None, ExecuteOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn count(client: &DataApiClient, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let out = client
        .execute(&sql, vec![], None, ExecuteOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    match &out.records.expect("records")[0][0] {
        Field::LongValue(n) => *n,
        other => panic!("count: {other:?}"),
    }
}

async fn expect_err(
    result: Result<impl std::fmt::Debug, DataApiError>,
    kind: DataApiErrorKind,
) -> DataApiError {
    let e = result.expect_err("the call should fail");
    assert_eq!(e.kind(), kind, "{e}");
    e
}

#[tokio::test]
async fn pg_execute_with_params() {
    let server = server().await;
    let client = client(&server, Engine::Pg).await;
    let table = unique("client_params");
    run(
        &client,
        &format!("CREATE TABLE {table} (id int PRIMARY KEY, name text, amount numeric(10,2))"),
    )
    .await;

    let out = client
        .execute(
            &format!("INSERT INTO {table} VALUES (:id, :name, CAST(:amount AS numeric))"),
            vec![
                param("id", Field::LongValue(7)),
                param("name", Field::StringValue("seven".into())),
                param("amount", Field::StringValue("12.5".into())),
            ],
            None,
            ExecuteOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(out.number_of_records_updated, 1);

    let out = client
        .execute(
            &format!("SELECT id, name, amount FROM {table} WHERE id = :id"),
            vec![param("id", Field::LongValue(7))],
            None,
            ExecuteOptions::default(),
        )
        .await
        .unwrap();
    let records = out.records.expect("records");
    assert_eq!(
        records,
        vec![vec![
            Field::LongValue(7),
            Field::StringValue("seven".into()),
            // decimalReturnType STRING: exact text, scale kept.
            Field::StringValue("12.50".into()),
        ]]
    );
    let meta = out
        .column_metadata
        .expect("includeResultMetadata is on by default");
    let types: Vec<_> = meta
        .iter()
        .map(|c| c.type_name.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(types, ["int4", "text", "numeric"]);

    // Options are passed through: no metadata when not asked for.
    let out = client
        .execute(
            "SELECT 1",
            vec![],
            None,
            ExecuteOptions {
                include_result_metadata: false,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(out.column_metadata.is_none_or(|m| m.is_empty()));

    run(&client, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn mysql_execute_with_params() {
    let server = server().await;
    let client = client(&server, Engine::My).await;
    let table = unique("client_params");
    run(&client, &format!("CREATE TABLE {table} (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT, amount DECIMAL(10,2))")).await;

    let out = client
        .execute(
            &format!("INSERT INTO {table} (name, amount) VALUES (:name, :amount)"),
            vec![
                param("name", Field::StringValue("one".into())),
                param("amount", Field::DoubleValue(0.1)),
            ],
            None,
            ExecuteOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(out.number_of_records_updated, 1);
    assert_eq!(out.generated_fields, Some(vec![Field::LongValue(1)]));

    let out = client
        .execute(
            &format!("SELECT name, amount FROM {table} WHERE id = :id"),
            vec![param("id", Field::LongValue(1))],
            None,
            ExecuteOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        out.records.expect("records"),
        vec![vec![
            Field::StringValue("one".into()),
            Field::StringValue("0.10".into())
        ]]
    );
    assert!(out.column_metadata.is_some_and(|m| m.len() == 2));

    run(&client, &format!("DROP TABLE {table}")).await;
}

async fn transactions(engine: Engine) {
    let server = server().await;
    let client = client(&server, engine).await;
    let table = unique("client_tx");
    run(
        &client,
        &format!("CREATE TABLE {table} (id INT PRIMARY KEY)"),
    )
    .await;
    let insert = format!("INSERT INTO {table} (id) VALUES (:id)");

    let tx = client.begin_transaction().await.unwrap();
    client
        .execute(
            &insert,
            vec![param("id", Field::LongValue(1))],
            Some(&tx),
            ExecuteOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        count(&client, &table).await,
        0,
        "{engine:?}: uncommitted row seen outside"
    );
    client.commit_transaction(&tx).await.unwrap();
    assert_eq!(count(&client, &table).await, 1, "{engine:?}: committed row");
    // An ended transaction is gone.
    let e = expect_err(
        client.commit_transaction(&tx).await,
        DataApiErrorKind::NotFound,
    )
    .await;
    assert!(e.message().contains("is not found"), "{e}");

    let tx = client.begin_transaction().await.unwrap();
    client
        .batch_execute(
            &insert,
            vec![
                vec![param("id", Field::LongValue(2))],
                vec![param("id", Field::LongValue(3))],
            ],
            Some(&tx),
        )
        .await
        .unwrap();
    client.rollback_transaction(&tx).await.unwrap();
    assert_eq!(
        count(&client, &table).await,
        1,
        "{engine:?}: rolled back rows"
    );
    let e = expect_err(
        client
            .execute("SELECT 1", vec![], Some(&tx), ExecuteOptions::default())
            .await,
        DataApiErrorKind::TransactionNotFound,
    )
    .await;
    assert_eq!(e.code(), "TransactionNotFoundException");

    run(&client, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn pg_transactions_commit_and_rollback() {
    transactions(Engine::Pg).await;
}

#[tokio::test]
async fn mysql_transactions_commit_and_rollback() {
    transactions(Engine::My).await;
}

#[tokio::test]
async fn batch_execute_runs_once_per_set() {
    let server = server().await;
    for engine in [Engine::Pg, Engine::My] {
        let client = client(&server, engine).await;
        let table = unique("client_batch");
        run(
            &client,
            &format!("CREATE TABLE {table} (id INT PRIMARY KEY, name VARCHAR(10))"),
        )
        .await;
        let sets = (1..=3)
            .map(|i| {
                vec![
                    param("id", Field::LongValue(i)),
                    param("name", Field::StringValue(format!("n{i}"))),
                ]
            })
            .collect();
        let out = client
            .batch_execute(
                &format!("INSERT INTO {table} VALUES (:id, :name)"),
                sets,
                None,
            )
            .await
            .unwrap();
        assert_eq!(out.update_results.map(|r| r.len()), Some(3), "{engine:?}");
        assert_eq!(count(&client, &table).await, 3, "{engine:?}");
        run(&client, &format!("DROP TABLE {table}")).await;
    }
}

#[tokio::test]
async fn errors_are_classified() {
    let server = server().await;
    for (engine, server_says) in [
        (
            Engine::Pg,
            r#"relation "client_no_such_table" does not exist"#,
        ),
        (Engine::My, "client_no_such_table' doesn't exist"),
    ] {
        let client = client(&server, engine).await;

        let e = expect_err(
            client
                .execute(
                    "SELECT * FROM client_no_such_table",
                    vec![],
                    None,
                    ExecuteOptions::default(),
                )
                .await,
            DataApiErrorKind::DatabaseError,
        )
        .await;
        assert_eq!(e.code(), "DatabaseErrorException");
        assert!(e.message().contains(server_says), "{engine:?}: {e}");
        assert!(e.message().contains("SQLState: "), "{engine:?}: {e}");
        assert!(e.to_string().starts_with("DatabaseErrorException: "), "{e}");
        assert!(e.request_id().is_some_and(|id| !id.is_empty()), "{e:?}");
        assert!(std::error::Error::source(&e).is_some());

        let e = expect_err(
            client
                .execute(
                    "SELECT 1",
                    vec![],
                    Some("bm90LWEtcmVhbC10cmFuc2FjdGlvbg=="),
                    ExecuteOptions::default(),
                )
                .await,
            DataApiErrorKind::TransactionNotFound,
        )
        .await;
        assert!(e.message().contains("is not found"), "{e}");

        let e = expect_err(
            client
                .execute(
                    "SELECT 1; SELECT 2",
                    vec![],
                    None,
                    ExecuteOptions::default(),
                )
                .await,
            DataApiErrorKind::Validation,
        )
        .await;
        assert_eq!(
            e.to_string(),
            "ValidationException: Multistatements aren't supported."
        );
    }

    // An unknown cluster.
    let other = DataApiConfig::new(
        "arn:aws:rds:us-east-1:123456789012:cluster:nope",
        SECRET_ARN,
    )
    .with_endpoint(server.endpoint_url());
    let client = DataApiClient::from_config(&other).await;
    expect_err(client.begin_transaction().await, DataApiErrorKind::NotFound).await;
}

#[tokio::test]
async fn transport_errors_are_classified() {
    // A port nothing listens on.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = DataApiConfig::new(PG_ARN, SECRET_ARN).with_endpoint(format!("http://{addr}"));
    // Without SDK retries, so the refused connection is reported at once.
    let sdk_config = aws_config::SdkConfig::builder()
        .retry_config(aws_sdk_rdsdata::config::retry::RetryConfig::disabled())
        .build();
    let client = DataApiClient::from_sdk_config(&sdk_config, config);
    let e = expect_err(
        client.begin_transaction().await,
        DataApiErrorKind::Transport,
    )
    .await;
    assert_eq!(e.code(), "DispatchFailure", "{e}");
    assert!(e.to_string().starts_with("DispatchFailure: "), "{e}");
    assert!(e.request_id().is_none());
}

#[tokio::test]
async fn from_sdk_client_uses_the_client_as_is() {
    use aws_sdk_rdsdata::config::{BehaviorVersion, Credentials, Region};
    let server = server().await;
    let sdk = aws_sdk_rdsdata::Client::from_conf(
        aws_sdk_rdsdata::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDLOCAL",
                "local-secret",
                None,
                None,
                "test",
            ))
            .endpoint_url(server.endpoint_url())
            .build(),
    );
    // No endpoint in the config: the client's own endpoint is used.
    let client = DataApiClient::from_sdk_client(sdk, DataApiConfig::new(PG_ARN, SECRET_ARN));
    let out = client
        .execute(
            "SELECT current_database()",
            vec![],
            None,
            ExecuteOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        out.records.unwrap(),
        vec![vec![Field::StringValue("test".into())]]
    );
    let copy = client.clone();
    assert_eq!(copy.config(), client.config());
    assert!(!format!("{client:?}").contains("secretsmanager"));
}

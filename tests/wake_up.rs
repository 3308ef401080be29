//! `DataApiClient::wake_up`: a Lambda's init phase starts the resume of an auto-paused
//! cluster early, without failing anything, and the first request finds it awake.

mod common;

use std::time::{Duration, Instant};

use aurora_data_api::client::{DataApiClient, WakeUp};
use aurora_data_api::config::DataApiConfig;
use aurora_data_api::pg::DataApiPgConnection;
use aurora_data_api::retry::RetryPolicy;
use common::*;
use data_api_local::FaultConfig;
use diesel::prelude::*;

const DB: &str = "dataapi_wake_up";

/// The cluster auto-pauses after `idle` without a call and takes `resume` to wake up. (The
/// local server counts idle time from the last call, even one answered "resuming", so `idle`
/// must be longer than the gaps between the calls that follow.)
fn pausing(idle: Duration, resume: Duration) -> FaultConfig {
    FaultConfig {
        resuming_after_idle: Some(idle),
        resuming_duration: Some(resume),
        ..Default::default()
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Runs an async test body on a runtime of its own (the custom server's runtime must be
/// dropped outside async code).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn wake_up_starts_the_resume_and_returns_at_once() {
    let (_rt, server, url) = custom_pg_server(DB, |_| {});
    block_on(async {
        let client = DataApiClient::from_config(&DataApiConfig::from_url(&url).unwrap()).await;
        assert_eq!(client.wake_up().await.unwrap(), WakeUp::Awake);

        server.set_faults(pausing(ms(3000), ms(2000)));
        tokio::time::sleep(ms(3050)).await;
        // Init phase: the resume starts, nothing waits for it, nothing fails.
        let started = Instant::now();
        assert_eq!(client.wake_up().await.unwrap(), WakeUp::Resuming);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.fault_counts().resuming, 1);

        // The first request, 2 s later, finds the cluster awake: even a client that never
        // retries gets through.
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let strict = client.clone().with_retry_policy(RetryPolicy::none());
        strict
            .execute("SELECT 1", vec![], None, Default::default())
            .await
            .unwrap();
        assert_eq!(server.fault_counts().resuming, 1);
    });
}

#[test]
fn wake_up_within_waits_for_the_resume() {
    let (_rt, server, url) = custom_pg_server(DB, |_| {});
    block_on(async {
        let client = DataApiClient::from_config(&DataApiConfig::from_url(&url).unwrap()).await;
        // Sleeps 0.25, 0.5, 1: the fourth attempt, at 1.75 s, finds it awake.
        server.set_faults(pausing(ms(1200), ms(1500)));
        tokio::time::sleep(ms(1250)).await;
        let started = Instant::now();
        assert_eq!(
            client
                .wake_up_within(Duration::from_secs(10))
                .await
                .unwrap(),
            WakeUp::Awake
        );
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(1500) && took < Duration::from_secs(5),
            "{took:?}"
        );
        // Still resuming at the timeout: reported, not an error.
        server.set_faults(pausing(ms(1200), Duration::from_secs(30)));
        tokio::time::sleep(ms(1250)).await;
        let started = Instant::now();
        assert_eq!(
            client
                .wake_up_within(Duration::from_millis(500))
                .await
                .unwrap(),
            WakeUp::Resuming
        );
        assert!(started.elapsed() < Duration::from_secs(2));
    });
}

#[test]
fn wake_up_from_a_sync_connection() {
    let (_rt, server, url) = custom_pg_server(DB, |_| {});
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    server.set_faults(pausing(ms(2500), ms(800)));
    std::thread::sleep(ms(2550));
    assert_eq!(
        conn.client().wake_up_blocking(Duration::ZERO).unwrap(),
        WakeUp::Resuming
    );
    // The first request waits only for the rest of the resume.
    let started = Instant::now();
    diesel::sql_query("SELECT 1").execute(&mut conn).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        conn.client().wake_up_blocking(Duration::ZERO).unwrap(),
        WakeUp::Awake
    );
}

#[test]
fn wake_up_reports_real_errors() {
    let (_rt, _server, url) = custom_pg_server(DB, |_| {});
    let url = url.replace("lib-postgres", "no-such-cluster");
    block_on(async {
        let client = DataApiClient::from_config(&DataApiConfig::from_url(&url).unwrap()).await;
        let e = client.wake_up().await.unwrap_err();
        assert_ne!(
            e.kind(),
            aurora_data_api::client::DataApiErrorKind::DatabaseResuming,
            "{e}"
        );
    });
}

//! `diesel::connection::set_default_instrumentation` reaches connections established after it,
//! as with `PgConnection` (its own test binary: the default is process-wide).

mod common;

use std::sync::Mutex;

use aurora_data_api::pg::DataApiPgConnection;
use common::*;
use diesel::connection::{set_default_instrumentation, Instrumentation, InstrumentationEvent};
use diesel::prelude::*;

#[test]
fn default_instrumentation_sees_establish_and_queries() {
    static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
    struct Recorder;
    impl Instrumentation for Recorder {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            let text = match event {
                InstrumentationEvent::StartEstablishConnection { .. } => "establish".to_string(),
                InstrumentationEvent::StartQuery { query, .. } => format!("query {query}"),
                _ => return,
            };
            SEEN.lock().unwrap().push(text);
        }
    }
    set_default_instrumentation(|| Some(Box::new(Recorder))).unwrap();
    let url = pg_url("dataapi_instrumentation");
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    let _: i32 = diesel::select(7.into_sql::<diesel::sql_types::Integer>())
        .get_result(&mut conn)
        .unwrap();
    let seen = SEEN.lock().unwrap().clone();
    assert_eq!(
        seen.first().map(String::as_str),
        Some("establish"),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(|e| e.starts_with("query SELECT $1")),
        "{seen:?}"
    );
}

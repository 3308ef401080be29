//! What the CLI is waiting for, on stderr: a line per retry wait of the library (an
//! auto-paused cluster resuming, a 5xx answer), from its `tracing` events, and a line per
//! migration started and finished. `--quiet` turns the lines off; `-v` / `RUST_LOG` add the
//! library's own `tracing` output.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

static QUIET: AtomicBool = AtomicBool::new(false);
/// The retry budget of the CLI's connections (`RetryPolicy::max_total_wait`), in ms.
static BUDGET_MS: AtomicU64 = AtomicU64::new(40_000);

/// Installs the subscriber: progress lines unless `quiet`; the library's `tracing` output
/// at `RUST_LOG`'s levels, or debug (`-v`) / trace (`-vv`) for this crate.
pub fn init(verbose: u8, quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
    let rust_log = std::env::var("RUST_LOG").ok().filter(|v| !v.is_empty());
    let filter = match (rust_log, verbose) {
        (Some(spec), _) => Some(EnvFilter::new(spec)),
        (None, 0) => None,
        (None, 1) => Some(EnvFilter::new("aurora_data_api=debug")),
        (None, _) => Some(EnvFilter::new("aurora_data_api=trace,info")),
    };
    let fmt = filter.map(|filter| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .with_filter(filter)
    });
    let progress = (!quiet).then_some(RetryLines::default());
    let _ = tracing_subscriber::registry()
        .with(fmt)
        .with(progress)
        .try_init();
}

/// The retry budget of the connections in use (for the lines).
pub fn set_budget(budget: Duration) {
    BUDGET_MS.store(budget.as_millis() as u64, Ordering::Relaxed);
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

/// `migration NAME: running…`
pub fn migration_started(what: &str, name: &str) {
    if !QUIET.load(Ordering::Relaxed) {
        eprintln!("migration {name}: {what}");
    }
}

/// `migration NAME: ran in 0.4 s`
pub fn migration_finished(what: &str, name: &str, took: Duration) {
    if !QUIET.load(Ordering::Relaxed) {
        eprintln!("migration {name}: {what} in {}", secs(took));
    }
}

/// Turns the library's "Data API call failed; retrying" warnings into one line each.
#[derive(Default)]
struct RetryLines {
    /// Time waited by the current call's retries so far.
    waited_ms: Mutex<u64>,
}

#[derive(Default)]
struct RetryFields {
    message: String,
    operation: String,
    code: String,
    attempt: u64,
    delay_ms: u64,
    /// The library's own count of the time waited and its budget (when it sends them).
    waited_ms: Option<u64>,
    budget_ms: Option<u64>,
}

impl Visit for RetryFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "operation" => self.operation = value.to_string(),
            "code" => self.code = value.to_string(),
            "message" => self.message = value.to_string(),
            _ => {}
        }
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "attempt" => self.attempt = value,
            "delay_ms" => self.delay_ms = value,
            "waited_ms" => self.waited_ms = Some(value),
            "budget_ms" => self.budget_ms = Some(value),
            _ => {}
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.record_u64(field, value.max(0) as u64);
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
}

impl<S: Subscriber> Layer<S> for RetryLines {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        if *meta.level() != tracing::Level::WARN || !meta.target().starts_with("aurora_data_api") {
            return;
        }
        let mut f = RetryFields::default();
        event.record(&mut f);
        if !f.message.contains("retrying") || f.code.is_empty() {
            return;
        }
        let mut waited = self.waited_ms.lock().unwrap_or_else(|e| e.into_inner());
        if f.attempt <= 1 {
            *waited = 0;
        }
        let so_far = Duration::from_millis(f.waited_ms.unwrap_or(*waited));
        *waited = so_far.as_millis() as u64 + f.delay_ms;
        let budget = f
            .budget_ms
            .unwrap_or_else(|| BUDGET_MS.load(Ordering::Relaxed));
        // A transport failure is retried twice within a second; the error that follows, if
        // any, says it all.
        if matches!(
            f.code.as_str(),
            "DispatchFailure" | "TimeoutError" | "ResponseError" | "ConstructionFailure"
        ) {
            return;
        }
        let why = match f.code.as_str() {
            "DatabaseResumingException" => "the database is resuming after an auto-pause",
            "DatabaseUnavailableException" => "the database is unavailable (failover or scaling)",
            _ => "the Data API answered with a server error",
        };
        eprintln!(
            "waiting: {why} ({}); retrying {} in {} (attempt {}, waited {} of up to {})",
            f.code,
            f.operation,
            secs(Duration::from_millis(f.delay_ms)),
            f.attempt + 1,
            secs(so_far),
            secs(Duration::from_millis(budget)),
        );
    }
}

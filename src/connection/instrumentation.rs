//! Diesel's `Instrumentation` for the Data API connections, mirrored to `tracing`: query
//! start / finish with the SQL, connection establishment; transaction events come from
//! diesel's transaction manager through `instrumentation()`.

use diesel::connection::{DynInstrumentation, Instrumentation, InstrumentationEvent};

/// The connection's instrumentation (default from `set_default_instrumentation`).
pub(crate) struct Instrumented {
    inner: DynInstrumentation,
}

impl Instrumented {
    /// What `diesel::connection::set_default_instrumentation` configured, if anything.
    pub fn default_instrumentation() -> Self {
        Instrumented {
            inner: DynInstrumentation::default_instrumentation(),
        }
    }

    /// Emits `event`.
    pub fn event(&mut self, event: InstrumentationEvent<'_>) {
        self.inner.on_connection_event(event);
    }

    /// A query (anything `Display`able as its SQL) is about to run.
    pub fn start(&mut self, query: &dyn diesel::connection::DebugQuery) {
        tracing::debug!(target: "aurora_data_api::query", "start: {query}");
        self.event(InstrumentationEvent::start_query(query));
    }

    /// The query finished, with `error` if it failed.
    pub fn finish(
        &mut self,
        query: &dyn diesel::connection::DebugQuery,
        error: Option<&diesel::result::Error>,
    ) {
        match error {
            Some(e) => tracing::debug!(target: "aurora_data_api::query", "failed: {e}"),
            None => tracing::trace!(target: "aurora_data_api::query", "done"),
        }
        self.event(InstrumentationEvent::finish_query(query, error));
    }

    /// For `Connection::instrumentation`.
    pub fn as_dyn(&mut self) -> &mut dyn Instrumentation {
        &mut *self.inner
    }
}

impl Instrumented {
    /// Starts `establish(url)`: the default instrumentation, its start event, and the parsed
    /// URL.
    pub fn establishing(
        url: &str,
    ) -> (Self, diesel::ConnectionResult<crate::config::DataApiConfig>) {
        let mut instrumentation = Self::default_instrumentation();
        instrumentation.event(InstrumentationEvent::start_establish_connection(url));
        let config =
            crate::config::DataApiConfig::from_url(url).map_err(diesel::ConnectionError::from);
        (instrumentation, config)
    }

    /// Ends `establish(url)`: the finish event, then this instrumentation moves into the
    /// connection (through `slot`).
    pub fn established<C>(
        mut self,
        url: &str,
        result: diesel::ConnectionResult<C>,
        slot: impl FnOnce(&mut C) -> &mut Instrumented,
    ) -> diesel::ConnectionResult<C> {
        self.event(InstrumentationEvent::finish_establish_connection(
            url,
            result.as_ref().err(),
        ));
        result.map(|mut conn| {
            *slot(&mut conn) = self;
            conn
        })
    }
}

impl<I: Instrumentation> From<I> for Instrumented {
    fn from(instrumentation: I) -> Self {
        Instrumented {
            inner: DynInstrumentation::from(instrumentation),
        }
    }
}

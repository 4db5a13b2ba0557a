//! `kodomo serve`: the engine as an HTTP service for systems in any language — the same JSON as
//! the CLI (`POST /v1/evaluate` = `kodomo eval`, byte for byte), an OpenAPI 3.1 document generated
//! from the bindings' JSON Schemas, errors as `application/problem+json` with the JSON pointer of
//! the field at fault, and every limit configurable. Logs hold request ids, paths, statuses and
//! timings only, never a household.

mod api;
mod openapi;
mod problem;

pub use problem::Problem;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use kodomo_rules::Engine;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// What the service accepts and how long it waits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body, in bytes (`413` beyond).
    pub max_body_bytes: usize,
    /// Persons per household (`422` beyond).
    pub max_persons: usize,
    /// Months per timeline (`422` beyond).
    pub max_months: u32,
    /// Households per screen request (`413` beyond).
    pub max_households: usize,
    /// Time from a request's headers to its response (`408` beyond).
    pub timeout: Duration,
    /// Time for a client to send a request's headers (the connection is closed beyond).
    pub header_timeout: Duration,
    /// Requests served at once (`503` with `Retry-After` beyond).
    pub max_concurrent: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            max_persons: 64,
            max_months: 600,
            max_households: 10_000,
            timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(5),
            max_concurrent: 1024,
        }
    }
}

/// What every request reads.
pub(crate) struct App {
    pub(crate) engine: Engine,
    pub(crate) limits: Limits,
    pub(crate) schemas: Vec<(String, serde_json::Value)>,
    pub(crate) openapi: String,
    /// `"<rulesets hash>"`: the ETag of every GET (the answers change only with the rulesets).
    etag: HeaderValue,
    engine_version: HeaderValue,
    rulesets_hash: HeaderValue,
    permits: Arc<Semaphore>,
    next_id: AtomicU64,
    log: bool,
}

/// The service's routes over `engine`, with `limits`; `log`: one line per request on standard
/// error (id, method, path, status, microseconds).
pub fn router(engine: Engine, limits: Limits, log: bool) -> Router {
    let schemas = api::schemas();
    let openapi =
        serde_json::to_string_pretty(&openapi::document(&schemas, &api::envelope_schemas(), env!("CARGO_PKG_VERSION")))
            .unwrap_or_default()
            + "\n";
    let value = |s: &str| HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static("-"));
    let app = Arc::new(App {
        etag: value(&format!("\"{}\"", engine.rulesets_hash())),
        engine_version: value(&format!("kodomo-rules {}", env!("CARGO_PKG_VERSION"))),
        rulesets_hash: value(engine.rulesets_hash()),
        permits: Arc::new(Semaphore::new(limits.max_concurrent)),
        next_id: AtomicU64::new(1),
        engine,
        limits,
        schemas,
        openapi,
        log,
    });
    Router::new()
        .route("/v1/evaluate", post(api::evaluate))
        .route("/v1/timeline", post(api::timeline))
        .route("/v1/screen", post(api::screen))
        .route("/v1/schemes", get(api::schemes))
        .route("/v1/rulesets", get(api::rulesets))
        .route("/v1/schema/{name}", get(api::schema))
        .route("/healthz", get(api::healthz))
        .route("/openapi.json", get(api::openapi))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(app.clone(), around))
        .with_state(app)
}

/// Around every request: a permit (or `503`), the timeout (`408`), the version headers, the ETag
/// of a GET (`304` when it matches), and the log line.
async fn around(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = app.next_id.fetch_add(1, Ordering::Relaxed);
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let cached = method == Method::GET && req.headers().get(header::IF_NONE_MATCH).is_some_and(|v| v == app.etag);
    let mut response = match app.permits.clone().try_acquire_owned() {
        Err(_) => {
            Problem::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "too many requests at once; retry").into_response()
        }
        Ok(_permit) if cached => StatusCode::NOT_MODIFIED.into_response(),
        Ok(_permit) => match tokio::time::timeout(app.limits.timeout, next.run(req)).await {
            Ok(r) => r,
            Err(_) => Problem::new(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                format!("the request took longer than {} ms", app.limits.timeout.as_millis()),
            )
            .into_response(),
        },
    };
    let h = response.headers_mut();
    h.insert("x-request-id", HeaderValue::from(id));
    h.insert("x-kodomo-engine", app.engine_version.clone());
    h.insert("x-kodomo-rulesets", app.rulesets_hash.clone());
    if method == Method::GET {
        h.insert(header::ETAG, app.etag.clone());
    }
    if app.log {
        let line = format!("{id} {method} {path} {} {}us\n", response.status().as_u16(), started.elapsed().as_micros());
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
    response
}

/// Serve `router` on `listener` until `shutdown` completes; then stop accepting and let the
/// requests in flight finish (at most `grace`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors or a connection reset before it was accepted.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(router.clone());
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.header_timeout)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {}
    }
}

/// Bind `addr`, write `listening on http://ADDR` (the port chosen when `addr`'s is 0) on standard
/// output, and serve until SIGTERM or Ctrl-C, on a runtime with one thread per core.
pub fn run(addr: SocketAddr, engine: Engine, limits: Limits, log: bool) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{local}")?;
        out.flush()?;
        drop(out);
        let router = router(engine, limits.clone(), log);
        serve(listener, router, &limits, stop_signal(), Duration::from_secs(10)).await;
        Ok(())
    })
}

/// SIGTERM or Ctrl-C.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

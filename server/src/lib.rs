//! `kodomo serve`: the engine as an HTTP service for systems in any language — the same JSON as
//! the CLI (`POST /v1/evaluate` = `kodomo eval`, byte for byte), an OpenAPI 3.1 document generated
//! from the bindings' JSON Schemas, errors as `application/problem+json` with the JSON pointer of
//! the field at fault, and every limit configurable. Logs hold request ids, routes, statuses and
//! timings only, never a path a client typed or a household.

mod api;
mod openapi;
mod problem;

pub use problem::Problem;

use axum::extract::{MatchedPath, Request, State};
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
    /// Evaluations (evaluate, timeline, screen) computed at once, from when the household has been
    /// validated (`503` with `Retry-After` beyond).
    pub max_concurrent: usize,
    /// Connections open at once (a connection beyond is closed on accept).
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            max_persons: 64,
            max_months: 600,
            max_households: 1_000,
            timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(5),
            max_concurrent: 64,
            max_connections: 4096,
        }
    }
}

/// What every request reads.
pub(crate) struct App {
    pub(crate) engine: Engine,
    pub(crate) limits: Limits,
    pub(crate) schemas: Vec<(String, serde_json::Value)>,
    pub(crate) openapi: String,
    /// The ETag of every GET answered with 200: the engine's version and the rulesets' hash (the
    /// answers change only with them).
    etag: HeaderValue,
    engine_version: HeaderValue,
    rulesets_hash: HeaderValue,
    pub(crate) permits: Arc<Semaphore>,
    next_id: AtomicU64,
    log: bool,
}

/// The service's routes over `engine`, with `limits`; `log`: one line per request on standard
/// error (id, method, route, status, microseconds).
pub fn router(engine: Engine, limits: Limits, log: bool) -> Router {
    let schemas = api::schemas();
    let openapi =
        serde_json::to_string_pretty(&openapi::document(&schemas, &api::envelope_schemas(), env!("CARGO_PKG_VERSION")))
            .unwrap_or_default()
            + "\n";
    let value = |s: &str| HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static("-"));
    let app = Arc::new(App {
        etag: value(&format!("\"{}-{}\"", env!("CARGO_PKG_VERSION"), engine.rulesets_hash())),
        engine_version: value(&format!("kodomo-rules {}", env!("CARGO_PKG_VERSION"))),
        rulesets_hash: value(engine.rulesets_hash()),
        permits: Arc::new(Semaphore::new(limits.max_concurrent.clamp(1, Semaphore::MAX_PERMITS))),
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

/// Around every request: the timeout (`408`), the version headers, the ETag of a GET answered
/// with 200 (`304` when `If-None-Match` has it), and the log line (the route, never the path a
/// client chose).
async fn around(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = app.next_id.fetch_add(1, Ordering::Relaxed);
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().map_or("-", |m| m.as_str()).to_owned();
    let matches = |v: &HeaderValue| {
        v.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == app.etag))
    };
    let cached = method == Method::GET && req.headers().get(header::IF_NONE_MATCH).is_some_and(matches);
    let mut response = match tokio::time::timeout(app.limits.timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!("the request took longer than {} ms", app.limits.timeout.as_millis()),
        )
        .into_response(),
    };
    let cacheable = method == Method::GET && response.status() == StatusCode::OK;
    if cacheable && cached {
        response = StatusCode::NOT_MODIFIED.into_response();
    }
    let h = response.headers_mut();
    h.insert("x-request-id", HeaderValue::from(id));
    h.insert("x-kodomo-engine", app.engine_version.clone());
    h.insert("x-kodomo-rulesets", app.rulesets_hash.clone());
    if cacheable {
        h.insert(header::ETAG, app.etag.clone());
    }
    if app.log {
        let line =
            format!("{id} {method} {route} {} {}us\n", response.status().as_u16(), started.elapsed().as_micros());
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
    let connections = Arc::new(Semaphore::new(limits.max_connections.clamp(1, Semaphore::MAX_PERMITS)));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors or a connection reset before it was accepted.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                // Over the connection limit: close it at once.
                let Ok(slot) = connections.clone().try_acquire_owned() else { continue };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(router.clone());
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.header_timeout)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                    drop(slot);
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
/// output, and serve until SIGTERM or Ctrl-C, on a runtime with one thread per core. A panic (a
/// bug) is logged by its location only, never with the input in its message.
pub fn run(addr: SocketAddr, engine: Engine, limits: Limits, log: bool) -> std::io::Result<()> {
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map_or_else(String::new, |l| format!("{}:{}", l.file(), l.line()));
        let _ = writeln!(std::io::stderr().lock(), "panic at {at}");
    }));
    let grace = Duration::from_secs(10);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let served = runtime.block_on(async move {
        // The signal handler first: a SIGTERM once the address is printed stops the service.
        let stop = stop_signal()?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{local}")?;
        out.flush()?;
        drop(out);
        let router = router(engine, limits.clone(), log);
        serve(listener, router, &limits, stop, grace).await;
        Ok(())
    });
    // Evaluations still running on blocking threads get the same grace.
    runtime.shutdown_timeout(grace);
    served
}

/// SIGTERM or Ctrl-C, its handler installed now.
fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}

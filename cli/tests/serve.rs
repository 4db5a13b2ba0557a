//! `kodomo serve` on a free loopback port: the conformance corpus through the service equals the
//! CLI's output byte for byte; the GET endpoints equal the CLI's; bad input gets the right status
//! as a problem naming the field; slow clients are cut off while others are served; SIGTERM stops
//! it cleanly.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_kodomo");

/// A running `kodomo serve` on an ephemeral port, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--addr", "127.0.0.1:0", "--quiet"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("kodomo serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
        let port = line.trim().rsplit(':').next().and_then(|p| p.parse().ok()).expect("listening on http://…:PORT");
        Server { child, port }
    }

    /// One request on a new connection: status, headers (lower-case names) and body.
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).expect("write");
        s.write_all(body).expect("write body");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read");
        parse(&raw)
    }

    fn post(&self, path: &str, body: &Value) -> (u16, Vec<u8>) {
        let (status, _, body) =
            self.request("POST", path, &[("Content-Type", "application/json")], body.to_string().as_bytes());
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Status, headers and body of a raw HTTP/1.1 response (Content-Length or close-delimited).
fn parse(raw: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status");
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))).collect();
    (status, headers, raw[end + 4..].to_vec())
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The CLI's output for `args` (a household file among them), as it writes it.
fn cli(args: &[&str]) -> Vec<u8> {
    let out = Command::new(BIN).args(args).output().expect("kodomo");
    assert!(out.status.success(), "kodomo {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn problem(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("problem json")
}

fn conformance_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance")];
    while let Some(dir) = todo.pop() {
        for e in std::fs::read_dir(&dir).expect("dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_conformance_corpus_through_the_service_equals_the_cli() {
    let server = Server::start(&[]);
    let dir = std::env::temp_dir().join(format!("kodomo-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let file = dir.join("household.json");
    let path = file.to_str().expect("utf-8 path");
    let mut checked = 0;
    for f in conformance_files() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).expect("read")).expect("json");
        for case in doc["cases"].as_array().into_iter().flatten() {
            let id = case["id"].as_str().unwrap_or("?");
            let hh = &case["household"];
            std::fs::write(&file, hh.to_string()).expect("write household");
            if let Some(e) = case.get("expect_error") {
                let (status, body) = server.post("/v1/evaluate", &json!({"household": hh, "month": "2024-01"}));
                let p = problem(&body);
                assert!(status == 400 || status == 422, "{id}: status {status}");
                assert_eq!(p["code"], e["code"], "{id}");
                assert_eq!(
                    p["pointer"].as_str(),
                    Some(format!("/household{}", e["path"].as_str().unwrap_or("")).as_str()),
                    "{id}"
                );
            } else if let Some(m) = case["month"].as_str() {
                let (status, body) = server.post("/v1/evaluate", &json!({"household": hh, "month": m}));
                assert_eq!(status, 200, "{id}: {}", String::from_utf8_lossy(&body));
                assert!(body == cli(&["eval", path, "--month", m]), "{id}: the service and the CLI differ");
            } else {
                let span = &case["span"];
                let (s, from, to) = (
                    case["scheme"].as_str().unwrap_or(""),
                    span["from"].as_str().unwrap_or(""),
                    span["to"].as_str().unwrap_or(""),
                );
                let (status, body) =
                    server.post("/v1/timeline", &json!({"household": hh, "scheme": s, "from": from, "to": to}));
                assert_eq!(status, 200, "{id}: {}", String::from_utf8_lossy(&body));
                assert!(body == cli(&["timeline", path, "--scheme", s, "--from", from, "--to", to]), "{id}: differ");
            }
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(checked > 500, "only {checked} cases");
}

#[test]
fn gets_equal_the_cli_and_carry_the_version() {
    let server = Server::start(&[]);
    for (path, args) in [
        ("/v1/schemes", &["schemes"][..]),
        ("/v1/rulesets", &["rulesets"][..]),
        ("/v1/schema/household", &["schema"][..]),
    ] {
        let (status, headers, body) = server.request("GET", path, &[], b"");
        assert_eq!(status, 200, "{path}");
        assert!(body == cli(args), "{path} differs from kodomo {args:?}");
        let etag = header(&headers, "etag").expect("etag").to_owned();
        assert!(header(&headers, "x-kodomo-rulesets").is_some_and(|h| etag.contains(h)), "{path}");
        assert_eq!(header(&headers, "content-type"), Some("application/json"));
        let (status, _, body) = server.request("GET", path, &[("If-None-Match", &etag)], b"");
        assert_eq!((status, body.len()), (304, 0), "{path} unchanged");
    }
    let (status, _, body) = server.request("GET", "/healthz", &[], b"");
    assert_eq!((status, problem(&body)["status"].as_str()), (200, Some("ok")));
    let (status, _, body) = server.request("GET", "/openapi.json", &[], b"");
    let doc = problem(&body);
    assert_eq!((status, doc["openapi"].as_str()), (200, Some("3.1.0")));
    assert!(doc["components"]["schemas"]["Household"].is_object() && doc["paths"]["/v1/evaluate"]["post"].is_object());
    // Every reference in the document resolves.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    out.push(r.clone());
                }
                o.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    // Each type once: no component is another one under a schema's prefix.
    let names: Vec<&String> = doc["components"]["schemas"].as_object().expect("components").keys().collect();
    for n in &names {
        for prefix in ["Evaluation", "Timeline", "SchemeList", "EvaluateRequest", "TimelineRequest", "RulesetsResponse"]
        {
            let dup =
                n.strip_prefix(prefix).filter(|rest| !rest.is_empty() && names.iter().any(|m| m.as_str() == *rest));
            assert!(dup.is_none(), "{n} duplicates {}", dup.unwrap_or_default());
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").expect("a component reference");
        assert!(doc["components"]["schemas"][name].is_object(), "{r} does not resolve");
    }
}

#[test]
fn bad_input_gets_the_right_status_and_pointer() {
    let server = Server::start(&[
        "--max-body-bytes",
        "4000",
        "--max-persons",
        "2",
        "--max-months",
        "12",
        "--max-households",
        "2",
    ]);
    let hh = json!({"persons": [{"id": "c", "role": "child", "birth_date": "2020-01-01"}]});
    let check = |method: &str, path: &str, body: &[u8], status: u16, code: &str, pointer: Option<&str>| {
        let (s, headers, b) = server.request(method, path, &[], body);
        assert_eq!(s, status, "{method} {path}: {}", String::from_utf8_lossy(&b));
        assert_eq!(header(&headers, "content-type"), Some("application/problem+json"), "{path}");
        let p = problem(&b);
        assert_eq!((p["code"].as_str(), p["status"].as_u64()), (Some(code), Some(u64::from(status))), "{path}");
        assert_eq!(p["pointer"].as_str(), pointer, "{path}");
    };
    check("POST", "/v1/evaluate", &[b'{'; 5000], 413, "body_too_large", None);
    check("POST", "/v1/evaluate", b"{\"household\": \xff}", 400, "invalid_json", Some(""));
    // JSON nested deeper than the parser's limit: rejected where it stops.
    let (status, _, b) = server.request("POST", "/v1/evaluate", &[], "[".repeat(3000).as_bytes());
    let p = problem(&b);
    assert_eq!((status, p["code"].as_str()), (400, Some("invalid_json")), "{p}");
    assert!(p["pointer"].as_str().is_some_and(|s| s.starts_with("/0/0/0")), "{p}");
    check("POST", "/v1/evaluate", b"{\"month\": \"2025-06\", \"month\": \"2025-07\"}", 400, "invalid_json", Some(""));
    let body = |v: Value| v.to_string().into_bytes();
    check(
        "POST",
        "/v1/evaluate",
        &body(json!({"household": hh, "month": "2025-06", "lang": "en"})),
        422,
        "unknown_field",
        Some("/lang"),
    );
    check("POST", "/v1/evaluate", &body(json!({"household": hh})), 422, "missing_field", Some("/month"));
    check(
        "POST",
        "/v1/evaluate",
        &body(json!({"household": hh, "month": "2025-13"})),
        422,
        "invalid_month",
        Some("/month"),
    );
    check(
        "POST",
        "/v1/evaluate",
        &body(json!({"household": hh, "month": "2025-06", "trace": 1})),
        422,
        "invalid_type",
        Some("/trace"),
    );
    let bad = json!({"persons": [{"id": "c", "role": "child", "birth_date": "2020-02-30"}]});
    check(
        "POST",
        "/v1/evaluate",
        &body(json!({"household": bad, "month": "2025-06"})),
        422,
        "invalid_date",
        Some("/household/persons/0/birth_date"),
    );
    let three = json!({"persons": [{"id": "a", "role": "parent"}, {"id": "b", "role": "parent"}, {"id": "c", "role": "child"}]});
    check(
        "POST",
        "/v1/evaluate",
        &body(json!({"household": three, "month": "2025-06"})),
        422,
        "limit_exceeded",
        Some("/household/persons"),
    );
    let span = |scheme: &str, to: &str| body(json!({"household": hh, "scheme": scheme, "from": "2025-01", "to": to}));
    check("POST", "/v1/timeline", &span("nope", "2025-03"), 422, "unknown_reference", Some("/scheme"));
    check("POST", "/v1/timeline", &span("child_allowance", "2026-01"), 422, "limit_exceeded", Some("/to"));
    check("POST", "/v1/timeline", &span("child_allowance", "2024-01"), 422, "invalid_value", Some("/to"));
    check("POST", "/v1/timeline", &span("birth_support_grant", "2025-03"), 422, "invalid_value", Some("/scheme"));
    check("GET", "/v1/evaluate", b"", 405, "method_not_allowed", None);
    check("GET", "/v2/evaluate", b"", 404, "not_found", None);
    check("GET", "/v1/schema/nope", b"", 404, "not_found", None);
    check("POST", "/v1/screen", "{}\n{}\n{}\n".as_bytes(), 413, "limit_exceeded", None);
    // A batch answers line by line: an evaluation, or the line's problem under its index.
    let lines = format!(
        "{}\n{}\n",
        json!({"household": hh, "month": "2025-06"}),
        json!({"household": bad, "month": "2025-06"})
    );
    let (status, headers, out) = server.request("POST", "/v1/screen", &[], lines.as_bytes());
    assert_eq!((status, header(&headers, "content-type")), (200, Some("application/x-ndjson")));
    let out: Vec<Value> =
        String::from_utf8_lossy(&out).lines().map(|l| serde_json::from_str(l).expect("ndjson")).collect();
    assert_eq!(out.len(), 2);
    assert!(out[0]["schemes"].is_array() && out[0]["receipt"].is_object());
    assert_eq!(out[1]["error"]["pointer"].as_str(), Some("/1/household/persons/0/birth_date"));
    // Blank lines are skipped but counted.
    let lines = format!("\n\n{}\n", json!({"household": bad, "month": "2025-06"}));
    let (_, _, out) = server.request("POST", "/v1/screen", &[], lines.as_bytes());
    let out: Value = serde_json::from_slice(&out).expect("one line");
    assert_eq!(out["error"]["pointer"].as_str(), Some("/2/household/persons/0/birth_date"));
    // Only a 200 is cacheable: an ETag never turns a 404 into a 304.
    let (_, headers, _) = server.request("GET", "/healthz", &[], b"");
    let etag = header(&headers, "etag").expect("etag").to_owned();
    let (status, headers, _) = server.request("GET", "/v2/nothing", &[("If-None-Match", &etag)], b"");
    assert_eq!((status, header(&headers, "etag")), (404, None));
}

#[test]
fn slow_clients_are_cut_off_while_others_are_served() {
    let server = Server::start(&["--header-timeout-ms", "300", "--timeout-ms", "500"]);
    // Headers that never end.
    let mut slow_head = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    slow_head.write_all(b"POST /v1/evaluate HTTP/1.1\r\nHost: localhost\r\n").expect("write");
    // A body that never comes.
    let mut slow_body = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    slow_body
        .write_all(b"POST /v1/evaluate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"household\"")
        .expect("write");
    let (status, _, _) = server.request("GET", "/healthz", &[], b"");
    assert_eq!(status, 200, "served while others are slow");
    std::thread::sleep(Duration::from_millis(800));
    slow_head.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    let mut rest = Vec::new();
    let _ = slow_head.read_to_end(&mut rest);
    assert!(rest.is_empty() || String::from_utf8_lossy(&rest).starts_with("HTTP/1.1 408"), "closed: {rest:?}");
    slow_body.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    let mut raw = Vec::new();
    let _ = slow_body.read_to_end(&mut raw);
    let (status, _, body) = parse(&raw);
    assert_eq!((status, problem(&body)["code"].as_str()), (408, Some("timeout")));
    let (status, _, _) = server.request("GET", "/healthz", &[], b"");
    assert_eq!(status, 200, "still serving");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_service() {
    let mut server = Server::start(&[]);
    let (status, _, _) = server.request("GET", "/healthz", &[], b"");
    assert_eq!(status, 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    let mut waited = 0;
    let code = loop {
        if let Some(s) = server.child.try_wait().expect("wait") {
            break s;
        }
        assert!(waited < 100, "still running 10 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
        waited += 1;
    };
    assert!(code.success(), "{code:?}");
}

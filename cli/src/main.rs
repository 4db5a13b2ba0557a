//! `kodomo` — evaluate Japanese child benefit rules from the command line.
//!
//! Exit codes: 0 success, 1 bad input (the message names the JSON path), 2 bad usage.

use kodomo_rules::{Bundle, Engine, Evaluation, Lang, Options, Timeline, ValidHousehold, YearMonth};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::ExitCode;

/// Default of `--max-input-bytes`: a household file larger than this is refused (64 MiB).
const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

const USAGE: &str = "\
kodomo — Japanese child benefit rules (児童手当 …), exact to the yen

USAGE:
  kodomo eval FILE --month YYYY-MM [--format json|text] [--lang ja|en] [--trace] [--max-input-bytes N]
  kodomo timeline FILE --scheme ID --from YYYY-MM --to YYYY-MM [--format json|text] [--lang ja|en] [--trace]
                                  [--max-input-bytes N]
  kodomo schemes [--format json|text] [--lang ja|en]
                                  the schemes: id, names, law, level, kind, rulesets (IDs for --scheme)
  kodomo validate PATH            check a ruleset bundle (a folder laid out as rulesets/, or a
                                  {\"files\": {...}} JSON file) against the embedded rulesets; every
                                  error with its file and JSON pointer, exit 1 if any
  kodomo demo [--lang ja|en]      evaluate the embedded example household and explain it
  kodomo example                  print the embedded example household (JSON)
  kodomo rulesets [--format json|text]
  kodomo schema                   JSON Schema of the household input
  kodomo serve [--addr 127.0.0.1:8080] [--max-body-bytes N] [--max-persons N] [--max-months N]
               [--max-households N] [--timeout-ms N] [--header-timeout-ms N] [--max-concurrent N]
               [--max-connections N] [--quiet]          the HTTP service (POST /v1/evaluate, /v1/timeline, /v1/screen;
                                  GET /v1/schemes, /v1/rulesets, /v1/schema/NAME, /healthz,
                                  /openapi.json); each option also as an environment variable
                                  (KODOMO_ADDR, KODOMO_MAX_BODY_BYTES, …, KODOMO_QUIET=1,
                                  KODOMO_RULES=PATH:PATH); stops on SIGTERM or Ctrl-C

FILE is a household JSON file, or - for standard input, at most --max-input-bytes (default 64 MiB).
--rules PATH (repeatable, any command) adds a ruleset bundle to the embedded rulesets (a folder laid
out as rulesets/ — e.g. municipal/382060/<scheme>/scheme.json — or a {\"files\": {...}} JSON file);
a path the engine has replaces that file.
Output is JSON unless --format text.
Exit status: 0 ok, 1 bad input (message names the JSON path) or output that could not be written,
2 bad usage.
";

const EXAMPLE: &str = include_str!("../../examples/family.json");
/// A single mother living with her father, with a disabled child: every allowance applies.
const SINGLE_PARENT: &str = include_str!("../../examples/single_parent.json");
/// The third example: twins born in 西条市 to a mother insured with 協会けんぽ (the four grants).
const PREGNANCY_AND_BIRTH: &str = include_str!("../../examples/pregnancy_and_birth.json");
/// The fourth example: a self-employed family in 国保 in 西条市 with a birth (the premium reductions).
const NHI_FAMILY: &str = include_str!("../../examples/nhi_family.json");
/// The fifth example: both parents employed and on leave around a 2025 birth in 西条市 (the leave
/// benefits side by side, 80 % while both take leave).
const LEAVE_FAMILY: &str = include_str!("../../examples/leave_family.json");

/// A CLI failure: bad usage (exit 2) or bad input (exit 1).
enum Failure {
    Usage(String),
    Input(String),
}

struct Args {
    positional: Vec<String>,
    month: Option<String>,
    from: Option<String>,
    scheme: Option<String>,
    to: Option<String>,
    format: Format,
    lang: Lang,
    trace: bool,
    max_input_bytes: u64,
    rules: Vec<String>,
    /// `kodomo serve`'s options given as flags, by name without `--`.
    serve: Vec<(&'static str, String)>,
}

/// `kodomo serve`'s options (each also `KODOMO_<NAME>` in the environment, the flag winning).
const SERVE_OPTIONS: [&str; 9] = [
    "addr",
    "max-body-bytes",
    "max-persons",
    "max-months",
    "max-households",
    "timeout-ms",
    "header-timeout-ms",
    "max-concurrent",
    "max-connections",
];

#[derive(PartialEq, Eq, Clone, Copy)]
enum Format {
    Json,
    Text,
}

fn parse_args(raw: impl Iterator<Item = OsString>) -> Result<Args, Failure> {
    // Arguments arrive as the OS gives them; one that is not UTF-8 is a usage error, not a panic.
    let raw = raw
        .enumerate()
        .map(|(i, a)| {
            a.into_string()
                .map_err(|a| Failure::Usage(format!("argument {} is not valid UTF-8: {}", i + 1, a.to_string_lossy())))
        })
        .collect::<Result<Vec<String>, Failure>>()?;
    let mut a = Args {
        positional: vec![],
        month: None,
        from: None,
        scheme: None,
        to: None,
        format: Format::Json,
        lang: Lang::Ja,
        trace: false,
        max_input_bytes: MAX_INPUT_BYTES,
        rules: vec![],
        serve: vec![],
    };
    let mut it = raw.into_iter().peekable();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| Failure::Usage(format!("{name} needs a value")));
        match arg.as_str() {
            "--month" => a.month = Some(value("--month")?),
            "--from" => a.from = Some(value("--from")?),
            "--scheme" => a.scheme = Some(value("--scheme")?),
            "--to" => a.to = Some(value("--to")?),
            "--format" => {
                a.format = match value("--format")?.as_str() {
                    "json" => Format::Json,
                    "text" => Format::Text,
                    other => return Err(Failure::Usage(format!("unknown format {other:?} (json or text)"))),
                }
            }
            "--lang" => a.lang = value("--lang")?.parse().map_err(Failure::Usage)?,
            "--trace" => a.trace = true,
            "--rules" => a.rules.push(value("--rules")?),
            "--max-input-bytes" => {
                a.max_input_bytes = value("--max-input-bytes")?
                    .parse()
                    .map_err(|_| Failure::Usage("--max-input-bytes needs a whole number of bytes".into()))?
            }
            "--quiet" => a.serve.push(("quiet", "1".into())),
            "-h" | "--help" => return Err(Failure::Usage(String::new())),
            s if s.starts_with("--") => match SERVE_OPTIONS.iter().find(|o| s.strip_prefix("--") == Some(**o)) {
                Some(name) => a.serve.push((name, value(s)?)),
                None => return Err(Failure::Usage(format!("unknown option {s}"))),
            },
            _ => a.positional.push(arg),
        }
    }
    Ok(a)
}

fn month(flag: &str, v: &Option<String>) -> Result<YearMonth, Failure> {
    let v = v.as_deref().ok_or_else(|| Failure::Usage(format!("{flag} YYYY-MM is required")))?;
    v.parse().map_err(|e| Failure::Input(format!("{flag}: {e}")))
}

/// The household text from a file or standard input, refusing more than `max` bytes (memory
/// grows with the input, so an unbounded read is a way to exhaust it).
fn read_input(path: Option<&String>, max: u64) -> Result<String, Failure> {
    let path = path.ok_or_else(|| Failure::Usage("a household FILE (or -) is required".into()))?;
    let (name, source): (&str, Box<dyn Read>) = if path == "-" {
        ("standard input", Box::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(path).map_err(|e| Failure::Input(format!("{path}: {e}")))?;
        (path.as_str(), Box::new(file))
    };
    let mut bytes = Vec::new();
    source.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(Failure::Input(format!(
            "{name}: the input is larger than {max} bytes (raise --max-input-bytes to read it)"
        )));
    }
    String::from_utf8(bytes).map_err(|e| Failure::Input(format!("{name}: not UTF-8 text ({e})")))
}

fn household(engine: &Engine, text: &str) -> Result<ValidHousehold, Failure> {
    engine.parse_household(text).map_err(|e| Failure::Input(format!("invalid household: {e}")))
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(v).map_err(|e| Failure::Input(format!("cannot write JSON: {e}")))
}

/// The embedded rulesets with every `--rules` bundle added, in order.
fn engine(a: &Args) -> Result<Engine, Failure> {
    let mut engine = Engine::new().map_err(|e| Failure::Input(format!("embedded rulesets: {e}")))?;
    for path in &a.rules {
        engine = engine.with_bundle(&bundle(path)?).map_err(|e| Failure::Input(format!("--rules {path}:\n{e}")))?;
    }
    Ok(engine)
}

/// A ruleset bundle from a folder (every `*.json` under it, by its path relative to the folder)
/// or from a `{"files": {...}}` JSON file.
fn bundle(path: &str) -> Result<Bundle, Failure> {
    let fail = |e: &dyn std::fmt::Display| Failure::Input(format!("{path}: {e}"));
    let root = std::path::Path::new(path);
    if !root.is_dir() {
        let bytes = std::fs::read(root).map_err(|e| fail(&e))?;
        return Bundle::from_json(&bytes).map_err(|e| fail(&e));
    }
    let mut files = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| fail(&e))? {
            let p = entry.map_err(|e| fail(&e))?.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut bundle = Bundle::new();
    for p in files {
        let rel = p.strip_prefix(root).map_err(|e| fail(&e))?;
        let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let bytes = std::fs::read(&p).map_err(|e| fail(&e))?;
        bundle.add(&rel.join("/"), &bytes).map_err(|e| fail(&e))?;
    }
    Ok(bundle)
}

fn eval_out(engine: &Engine, e: &Evaluation, a: &Args) -> Result<String, Failure> {
    match a.format {
        Format::Json => json(e),
        Format::Text => Ok(e.explain(engine, a.lang)),
    }
}

fn timeline_out(engine: &Engine, t: &Timeline, a: &Args) -> Result<String, Failure> {
    match a.format {
        Format::Json => json(t),
        Format::Text => Ok(t.explain(engine, a.lang)),
    }
}

fn run(raw: impl Iterator<Item = OsString>) -> Result<String, Failure> {
    let a = parse_args(raw)?;
    let command = a.positional.first().map(String::as_str);
    let options = Options::trace(a.trace);
    match command {
        Some("eval") => {
            let engine = engine(&a)?;
            let hh = household(&engine, &read_input(a.positional.get(1), a.max_input_bytes)?)?;
            let m = month("--month", &a.month)?;
            eval_out(&engine, &engine.evaluate(&hh, m, options), &a)
        }
        Some("timeline") => {
            let engine = engine(&a)?;
            let scheme = a
                .scheme
                .as_deref()
                .ok_or_else(|| Failure::Usage("timeline needs --scheme ID (`kodomo schemes` lists the ids)".into()))?;
            if engine.scheme_meta(scheme).is_none() {
                let ids: Vec<String> = engine.schemes().iter().map(|s| s.meta.id.to_string()).collect();
                return Err(Failure::Usage(format!("unknown scheme {scheme:?} (schemes: {})", ids.join(", "))));
            }
            let hh = household(&engine, &read_input(a.positional.get(1), a.max_input_bytes)?)?;
            let (from, to) = (month("--from", &a.from)?, month("--to", &a.to)?);
            let t = engine
                .timeline(&hh, scheme, from, to, options)
                .map_err(|e| Failure::Input(format!("invalid span: {e}")))?;
            timeline_out(&engine, &t, &a)
        }
        Some("schemes") => {
            let engine = engine(&a)?;
            let schemes = engine.schemes();
            match a.format {
                Format::Json => json(&schemes),
                Format::Text => Ok(schemes
                    .iter()
                    .map(|s| {
                        let m = &s.meta;
                        let name = if a.lang == Lang::Ja { &m.name.ja } else { &m.name.en };
                        format!(
                            "{:<36} {:<10} {:<8} {name}  [{}]\n",
                            m.id,
                            json_word(&m.kind),
                            json_word(&m.level),
                            s.rulesets.join(", ")
                        )
                    })
                    .collect()),
            }
        }
        Some("demo") => {
            let engine = engine(&a)?;
            let hh = household(&engine, EXAMPLE)?;
            let at = |s: &str| s.parse::<YearMonth>().map_err(|e| Failure::Input(e.to_string()));
            let title = if a.lang == Lang::Ja {
                "例: 5人世帯（父・母・19歳の大学生・小学生・2歳）"
            } else {
                "Example: a family of five (parents, a 19-year-old student, a pupil, a 2-year-old)"
            };
            let mut out = format!("{title}\n\n");
            for m in ["2024-09", "2025-06"] {
                out.push_str(&engine.evaluate(&hh, at(m)?, Options::trace(true)).explain(&engine, a.lang));
                out.push('\n');
            }
            out.push_str(&paying_timelines(&engine, &hh, at("2024-04")?, at("2025-03")?, a.lang)?);
            let title = if a.lang == Lang::Ja {
                "例: ひとり親世帯（母・祖父・障害のある13歳・8歳）"
            } else {
                "Example: a single mother living with her father, a disabled 13-year-old and an 8-year-old"
            };
            out.push_str(&format!("\n{title}\n\n"));
            let hh = household(&engine, SINGLE_PARENT)?;
            out.push_str(&engine.evaluate(&hh, at("2025-08")?, Options::default()).explain(&engine, a.lang));
            out.push('\n');
            out.push_str(&paying_timelines(&engine, &hh, at("2025-04")?, at("2026-03")?, a.lang)?);
            let title = if a.lang == Lang::Ja {
                "例: 双子の出生（西条市、母は協会けんぽ・産前産後休業、直接支払制度）、上の子4歳"
            } else {
                "Example: twins born in Saijo (mother insured with Kyokai Kenpo, on maternity leave, direct payment), a 4-year-old"
            };
            out.push_str(&format!("\n{title}\n\n"));
            let hh = household(&engine, PREGNANCY_AND_BIRTH)?;
            out.push_str(&engine.evaluate(&hh, at("2026-01")?, Options::default()).explain(&engine, a.lang));
            let title = if a.lang == Lang::Ja {
                "例: 西条市の自営業世帯（国民健康保険・国民年金第1号）、2025年7月の出生、上の子3歳"
            } else {
                "Example: a self-employed family in Saijo (national health insurance and pension), a birth in July 2025, a 3-year-old"
            };
            out.push_str(&format!("\n{title}\n\n"));
            let hh = household(&engine, NHI_FAMILY)?;
            out.push_str(&engine.evaluate(&hh, at("2025-12")?, Options::default()).explain(&engine, a.lang));
            let title = if a.lang == Lang::Ja {
                "例: 共働きの両親がともに育休（西条市、2025年6月の出生）: 産休、産後パパ育休、育休、出生後休業支援（合わせて80%）、時短"
            } else {
                "Example: both employed parents take leave around a June 2025 birth in Saijo: maternity leave, postnatal paternity leave, childcare leave, the 13 % top-up (80 % in all), shorter hours"
            };
            out.push_str(&format!("\n{title}\n\n"));
            let hh = household(&engine, LEAVE_FAMILY)?;
            out.push_str(&engine.evaluate(&hh, at("2026-07")?, Options::default()).explain(&engine, a.lang));
            Ok(out)
        }
        Some("validate") => {
            let path = a.positional.get(1).ok_or_else(|| Failure::Usage("validate needs a PATH".into()))?;
            let bundle = bundle(path)?;
            let base = engine(&a)?;
            match base.with_bundle(&bundle) {
                Ok(engine) => {
                    let ids: Vec<String> = engine.schemes().iter().map(|s| s.meta.id.to_string()).collect();
                    Ok(format!("ok: {} files; schemes: {}", bundle.files().count(), ids.join(", ")))
                }
                Err(errors) => Err(Failure::Input(
                    errors
                        .0
                        .iter()
                        .map(|e| {
                            format!(
                                "{}: {}: {}",
                                e.ruleset,
                                if e.path.is_empty() { "(document)" } else { &e.path },
                                e.message
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                )),
            }
        }
        Some("example") => Ok(EXAMPLE.trim_end().to_owned()),
        Some("rulesets") => {
            let e = engine(&a)?;
            match a.format {
                Format::Json => json(&e.ruleset_list()),
                Format::Text => Ok(e
                    .rulesets()
                    .iter()
                    .map(|r| {
                        format!(
                            "{:<40} {}..{}  {}  {}\n",
                            r.id,
                            r.valid_from,
                            r.valid_to.map_or(String::new(), |t| t.to_string()),
                            r.hash,
                            if a.lang == Lang::Ja { &r.title.ja } else { &r.title.en }
                        )
                    })
                    .collect()),
            }
        }
        Some("schema") => json(&Engine::household_schema()),
        Some("serve") => serve(a),
        Some(other) => Err(Failure::Usage(format!("unknown command {other:?}"))),
        None => Err(Failure::Usage(String::new())),
    }
}

/// `kodomo serve`: the options from the flags or the environment, then the service until it stops.
fn serve(mut a: Args) -> Result<String, Failure> {
    let setting = |a: &Args, name: &str| -> Option<(String, String)> {
        if let Some((_, v)) = a.serve.iter().rev().find(|(n, _)| *n == name) {
            return Some((format!("--{name}"), v.clone()));
        }
        let var = format!("KODOMO_{}", name.to_uppercase().replace('-', "_"));
        std::env::var(&var).ok().map(|v| (var, v))
    };
    let number = |a: &Args, name: &str, default: u64| -> Result<u64, Failure> {
        match setting(a, name) {
            None => Ok(default),
            Some((from, v)) => v.parse().map_err(|_| Failure::Usage(format!("{from} needs a whole number, got {v:?}"))),
        }
    };
    let positive = |a: &Args, name: &str, default: u64| -> Result<u64, Failure> {
        match number(a, name, default)? {
            0 => Err(Failure::Usage(format!("--{name} (or its variable) must be at least 1"))),
            n => Ok(n),
        }
    };
    if a.rules.is_empty() {
        if let Ok(paths) = std::env::var("KODOMO_RULES") {
            a.rules = paths.split(':').filter(|p| !p.is_empty()).map(str::to_owned).collect();
        }
    }
    let d = kodomo_server::Limits::default();
    let ms = std::time::Duration::from_millis;
    let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let limits = kodomo_server::Limits {
        max_body_bytes: size(positive(&a, "max-body-bytes", d.max_body_bytes as u64)?),
        max_persons: size(positive(&a, "max-persons", d.max_persons as u64)?),
        max_months: u32::try_from(positive(&a, "max-months", u64::from(d.max_months))?).unwrap_or(u32::MAX),
        max_households: size(positive(&a, "max-households", d.max_households as u64)?),
        timeout: ms(positive(&a, "timeout-ms", d.timeout.as_millis() as u64)?),
        header_timeout: ms(positive(&a, "header-timeout-ms", d.header_timeout.as_millis() as u64)?),
        max_concurrent: size(positive(&a, "max-concurrent", d.max_concurrent as u64)?),
        max_connections: size(positive(&a, "max-connections", d.max_connections as u64)?),
    };
    let (from, addr) = setting(&a, "addr").unwrap_or(("--addr".into(), "127.0.0.1:8080".into()));
    let addr: std::net::SocketAddr =
        addr.parse().map_err(|e| Failure::Usage(format!("{from}: {e} (expected HOST:PORT, e.g. 127.0.0.1:8080)")))?;
    let quiet = setting(&a, "quiet").is_some_and(|(_, v)| matches!(v.as_str(), "1" | "true" | "yes"));
    let engine = engine(&a)?;
    kodomo_server::run(addr, engine, limits, !quiet).map_err(|e| Failure::Input(format!("serve {addr}: {e}")))?;
    Ok(String::new())
}

/// The timelines of every monthly scheme that pays the household something in the span.
fn paying_timelines(
    engine: &Engine,
    hh: &ValidHousehold,
    from: YearMonth,
    to: YearMonth,
    lang: Lang,
) -> Result<String, Failure> {
    let mut out = String::new();
    for s in engine.schemes().iter().filter(|s| s.meta.kind == kodomo_rules::BenefitKind::Monthly) {
        let t = engine
            .timeline(hh, s.meta.id.as_str(), from, to, Options::default())
            .map_err(|e| Failure::Input(e.to_string()))?;
        if t.total > 0 {
            out.push_str(&t.explain(engine, lang));
            out.push('\n');
        }
    }
    Ok(out)
}

/// A unit enum's JSON name (`monthly`, `national`).
fn json_word<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Write to standard error; if even that fails there is no one left to tell (never a panic).
fn complain(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1)) {
        // `serve` has written what it had to say.
        Ok(out) if out.is_empty() => ExitCode::SUCCESS,
        Ok(out) => {
            // Output that cannot be written (a closed pipe, a full disk) is lost output: an error.
            let mut stdout = std::io::stdout().lock();
            match writeln!(stdout, "{}", out.trim_end()).and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    complain(&format!("error: cannot write the output: {e}\n"));
                    ExitCode::from(1)
                }
            }
        }
        Err(Failure::Usage(msg)) => {
            if !msg.is_empty() {
                complain(&format!("error: {msg}\n\n"));
            }
            complain(USAGE);
            ExitCode::from(2)
        }
        Err(Failure::Input(msg)) => {
            complain(&format!("error: {msg}\n"));
            ExitCode::from(1)
        }
    }
}

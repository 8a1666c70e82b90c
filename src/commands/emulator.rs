//! `amlplan emulator`: the mock provider's emulator served over HTTP on loopback until
//! interrupted (Ctrl-C or SIGTERM), its cloud saved after every change when `--state` names
//! a file.

use std::net::SocketAddr;

use super::{EXIT_ERROR, EXIT_OK};
use crate::cli::EmulatorArgs;
use crate::diagnostic::Diagnostic;
use crate::diagnostics::engine as diag;
use crate::provider::emulator::http::{EmulatorServer, ServeOptions, settle_in_flight};
use crate::provider::emulator::throttle::ThrottleSpec;
use crate::provider::emulator::{EmulatorOptions, FaultPlan, Latency, MockCloud};
use crate::render::diagnostic_line;
use crate::render::human::Style;

pub fn run(args: &EmulatorArgs, _style: Style) -> u8 {
    match serve(args) {
        Ok(()) => EXIT_OK,
        Err(d) => {
            crate::render::stderr::print(format_args!("{}", diagnostic_line::render(&d)));
            EXIT_ERROR
        }
    }
}

/// `seed=N,rate_429=R,rate_500=R,rate_lro_failed=R`.
pub fn parse_faults(text: &str) -> Result<FaultPlan, String> {
    let mut plan = FaultPlan::default();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}` in --faults is not KEY=VALUE"))?;
        let rate = || {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|r| (0.0..=1.0).contains(r))
                .ok_or_else(|| format!("`{part}` in --faults: a rate is a number from 0 to 1"))
        };
        match k.trim() {
            "seed" => {
                plan.seed = v
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{part}` in --faults: the seed is a whole number"))?
            }
            "rate_429" => plan.rate_429 = rate()?,
            "rate_500" => plan.rate_500 = rate()?,
            "rate_lro_failed" => plan.rate_lro_failed = rate()?,
            other => {
                return Err(format!(
                    "`{other}` in --faults is not seed, rate_429, rate_500 or rate_lro_failed"
                ));
            }
        }
    }
    Ok(plan)
}

fn options(args: &EmulatorArgs) -> Result<(EmulatorOptions, ServeOptions), Diagnostic> {
    let faults = match &args.faults {
        Some(text) => parse_faults(text).map_err(|e| diag::emulator_cannot_start(&e))?,
        None => FaultPlan::none(),
    };
    let throttle = if args.buckets.trim().eq_ignore_ascii_case("off") {
        None
    } else {
        Some(ThrottleSpec::parse(&args.buckets).ok_or_else(|| {
            diag::emulator_cannot_start(&format!(
                "--buckets `{}` is not `reads=CAPACITY/REFILL,writes=CAPACITY/REFILL` or `off`",
                args.buckets
            ))
        })?)
    };
    let emulator = EmulatorOptions {
        latency: Latency::fixed(args.latency),
        polls_until_done: args.polls,
        retry_after_secs: args.retry_after,
        faults,
        ..EmulatorOptions::default()
    };
    let serve = ServeOptions {
        throttle,
        page_size: args.page_size,
    };
    Ok((emulator, serve))
}

fn serve(args: &EmulatorArgs) -> Result<(), Diagnostic> {
    let (emulator_options, serve_options) = options(args)?;
    let addr: SocketAddr = args.listen.parse().map_err(|_| {
        diag::emulator_cannot_start(&format!(
            "--listen `{}` is not an address and port such as 127.0.0.1:8080",
            args.listen
        ))
    })?;
    if !addr.ip().is_loopback() {
        return Err(diag::emulator_cannot_start(&format!(
            "--listen {addr} is not a loopback address: the emulator accepts any token, so it only serves this machine"
        )));
    }
    let cloud = match &args.state {
        Some(path) => MockCloud::open(path, emulator_options)
            .map_err(|e| diag::emulator_cannot_start(&e.to_string()))?,
        None => MockCloud::new(emulator_options),
    };
    settle_in_flight(&cloud);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| diag::runtime_unavailable(&e))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| diag::emulator_cannot_start(&format!("cannot listen on {addr}: {e}")))?;
        let server = EmulatorServer::start(listener, cloud.clone(), serve_options)
            .map_err(|e| diag::emulator_cannot_start(&e.to_string()))?;
        crate::render::stdout::println(&format!("amlplan emulator listening on {}", server.url()));
        stopped().await;
        drop(server);
        cloud
            .save()
            .map_err(|e| diag::emulator_cannot_start(&e.to_string()))
    })
}

/// Until Ctrl-C or SIGTERM.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs_parse() {
        let plan = parse_faults("seed=7, rate_429=0.2,rate_500=0.1,rate_lro_failed=0").unwrap();
        assert_eq!((plan.seed, plan.rate_429, plan.rate_500), (7, 0.2, 0.1));
        assert!(parse_faults("rate_429=2").is_err());
        assert!(parse_faults("seed").is_err());
        assert!(parse_faults("typo=1").unwrap_err().contains("typo"));
    }
}

//! `amlplan prices update`: refreshes the local price cache from the Azure Retail Prices API.
//! The cache is written (atomically) only after every page of every query was read, so a
//! failed update leaves the previous cache as it was.

use super::{EXIT_ERROR, EXIT_OK};
use crate::cli::PricesUpdateArgs;
use crate::cost::{cache, update};
use crate::diagnostic::Diagnostic;
use crate::diagnostics::cost as diag;
use crate::render::diagnostic_line;
use crate::render::human::Style;

pub fn update(args: &PricesUpdateArgs, _style: Style) -> u8 {
    match run(args) {
        Ok(summary) => {
            crate::render::stdout::println(&summary);
            EXIT_OK
        }
        Err(d) => {
            crate::render::stderr::print(format_args!("{}", diagnostic_line::render(&d)));
            EXIT_ERROR
        }
    }
}

fn run(args: &PricesUpdateArgs) -> Result<String, Diagnostic> {
    let endpoint = update::endpoint(&args.endpoint)?;
    let regions = update::regions(&args.regions)?;
    let path = args
        .cache
        .clone()
        .or_else(cache::default_location)
        .ok_or_else(|| {
            diag::prices_update_options(
                "no home directory is known to keep the price cache in: give --cache FILE (or AMLPLAN_PRICE_CACHE)",
            )
        })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::diagnostics::engine::runtime_unavailable(&e))?;
    let http = update::http_client();
    let fetched = runtime.block_on(update::fetch(http.as_ref(), &endpoint, &regions))?;
    let shown = path.display().to_string();
    // A damaged previous cache is replaced (that is how E0919 is mended), not merged.
    let previous = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| cache::parse(&text).ok());
    let (pages, items, windows, low_priority, unknown) = (
        fetched.pages,
        fetched.items,
        fetched.windows,
        fetched.low_priority,
        fetched.unknown_sizes,
    );
    let kept = fetched.prices.len();
    let written = update::cache_of(fetched, &endpoint, &regions, &update::now(), previous);
    crate::provider::emulator::store::write_atomically(&path, &cache::render(&written))
        .map_err(|e| diag::price_cache_unwritable(&shown, &e.to_string()))?;
    Ok(format!(
        "fetched {items} price items in {pages} pages for {}: kept {kept} (Linux pay as you go, Spot, reservations and platform meters), skipped {windows} Windows and {low_priority} low-priority rows and {unknown} of VM sizes amlplan does not know\nwrote {} prices to {shown}",
        regions.join(", "),
        written.prices.len()
    ))
}

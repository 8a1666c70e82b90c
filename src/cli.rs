//! Command-line definitions (clap). One function per subcommand lives in `src/commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  amlplan validate examples/fraud-detection
  amlplan plan examples/fraud-detection
  amlplan plan -out plan.json --detailed-exitcode .
  amlplan apply --auto-approve .
  amlplan apply plan.json
  amlplan destroy --auto-approve .
  amlplan graph --format mermaid .
  amlplan cost --format markdown --prices ea.toml .
  amlplan review --format sarif . > amlplan.sarif
  amlplan explain AML-NET-004
  amlplan validate --format json --deny-warnings .
  amlplan validate --var env=prod --var-file prod.hcl infra/
  amlplan fmt --check .
  amlplan explain E0203
  amlplan completions bash > /etc/bash_completion.d/amlplan";

/// How many diagnostics a human report shows by default: enough to fix a file by, few enough
/// that a broken generated manifest does not bury the terminal (compilers cap theirs too).
pub const DEFAULT_MAX_ERRORS: usize = 200;

#[derive(Debug, Parser)]
#[command(
    name = "amlplan",
    version,
    about = "Compile, check and plan Azure Machine Learning infrastructure manifests",
    long_about = "amlplan type-checks a directory of HCL manifest files describing an Azure Machine \
                  Learning platform (workspaces, managed networks, compute, assets, endpoints, \
                  private networking and access) and reports every problem with its place in the source.",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// When to use colour: auto (a terminal and NO_COLOR unset), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Show at most this many diagnostics (the rest are counted; 0 shows all). JSON output
    /// always holds every one.
    #[arg(long, global = true, value_name = "N", default_value_t = DEFAULT_MAX_ERRORS)]
    pub max_errors: usize,

    #[command(subcommand)]
    pub command: Command,
}

/// Terraform users type single-dash long flags (`-out`, `-auto-approve`); accept them by
/// rewriting them to their `--` form before clap sees the arguments.
pub fn normalize_args(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    const TERRAFORM_FLAGS: &[&str] = &[
        "out",
        "detailed-exitcode",
        "auto-approve",
        "refresh-only",
        "var",
        "var-file",
        "parallelism",
    ];
    args.into_iter()
        .map(|a| {
            let Some(text) = a.to_str() else { return a };
            let Some(rest) = text.strip_prefix('-').filter(|r| !r.starts_with('-')) else {
                return a;
            };
            let name = rest.split('=').next().unwrap_or(rest);
            if TERRAFORM_FLAGS.contains(&name) {
                format!("-{text}").into()
            } else {
                a
            }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a manifest directory: syntax, types, references, names and constraints.
    #[command(after_help = "Exit status: 0 when there are no errors, 1 otherwise.")]
    Validate(ValidateArgs),
    /// Rewrite manifest files in the canonical format (comments are kept).
    Fmt(FmtArgs),
    /// Explain a diagnostic code or a review rule, with an example.
    Explain(ExplainArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Show what apply would do: creates, in-place updates, replacements, deletions, drift.
    #[command(
        after_help = "Exit status: 0 success (with --detailed-exitcode: no changes), 1 error, 2 changes (with --detailed-exitcode), 3 the cost forecast is above a budget's amount, or review findings at or above fail_on."
    )]
    Plan(PlanArgs),
    /// Apply the manifest (or a saved plan file) to Azure.
    Apply(ApplyArgs),
    /// Delete everything the state manages, in reverse dependency order.
    Destroy(DestroyArgs),
    /// Print the dependency graph.
    Graph(GraphArgs),
    /// Forecast the monthly cost of the manifest, per resource and line.
    #[command(
        after_help = "Exit status: 0 success, 1 error, 3 the forecast is above a budget's amount."
    )]
    Cost(CostArgs),
    /// Review the manifest for security findings (network isolation, egress, access, data
    /// protection, compute exposure, lineage) and report each workspace's egress.
    #[command(
        after_help = "Exit status: 0 success, 1 error, 3 unsuppressed findings at or above fail_on (`review { fail_on }` or --fail-on)."
    )]
    Review(ReviewArgs),
    /// Print the root module's outputs.
    Output(OutputArgs),
    /// Inspect the state.
    #[command(subcommand)]
    State(StateCommand),
    /// Remove a stale state lock.
    ForceUnlock(ForceUnlockArgs),
    /// Serve the ARM emulator (the mock provider's) over HTTP on loopback, for
    /// `--provider azure --arm-endpoint http://127.0.0.1:PORT --auth none`.
    Emulator(EmulatorArgs),
    /// Manage the prices the cost forecast uses.
    #[command(subcommand)]
    Prices(PricesCommand),
}

#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// Fetch prices from the Azure Retail Prices API into the local price cache, which later
    /// forecasts use over the embedded catalogue (price files still win over it).
    #[command(after_help = "Exit status: 0 success, 1 error (the cache is then unchanged).")]
    Update(PricesUpdateArgs),
}

#[derive(Debug, Args)]
pub struct PricesUpdateArgs {
    /// A region to fetch (repeatable); default: every region the embedded catalogue covers.
    /// Regions not fetched keep the prices an earlier update cached.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// The Retail Prices API's address (https, or http to loopback only).
    #[arg(
        long,
        env = "AMLPLAN_PRICES_ENDPOINT",
        value_name = "URL",
        default_value = crate::cost::update::DEFAULT_ENDPOINT
    )]
    pub endpoint: String,
    /// The cache file to write (default: $AMLPLAN_PRICE_CACHE, else
    /// $XDG_CACHE_HOME/amlplan/prices.json, else ~/.cache/amlplan/prices.json).
    #[arg(long, value_name = "FILE")]
    pub cache: Option<PathBuf>,
}

/// Which provider a run talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderKind {
    /// The ARM emulator in-process, persisted in the mock cloud file.
    Mock,
    /// Azure Resource Manager over HTTP (or the emulator on loopback).
    Azure,
}

/// How the Azure provider authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthChoice {
    /// Workload identity, Azure Pipelines, client secret, managed identity, then the Azure CLI,
    /// each only where the environment offers it.
    Auto,
    Cli,
    ManagedIdentity,
    WorkloadIdentity,
    AzurePipelines,
    ClientSecret,
    /// No token: only for an emulator on loopback.
    None,
}

/// Where resources live: the mock provider (default) or Azure.
#[derive(Debug, Args)]
pub struct ProviderArgs {
    /// The provider: mock (default) or azure.
    #[arg(long = "provider", value_enum, env = "AMLPLAN_PROVIDER", default_value_t = ProviderKind::Mock)]
    pub kind: ProviderKind,

    /// ARM's endpoint for --provider azure (plain http only on loopback, for the emulator).
    #[arg(long, value_name = "URL", env = "AMLPLAN_ARM_ENDPOINT", default_value = crate::provider::azure::PUBLIC_ARM_ENDPOINT)]
    pub arm_endpoint: String,

    /// The credential for --provider azure.
    #[arg(long, value_enum, env = "AMLPLAN_AUTH", default_value_t = AuthChoice::Auto)]
    pub auth: AuthChoice,

    /// The mock provider's cloud file (default: .amlplan/mock-cloud.json beside the manifest).
    #[arg(long, value_name = "PATH")]
    pub mock_cloud: Option<PathBuf>,

    /// The state file (default: the backend's path, .amlplan/state.json beside the manifest).
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub manifest: ManifestArgs,
    #[command(flatten)]
    pub provider: ProviderArgs,
    /// How to print the plan (diagnostics follow: JSON inside the JSON plan, else human).
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
    /// Write the plan to FILE, for `amlplan apply FILE`.
    #[arg(long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Exit 0 when there are no changes, 2 when there are, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Only show changes made outside amlplan (drift); plan no actions.
    #[arg(long)]
    pub refresh_only: bool,
    #[command(flatten)]
    pub prices: PricesArgs,
    #[command(flatten)]
    pub review: FailOnArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The manifest directory, or a plan file written by `amlplan plan -out`.
    #[arg(default_value = ".")]
    pub target: PathBuf,
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    #[command(flatten)]
    pub provider: ProviderArgs,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// How many ARM operations may run at once.
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
    #[command(flatten)]
    pub prices: PricesArgs,
    /// Apply even when the cost forecast is above a budget's amount.
    #[arg(long)]
    pub allow_over_budget: bool,
    #[command(flatten)]
    pub review: FailOnArgs,
    /// Apply even when the security review has findings at or above fail_on.
    #[arg(long)]
    pub allow_findings: bool,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub manifest: ManifestArgs,
    #[command(flatten)]
    pub provider: ProviderArgs,
    #[arg(long)]
    pub auto_approve: bool,
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub manifest: ManifestArgs,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

/// Where negotiated prices come from besides the manifest's `prices` block.
#[derive(Debug, Args)]
pub struct PricesArgs {
    /// A TOML price file whose prices override the catalogue and the manifest's price file.
    #[arg(long = "prices", value_name = "FILE")]
    pub prices: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CostArgs {
    #[command(flatten)]
    pub manifest: ManifestArgs,
    #[command(flatten)]
    pub prices: PricesArgs,
    /// How to print the forecast.
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
}

/// The severity at which review findings fail the run, over the manifest's `fail_on`.
#[derive(Debug, Args)]
pub struct FailOnArgs {
    /// Fail (exit 3) on unsuppressed review findings at or above LEVEL: info, low, medium,
    /// high or critical (default: the manifest's `review { fail_on }`).
    #[arg(long, value_name = "LEVEL", value_parser = parse_severity)]
    pub fail_on: Option<crate::review::Severity>,
}

fn parse_severity(text: &str) -> Result<crate::review::Severity, String> {
    crate::review::Severity::parse(text)
        .ok_or_else(|| "expected one of info, low, medium, high, critical".to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    Human,
    Json,
    Sarif,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub manifest: ManifestArgs,
    /// How to print the findings and the egress report.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Human)]
    pub format: ReviewFormat,
    /// Put this path before every file path in SARIF output: the manifest directory's path
    /// from the repository root (`infra/ml`), so that code scanning finds the files. Without
    /// it, paths are relative to the manifest directory.
    #[arg(long, value_name = "PATH")]
    pub path_prefix: Option<String>,
    #[command(flatten)]
    pub review: FailOnArgs,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// One output; a sensitive output is shown only when asked for by name.
    pub name: Option<String>,
    /// The manifest directory.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub provider: ProviderArgs,
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// List the addresses the state manages.
    List(StateArgs),
    /// Show one resource as the state records it.
    Show(StateShowArgs),
}

#[derive(Debug, Args)]
pub struct StateArgs {
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub provider: ProviderArgs,
}

#[derive(Debug, Args)]
pub struct StateShowArgs {
    pub address: String,
    #[command(flatten)]
    pub state: StateArgs,
}

#[derive(Debug, Args)]
pub struct ForceUnlockArgs {
    /// The lock ID printed by the command that found the state locked.
    pub lock_id: String,
    #[command(flatten)]
    pub state: StateArgs,
}

/// Options shared by commands that compile a manifest.
#[derive(Debug, Args)]
pub struct ManifestArgs {
    /// The manifest directory.
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// Set a variable: --var name=value (repeatable; overrides var files and the environment).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,

    /// Read variable values from an HCL (or .json) file of `name = value` lines (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub manifest: ManifestArgs,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// The directory (or a single file) to format.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Do not write; list the files that would change and exit 1 if any would.
    #[arg(long)]
    pub check: bool,

    /// Also format module directories below the given directory.
    #[arg(long, short)]
    pub recursive: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A diagnostic code such as E0203, a review rule such as AML-NET-004, or `list` for all.
    pub code: String,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// The address to listen on; port 0 picks a free one. The URL is printed on stdout.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: String,
    /// Persist the cloud in FILE (the mock cloud file format), loaded if it exists.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Latency of every request, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
    /// Seeded random faults: `seed=N,rate_429=R,rate_500=R,rate_lro_failed=R`.
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,
    /// ARM's per-subscription token buckets, `reads=CAPACITY/REFILL,writes=CAPACITY/REFILL`
    /// (default ARM's: reads=250/25,writes=200/10), or `off`.
    #[arg(
        long,
        value_name = "SPEC",
        default_value = "reads=250/25,writes=200/10"
    )]
    pub buckets: String,
    /// Polls until a long-running operation finishes.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub polls: u32,
    /// The `Retry-After` of long-running operations, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 1)]
    pub retry_after: u64,
    /// Items per list page (longer lists carry a nextLink).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub page_size: usize,
}

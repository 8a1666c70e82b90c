//! Command-line definitions (clap). One function per subcommand lives in `src/commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  amlplan validate examples/fraud-detection
  amlplan validate --format json --deny-warnings .
  amlplan validate --var env=prod --var-file prod.hcl infra/
  amlplan fmt --check .
  amlplan explain E0203
  amlplan completions bash > /etc/bash_completion.d/amlplan";

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

    #[command(subcommand)]
    pub command: Command,
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
    /// Explain a diagnostic code, with an example.
    Explain(ExplainArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
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

    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,

    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub manifest: ManifestArgs,
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
    /// A diagnostic code such as E0203 (or `list` for all codes).
    pub code: String,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    pub shell: clap_complete::Shell,
}

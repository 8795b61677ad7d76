//! The `pipec` command line: parse arguments, call the library, render diagnostics, exit.
//!
//! Exit codes: 0 success (warnings allowed), 1 errors in the input or `--check` drift,
//! 2 pipec's own failure (an I/O error, a bug).

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use pipec::diag::render::{self, Format};
use pipec::diag::{Code, Diagnostics};
use pipec::{Compiled, Stop};

#[derive(Parser)]
#[command(
    name = "pipec",
    version,
    about = "Compile streaming pipeline YAML into Flink, Kafka, Postgres, Iceberg and S3 artefacts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiagFormat {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Subcommand)]
enum Command {
    /// Validate and type-check; write nothing.
    Check {
        /// The folder of pipeline YAML.
        #[arg(default_value = "pipelines")]
        dir: PathBuf,
        /// How diagnostics are printed.
        #[arg(long, value_enum, default_value = "human")]
        format: DiagFormat,
    },
    /// Check, then write the artefacts atomically; nothing is written on error.
    Build {
        /// The folder of pipeline YAML.
        #[arg(default_value = "pipelines")]
        dir: PathBuf,
        /// The output folder.
        #[arg(short, long, default_value = "generated")]
        out: PathBuf,
        /// Write nothing; exit 1 and name the files if the output folder is not what build would write.
        #[arg(long)]
        check: bool,
        /// How diagnostics are printed.
        #[arg(long, value_enum, default_value = "human")]
        format: DiagFormat,
    },
    /// Print the JSON Schema of a kind (for editors through yaml-language-server).
    Schema {
        /// `pipeline` or `platform`.
        #[arg(default_value = "pipeline")]
        kind: SchemaKind,
    },
    /// Print the lineage of sources, transforms and sinks across pipelines.
    Graph {
        /// The folder of pipeline YAML.
        #[arg(default_value = "pipelines")]
        dir: PathBuf,
        /// `mermaid` or `dot`.
        #[arg(long, value_enum, default_value = "mermaid")]
        format: GraphKind,
    },
    /// Print the long form of a diagnostic code.
    Explain {
        /// A code such as E0401.
        code: String,
    },
    /// Tools for developing pipec itself.
    #[command(subcommand, hide = true)]
    Dev(DevCommand),
}

#[derive(Subcommand)]
enum DevCommand {
    /// Write a synthetic repository of realistic, valid pipelines, the same for the same seed.
    Generate {
        /// How many pipelines.
        #[arg(long)]
        pipelines: usize,
        /// The seed; another seed gives other pipelines.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The folder to create; it must not exist or be empty.
        #[arg(short, long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphKind {
    Mermaid,
    Dot,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Pipeline,
    Platform,
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("pipec: internal error: {info}");
        eprintln!("this is a bug in pipec; please report it with the input that caused it");
    }));
    let cli = Cli::parse();
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}

fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check { dir, format } => {
            let Some(compiled) = compile(&dir, Stop::AfterCheck) else { return ExitCode::from(2) };
            report(&compiled, format, &path_prefix(&dir));
            if compiled.diagnostics.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Command::Build { dir, out, check, format } => {
            let Some(compiled) = compile(&dir, Stop::AfterEmit) else { return ExitCode::from(2) };
            report(&compiled, format, &path_prefix(&dir));
            let Some(output) = &compiled.output else {
                return if compiled.diagnostics.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS };
            };
            if check {
                match pipec::write::check(&out, output) {
                    Ok(drift) if drift.is_empty() => {
                        eprintln!("{} is up to date", out.display());
                        ExitCode::SUCCESS
                    }
                    Ok(drift) => {
                        for d in &drift {
                            eprintln!("{d}");
                        }
                        eprintln!(
                            "{} differs from what `pipec build` would write: {} file(s); run `pipec build`",
                            out.display(),
                            drift.len()
                        );
                        ExitCode::from(1)
                    }
                    Err(e) => fail(&e.to_string()),
                }
            } else {
                match pipec::write::write(&out, output) {
                    Ok(report) => {
                        eprintln!(
                            "wrote {}: {} written, {} unchanged, {} removed",
                            out.display(),
                            report.written.len(),
                            report.unchanged.len(),
                            report.removed.len()
                        );
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(&e.to_string()),
                }
            }
        }
        Command::Graph { dir, format } => {
            let Some(compiled) = compile(&dir, Stop::AfterCheck) else { return ExitCode::from(2) };
            report(&compiled, DiagFormat::Human, &path_prefix(&dir));
            let Some(model) = &compiled.model else { return ExitCode::from(1) };
            let format = match format {
                GraphKind::Mermaid => pipec::graph::GraphFormat::Mermaid,
                GraphKind::Dot => pipec::graph::GraphFormat::Dot,
            };
            print!("{}", pipec::graph::render(model, format));
            ExitCode::SUCCESS
        }
        Command::Schema { kind } => {
            let kind = match kind {
                SchemaKind::Pipeline => pipec::load::Kind::Pipeline,
                SchemaKind::Platform => pipec::load::Kind::Platform,
            };
            let text = serde_json::to_string_pretty(&pipec::spec::schema_of(kind)).unwrap_or_default();
            println!("{text}");
            ExitCode::SUCCESS
        }
        Command::Dev(DevCommand::Generate { pipelines, seed, out }) => {
            match generate(&out, &pipec::synth::repository(pipelines, seed)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&format!("cannot write {}: {e}", out.display())),
            }
        }
        Command::Explain { code } => match Code::parse(&code) {
            Some(c) => {
                println!("{}: {}\n\n{}", c.as_str(), c.summary(), c.explain());
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: `{code}` is not a pipec diagnostic code (codes look like E0401 or W0201)");
                ExitCode::from(1)
            }
        },
    }
}

/// The input folder as a path prefix: `pipelines/`, or nothing for `.`.
fn path_prefix(dir: &Path) -> String {
    let s = dir.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    if s.is_empty() || s == "." { String::new() } else { format!("{s}/") }
}

/// Writes a synthetic repository into a new or empty folder.
fn generate(out: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(std::io::Error::other("the folder is not empty"));
    }
    for (path, text) in files {
        let path = out.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("pipec: error: {msg}");
    ExitCode::from(2)
}

fn compile(dir: &Path, stop: Stop) -> Option<Compiled> {
    let files = match pipec::load::read_dir(dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("pipec: error: cannot read {}: {e}", dir.display());
            return None;
        }
    };
    match pipec::compile(files, stop) {
        Ok(c) => Some(c),
        Err(e) => {
            eprintln!("pipec: internal error: {e}");
            eprintln!("this is a bug in pipec; please report it with the input that caused it");
            None
        }
    }
}

/// Prints diagnostics; `prefix` is the input folder as given, so paths read as from the shell.
fn report(compiled: &Compiled, format: DiagFormat, prefix: &str) {
    let diags: &Diagnostics = &compiled.diagnostics;
    let sorted = diags.sorted();
    // JSON and SARIF are documents a tool reads: written even when they hold no diagnostic
    // (an empty SARIF run tells code scanning that the alerts are fixed).
    if sorted.is_empty() && matches!(format, DiagFormat::Human | DiagFormat::Github) {
        return;
    }
    let (format, color) = match format {
        DiagFormat::Human => (Format::Human, std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()),
        DiagFormat::Json => (Format::Json, false),
        DiagFormat::Github => (Format::Github, false),
        DiagFormat::Sarif => (Format::Sarif, false),
    };
    let sources = compiled.sources.prefixed(prefix);
    let text = render::render(&sorted, &sources, format, color);
    if matches!(format, Format::Human) {
        let _ = std::io::stderr().write_all(text.as_bytes());
    } else {
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
}

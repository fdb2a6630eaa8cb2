//! `forum-server`: the Comity binary.

use std::io::IsTerminal;

use anyhow::Context;
use clap::{Parser, Subcommand};
use forum_core::Db;
use forum_server::{Application, Overrides, Settings};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "forum-server",
    version,
    about = "Comity — a forum for legal experts on illicit trade"
)]
struct Cli {
    #[command(flatten)]
    overrides: Overrides,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the forum (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an admin account; the password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
    },
    /// Issue an invitation link as the given admin or moderator.
    Invite {
        #[arg(long)]
        email: String,
        /// member, moderator or admin.
        #[arg(long, default_value = "member")]
        role: String,
        /// The username of the inviting admin or moderator.
        #[arg(long = "as")]
        inviter: String,
    },
    /// Rebuild the search index from the database (with the server
    /// stopped; a running server rebuilds a missing or broken index itself).
    Reindex,
    /// Fill an empty database with a demo forum (experts, categories,
    /// analyses and discussions in four languages) and print how to sign in.
    Seed {
        /// The demo forum (the only kind there is).
        #[arg(long)]
        demo: bool,
    },
    /// Copy the forum into one file while it serves: the database (SQLite
    /// `VACUUM INTO`, or `pg_dump`), the data directory's secrets and every
    /// attachment; the audit chain's head is written beside it.
    Backup {
        /// The backup to write (never overwritten).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Put a backup back into the configured data directory and database
    /// (refused while a server runs on them, or when they hold a forum
    /// unless --force), verify the audit chain and rebuild the index.
    Restore {
        /// The backup to restore.
        file: std::path::PathBuf,
        /// Replace the forum the target already holds.
        #[arg(long)]
        force: bool,
    },
    /// Work with the tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Work with certified thread exports.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Print the text inside an attachment as JSON (what the server's
    /// extraction worker runs, in a child process with capped memory).
    #[command(hide = true)]
    ExtractText(ExtractArgs),
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// The type the file's content showed at upload.
    #[arg(long)]
    media_type: String,
    /// The address space this process may use.
    #[arg(long, default_value_t = 1024)]
    memory_mib: u64,
    /// Tesseract, to read pictures.
    #[arg(long)]
    tesseract: Option<std::path::PathBuf>,
    file: std::path::PathBuf,
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Check a bundle: exits 0 when intact and signed by this forum's key
    /// (the data directory's), 2 when anything was changed or the key is
    /// another's.
    Verify {
        /// The bundle (`.zip`) to check.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; exits non-zero and names the first broken
    /// entry if any entry was changed or deleted.
    Verify,
}

/// Logs to standard output: readable lines (coloured only on a terminal,
/// never into a file or a pipe), or one JSON object per line.
fn init_logging(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    if format == "json" {
        builder
            .json()
            .with_ansi(false)
            .flatten_event(true)
            .with_current_span(false)
            .init();
    } else {
        builder.with_ansi(std::io::stdout().is_terminal()).init();
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::ExtractText(args)) = &cli.command {
        init_logging("text");
        return forum_server::files::extract::child_main(
            &args.file,
            &args.media_type,
            args.memory_mib,
            args.tesseract.as_deref(),
        );
    }
    if matches!(cli.command, None | Some(Command::Serve)) {
        // Before any thread starts: may start the process again.
        forum_server::allocator::one_arena_per_core();
    }
    let settings = Settings::load(&cli.overrides)?;
    init_logging(&settings.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings, &cli.overrides),
        Command::Migrate => {
            let url = settings.database_url();
            prepare_data_dir(&settings)?;
            let mut progress = None;
            let applied = forum_core::store::migrate::migrate_showing(&url, &mut |done, total| {
                let bar = progress.get_or_insert_with(|| {
                    forum_server::progress::Progress::new("migrate", total as u64, "migrations")
                });
                if done > 0 {
                    bar.inc(1);
                }
            })?;
            if let Some(bar) = progress {
                bar.finish();
            }
            println!("applied {} migration(s)", applied.len());
            Ok(())
        }
        Command::Backup { to } => {
            let written = forum_server::backup::backup(&settings, &to)?;
            let m = &written.manifest;
            println!(
                "backup written to {} ({} bytes): {} database, {} users, {} posts, {} attachment files, secrets: {}",
                to.display(),
                written.bytes,
                m.backend,
                m.facts.users,
                m.facts.posts,
                m.files,
                if m.secrets.is_empty() {
                    "none in the data directory".to_owned()
                } else {
                    m.secrets.join(", ")
                }
            );
            match &m.facts.audit_head {
                Some(head) => println!(
                    "audit chain head: entry {} {} (also in {}.audit-head)",
                    head.entry_id,
                    head.hash,
                    to.display()
                ),
                None => println!("audit log empty"),
            }
            Ok(())
        }
        Command::Restore { file, force } => {
            let restored = forum_server::backup::restore(&settings, &file, force)?;
            let m = &restored.manifest;
            println!(
                "restored the backup of {} into {}: {} users, {} posts, {} attachment files",
                m.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                settings.data_dir.display(),
                m.facts.users,
                m.facts.posts,
                restored.files
            );
            println!(
                "audit log intact: {} entries verified, up to the recorded head{}",
                restored.audit_entries,
                m.facts
                    .audit_head
                    .as_ref()
                    .map(|h| format!(" (entry {})", h.entry_id))
                    .unwrap_or_default()
            );
            println!(
                "search index rebuilt: {} posts. Start the server as usual.",
                restored.indexed_posts
            );
            Ok(())
        }
        Command::CreateAdmin { username, email } => create_admin(&settings, &username, &email),
        Command::Invite {
            email,
            role,
            inviter,
        } => invite(&settings, &email, &role, &inviter),
        Command::Seed { demo } => {
            anyhow::ensure!(demo, "say what to seed: --demo");
            let db = open_db(&settings)?;
            let seeded = forum_server::seed::demo(&db)?;
            let links =
                forum_server::links::Links::new(settings.public_url.as_deref(), settings.bind);
            println!(
                "Demo forum ready: {} threads, {} posts. Start it with `forum-server serve` (or `cargo run --release`) and sign in at {}/login",
                seeded.threads,
                seeded.posts,
                links.base()
            );
            println!("Every demo account's password: {}", seeded.password);
            println!("  {:<16} admin", seeded.admin);
            for (username, name, country, role) in &seeded.experts {
                println!("  {username:<16} {name} ({country}), {role}");
            }
            Ok(())
        }
        Command::Reindex => {
            let db = open_db(&settings)?;
            let dir = settings.search_dir();
            let rebuilt = forum_server::workers::indexer::reindex_with_progress(&db, &dir)?;
            println!(
                "search index rebuilt at {}: {} posts up to event {} in {:.1} s",
                dir.display(),
                rebuilt.posts,
                rebuilt.seq,
                rebuilt.elapsed.as_secs_f64()
            );
            Ok(())
        }
        Command::Export {
            command: ExportCommand::Verify { file },
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            // This forum's key, when there is one (never made here).
            let key_path = settings.data_dir.join(forum_server::export::KEY_FILE);
            let trusted = if key_path.exists() {
                Some(forum_server::export::ExportKey::load_or_create(
                    &settings.data_dir,
                )?)
            } else {
                None
            };
            let check = forum_server::export::verify(
                &bytes,
                trusted.as_ref().map(|k| k.verifying()).as_ref(),
            );
            if let Some(m) = &check.manifest {
                println!(
                    "thread {} \"{}\" (TLP:{}), exported by {} at {}; audit chain head {}; signed by key {}",
                    m.thread_id,
                    m.title,
                    m.mark,
                    m.exported_by,
                    m.exported_at,
                    m.audit_head.as_deref().unwrap_or("none"),
                    m.key_id
                );
                for (name, sha) in &m.files {
                    println!("  {name}  sha256 {sha}");
                }
            }
            if check.intact {
                if check.signed_by_trusted_key {
                    println!("INTACT: every file as signed, by this forum's key");
                } else {
                    println!(
                        "INTACT: every file as signed (no key of this forum here to compare the signer with)"
                    );
                }
                Ok(())
            } else {
                println!(
                    "NOT INTACT: {}",
                    check.problem.as_deref().unwrap_or("unknown problem")
                );
                std::process::exit(2);
            }
        }
        Command::ExtractText(_) => unreachable!("handled before the settings load"),
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = open_db(&settings)?;
            let check = db.verify_audit()?;
            match check.first_broken {
                None => {
                    println!("audit log intact: {} entries verified", check.entries);
                    Ok(())
                }
                Some(id) => {
                    println!(
                        "audit log BROKEN at entry {id}: it, or the entry before it, was changed or deleted ({} entries read)",
                        check.entries
                    );
                    std::process::exit(2);
                }
            }
        }
    }
}

fn prepare_data_dir(settings: &Settings) -> anyhow::Result<()> {
    std::fs::create_dir_all(&settings.data_dir).with_context(|| {
        format!(
            "cannot create data directory {}",
            settings.data_dir.display()
        )
    })
}

fn open_db(settings: &Settings) -> anyhow::Result<Db> {
    prepare_data_dir(settings)?;
    Ok(Db::open(&settings.database_url(), 2)?)
}

/// The command that runs this same binary with the same configuration,
/// for the hints the server prints: `cargo run --release --` under cargo,
/// else the path it was started by; `--config` and `--data-dir` as given
/// (a database URL is left to the operator: it may hold a password).
fn this_command(overrides: &Overrides) -> String {
    let mut parts = Vec::new();
    if std::env::var_os("CARGO").is_some() {
        parts.push(if cfg!(debug_assertions) {
            "cargo run --".to_owned()
        } else {
            "cargo run --release --".to_owned()
        });
    } else {
        parts.push(
            std::env::args()
                .next()
                .unwrap_or_else(|| "forum-server".to_owned()),
        );
    }
    if let Some(config) = &overrides.config {
        parts.push(format!("--config {}", config.display()));
    }
    if let Some(dir) = &overrides.data_dir {
        parts.push(format!("--data-dir {}", dir.display()));
    }
    parts.join(" ")
}

fn serve(settings: Settings, overrides: &Overrides) -> anyhow::Result<()> {
    prepare_data_dir(&settings)?;
    // One server per data directory (its index and SQLite file are its
    // own); a restore waits for none.
    let _data_dir = forum_server::backup::DataDirLock::acquire(&settings.data_dir, "serve")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let data_dir = std::fs::canonicalize(&settings.data_dir).unwrap_or(settings.data_dir.clone());
        let backend = match forum_core::Backend::of_url(&settings.database_url()) {
            forum_core::Backend::Sqlite => format!("sqlite {}", settings.database_url()),
            forum_core::Backend::Postgres => "postgresql".to_owned(),
        };
        let app = Application::build(settings.clone()).await?;
        // On PostgreSQL every serving process holds the shared server lock,
        // so a restore can see that one runs, wherever it runs.
        let _server_lock = match forum_core::Backend::of_url(&settings.database_url()) {
            forum_core::Backend::Postgres => {
                let url = settings.database_url();
                Some(
                    tokio::task::spawn_blocking(move || {
                        forum_core::store::backup::hold_server_lock(&url)
                    })
                    .await??,
                )
            }
            forum_core::Backend::Sqlite => None,
        };
        let address = format!("http://{}:{}", settings.bind.ip(), app.port());
        tracing::info!(%address, data_dir = %data_dir.display(), database = %backend, "comity is listening");
        println!("Comity is listening on {address}");
        println!("Data directory: {}", data_dir.display());
        println!("{}", forum_server::workers::mailer::status_line(&settings.email));
        for line in forum_server::files::status_lines(&settings) {
            println!("{line}");
        }
        let db = app.db().clone();
        let admins = tokio::task::spawn_blocking(move || db.admin_count()).await??;
        if admins == 0 {
            let database = if overrides.database_url.is_some() {
                "\n(with the same --database-url or COMITY_DATABASE_URL as this server)"
            } else {
                ""
            };
            println!(
                "No admin exists yet. Create the first one with:\n  \
                 {} create-admin --username admin --email you@example.org{database}\n\
                 then type a password of at least 12 characters and press Enter,\n\
                 sign in at {address}/login, and set up a second factor under\n\
                 Settings: admins and moderators need one before they can act.",
                this_command(overrides)
            );
        }
        app.run_until_stopped().await?;
        anyhow::Ok(())
    })
}

/// Reads the password: without echo from a terminal, else the first line of
/// standard input (for scripts: `echo "$PW" | forum-server create-admin …`).
fn read_password() -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        rpassword::read_password()?
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    anyhow::ensure!(!password.is_empty(), "no password on standard input");
    Ok(password)
}

fn create_admin(settings: &Settings, username: &str, email: &str) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    eprintln!("Password for {username} (at least 12 characters), then Enter:");
    let password = read_password()?;
    let user = db
        .create_admin(username, email, &password)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // The server may run elsewhere or on another port: name the public
    // address when there is one, else the configured one.
    let links = forum_server::links::Links::new(settings.public_url.as_deref(), settings.bind);
    println!(
        "Admin '{}' created (id {}). Sign in at {}/login (the address the server printed when it started, if it listens elsewhere).",
        user.username,
        user.id,
        links.base()
    );
    Ok(())
}

fn invite(settings: &Settings, email: &str, role: &str, inviter: &str) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    let user = db
        .user_by_username(inviter)
        .map_err(|_| anyhow::anyhow!("no user named {inviter}"))?;
    let session = db.create_session(user.id, "forum-server invite", true, None)?;
    let viewer = db
        .viewer_for_session(user.id, session.session_id)?
        .context("the inviting account cannot act")?;
    let ttl = chrono::Duration::seconds(settings.invitation_ttl_secs);
    let issued = db.create_invitation(&viewer, email, Some(role), ttl);
    db.revoke_session(session.session_id)?;
    let issued = issued.map_err(|e| anyhow::anyhow!("{e}"))?;
    // No server runs here: the link names the configured address.
    let links = forum_server::links::Links::new(settings.public_url.as_deref(), settings.bind);
    println!(
        "Invitation for {} as {} (valid until {} UTC):\n  {}",
        issued.email,
        issued.role,
        issued.expires_at.format("%Y-%m-%d %H:%M"),
        links.invitation(&issued.token)
    );
    Ok(())
}

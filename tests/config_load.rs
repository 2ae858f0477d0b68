//! Reading the config file: the shipped example, every key, and bad files that must name the
//! file, line and column of the problem (or warn, for unknown keys) instead of crashing.

use std::path::{Path, PathBuf};

use jtui::config::{self, AuthMode, ConfigError, Profile};

const FILE: &str = "config.toml";

fn parse(text: &str) -> Result<config::Loaded, ConfigError> {
    config::parse(Path::new(FILE), text)
}

fn error(text: &str) -> String {
    match parse(text) {
        Ok(loaded) => panic!("expected an error, loaded {loaded:?}"),
        Err(e) => e.to_string(),
    }
}

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/config.example.toml")
}

const WORK: &str =
    "[profiles.work]\nsite = \"https://acme.atlassian.net\"\nemail = \"ada@acme.example\"\n";

#[test]
fn the_shipped_example_loads_without_warnings() {
    let loaded = config::load(&example_path()).unwrap();
    assert_eq!(loaded.warnings, Vec::<String>::new());
    let config = loaded.config;
    assert_eq!(config.default_profile.as_deref(), Some("work"));
    assert_eq!(config.theme.as_deref(), Some("default"));
    assert_eq!(config.profiles.keys().collect::<Vec<_>>(), ["oss", "work"]);

    let (name, work) = config.profile(None).unwrap();
    assert_eq!(name, "work");
    assert_eq!(work.site, "https://acme.atlassian.net");
    assert_eq!(work.email, "ada@acme.example");
    assert_eq!(work.auth, AuthMode::Classic);
    assert_eq!(work.default_project.as_deref(), Some("OPS"));
    assert!(
        work.default_jql
            .as_deref()
            .unwrap()
            .starts_with("assignee = currentUser()")
    );
    assert!(!work.read_only);

    let (_, oss) = config.profile(Some("oss")).unwrap();
    assert_eq!(oss.auth, AuthMode::Scoped);
    assert_eq!(
        oss.cloud_id.as_deref(),
        Some("5c2b1c4e-8a3f-4c1e-9d2a-6f0e7b9a1c3d")
    );
    assert!(oss.read_only);

    assert_eq!(config.keymap["quit"], ["q", "ctrl-q"]);
    assert_eq!(config.keymap["open_jql"], ["ctrl-l"]);
    assert_eq!(
        config.ui.columns.as_deref().unwrap(),
        ["key", "type", "summary", "status", "assignee", "updated"]
    );
}

#[test]
fn every_profile_key_is_read() {
    let text = r#"
[profiles.work]
site = "https://acme.atlassian.net"
email = "ada@acme.example"
auth = "scoped"
cloud_id = "c0ffee"
default_jql = "project = OPS"
default_project = "OPS"
read_only = true
token_stored_at = "2025-05-12T10:00:00+02:00"
token_expires = "2026-05-12"
expiry_warning_days = 30
"#;
    let loaded = parse(text).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let expected = Profile {
        site: "https://acme.atlassian.net".into(),
        email: "ada@acme.example".into(),
        auth: AuthMode::Scoped,
        cloud_id: Some("c0ffee".into()),
        default_jql: Some("project = OPS".into()),
        default_project: Some("OPS".into()),
        read_only: true,
        token_stored_at: Some("2025-05-12T10:00:00+02:00".into()),
        token_expires: Some("2026-05-12".into()),
        expiry_warning_days: Some(30),
    };
    assert_eq!(loaded.config.profiles["work"], expected);
    assert_eq!(expected.expiry_warning_days_or_default(), 30);
}

#[test]
fn a_minimal_profile_gets_the_defaults() {
    let loaded = parse(WORK).unwrap();
    let profile = &loaded.config.profiles["work"];
    assert_eq!(
        *profile,
        Profile::new("https://acme.atlassian.net", "ada@acme.example")
    );
    assert_eq!(profile.auth, AuthMode::Classic);
    assert_eq!(profile.expiry_warning_days_or_default(), 14);
    assert_eq!(loaded.config.keymap.len(), 0);
    assert_eq!(loaded.config.ui.columns, None);
}

#[test]
fn token_dates_may_be_toml_dates() {
    let text =
        format!("{WORK}token_stored_at = 2025-05-12T08:00:00Z\ntoken_expires = 2026-05-12\n");
    let profile = parse(&text)
        .unwrap()
        .config
        .profiles
        .remove("work")
        .unwrap();
    assert_eq!(
        profile.token_stored_at.as_deref(),
        Some("2025-05-12T08:00:00Z")
    );
    assert_eq!(profile.token_expires.as_deref(), Some("2026-05-12"));
    assert_eq!(
        profile.token_expires(),
        chrono::NaiveDate::from_ymd_opt(2026, 5, 12)
    );
}

#[test]
fn an_empty_file_is_an_empty_config() {
    let loaded = parse("# nothing yet\n").unwrap();
    assert_eq!(loaded.config, config::Config::default());
    assert_eq!(
        loaded.config.profile(None).unwrap_err().to_string(),
        "no profiles are configured: run `jtui login` to add one"
    );
}

#[test]
fn profile_resolution_on_a_loaded_file() {
    let text = format!(
        "{WORK}[profiles.home]\nsite = \"https://home.atlassian.net\"\nemail = \"ada@home.example\"\n"
    );
    let config = parse(&text).unwrap().config;
    assert_eq!(
        config.profile(Some("home")).unwrap().1.email,
        "ada@home.example"
    );
    assert_eq!(
        config.profile(None).unwrap_err().to_string(),
        "2 profiles are configured (home, work) and none is the default: pass --profile NAME \
         or set default_profile in the config file"
    );
    assert_eq!(
        config.profile(Some("Work")).unwrap_err().to_string(),
        "no profile named 'Work' (configured: home, work)"
    );
    let with_default = parse(&format!("default_profile = \"home\"\n{text}"))
        .unwrap()
        .config;
    assert_eq!(with_default.profile(None).unwrap().0, "home");
    assert_eq!(with_default.profile(Some("work")).unwrap().0, "work");
}

#[test]
fn toml_syntax_errors_name_file_line_and_column() {
    assert_eq!(
        error("[profiles.work]\nsite \"https://acme.atlassian.net\"\n"),
        "config.toml:2:6: key with no value, expected `=`"
    );
    assert_eq!(
        error("[profiles.work\nsite = 1\n"),
        "config.toml:1:15: unclosed table, expected `]`"
    );
    assert_eq!(
        error("theme = \"mono\"\ntheme = \"default\"\n"),
        "config.toml:2:1: duplicate key"
    );
}

#[test]
fn wrong_types_name_the_key() {
    assert_eq!(
        error("[profiles.work]\nsite = 5\nemail = \"ada@acme.example\"\n"),
        "config.toml:2:8: 'site' in [profiles.work]: invalid type: integer `5`, expected a string"
    );
    assert_eq!(
        error(&format!("{WORK}read_only = \"yes\"\n")),
        "config.toml:4:13: 'read_only' in [profiles.work]: invalid type: string \"yes\", \
         expected a boolean"
    );
    assert_eq!(
        error(&format!("{WORK}auth = \"oauth\"\n")),
        "config.toml:4:8: 'auth' in [profiles.work]: unknown variant `oauth`, expected \
         `classic` or `scoped`"
    );
    assert_eq!(
        error("theme = 3\n"),
        "config.toml:1:9: 'theme' at the top level: invalid type: integer `3`, expected a string"
    );
    assert_eq!(
        error("[ui]\ncolumns = \"key\"\n"),
        "config.toml:2:11: 'columns' in [ui]: invalid type: string \"key\", expected a sequence"
    );
    assert_eq!(
        error("[keymap]\nquit = [\"q\", 3]\n"),
        "config.toml:2:14: item 2 of 'quit' in [keymap]: invalid type: integer `3`, expected \
         a string"
    );
    assert_eq!(
        error("# a comment\n[profiles.work]\nsite = \"https://acme.atlassian.net\"\n"),
        "config.toml:2:1: [profiles.work]: missing field `email`"
    );
}

#[test]
fn bad_values_name_the_key_and_say_what_is_expected() {
    assert_eq!(
        error(
            "[profiles.work]\nsite = \"http://acme.atlassian.net\"\nemail = \"ada@acme.example\"\n"
        ),
        "config.toml:2:8: 'site' in [profiles.work]: 'http://acme.atlassian.net' must use \
         https (plain http is only allowed for a local emulator)"
    );
    assert_eq!(
        error(
            "[profiles.work]\n  site   =   \"acme.atlassian.net\"\nemail = \"ada@acme.example\"\n"
        ),
        "config.toml:2:14: 'site' in [profiles.work]: 'acme.atlassian.net' is not a URL \
         (relative URL without a base); write it like https://your-site.atlassian.net"
    );
    assert_eq!(
        error("[profiles.work]\nsite = \"https://acme.atlassian.net\"\nemail = \"\"\n"),
        "config.toml:3:9: 'email' in [profiles.work]: the e-mail is empty; set it to your \
         Atlassian account's e-mail"
    );
    assert_eq!(
        error(&format!("{WORK}token_expires = \"next May\"\n")),
        "config.toml:4:17: 'token_expires' in [profiles.work]: 'next May' is not a date such \
         as 2026-05-12"
    );
    assert_eq!(
        error(&format!("default_profile = \"play\"\n{WORK}")),
        "config.toml:1:19: default_profile 'play' is not a profile (the profiles are: work)"
    );
    assert_eq!(
        error("default_profile = \"work\"\n"),
        "config.toml:1:19: default_profile 'work' is not a profile (there are no \
         [profiles.NAME] tables)"
    );
}

#[test]
fn the_emulator_on_loopback_may_use_plain_http() {
    let text = "[profiles.demo]\nsite = \"http://127.0.0.1:8080\"\nemail = \"dev@acme-robotics.example\"\n";
    let config = parse(text).unwrap().config;
    assert_eq!(
        config.profiles["demo"].site_url().unwrap().as_str(),
        "http://127.0.0.1:8080/"
    );
}

#[test]
fn unknown_keys_warn_with_their_line_and_are_ignored() {
    let text = r#"colour = "blue"
[profiles.work]
site = "https://acme.atlassian.net"
email = "ada@acme.example"
defualt_jql = "project = OPS"

[profiles.work.extra]
x = 1

[profiles.home]
home = { site = "https://home.atlassian.net" }
site = "https://home.atlassian.net"
email = "ada@home.example"

[ui]
columns = ["key"]
width = 80

[profiles."my team"]
site = "https://team.atlassian.net"
email = "ada@team.example"
colour = "red"
"#;
    let loaded = parse(text).unwrap();
    assert_eq!(
        loaded.warnings,
        [
            "config.toml:1: unknown key 'colour' at the top level (ignored)",
            "config.toml:5: unknown key 'defualt_jql' in [profiles.work] (ignored)",
            "config.toml:7: unknown key 'extra' in [profiles.work] (ignored)",
            "config.toml:11: unknown key 'home' in [profiles.home] (ignored)",
            "config.toml:17: unknown key 'width' in [ui] (ignored)",
            "config.toml:22: unknown key 'colour' in [profiles.\"my team\"] (ignored)",
        ]
    );
    assert_eq!(loaded.config.profiles.len(), 3);
    assert_eq!(loaded.config.profiles["work"].default_jql, None);
    assert_eq!(loaded.config.ui.columns.as_deref().unwrap(), ["key"]);
}

#[test]
fn unknown_keys_in_inline_and_dotted_tables_warn_too() {
    let text = "profiles.work.site = \"https://acme.atlassian.net\"\n\
                profiles.work.email = \"ada@acme.example\"\n\
                profiles.work.bogus = 1\n\
                ui = { columns = [\"key\"], rows = 3 }\n";
    assert_eq!(
        parse(text).unwrap().warnings,
        [
            "config.toml:3: unknown key 'bogus' in [profiles.work] (ignored)",
            "config.toml:4: unknown key 'rows' in [ui] (ignored)",
        ]
    );
}

#[test]
fn a_token_in_the_file_is_never_read_and_points_to_the_keyring() {
    let secret = "ATATT3xFfGF0-not-a-real-token";
    let text = format!(
        "{WORK}token = \"{secret}\"\napi_token = \"{secret}\"\n\
         [profiles.home]\nsite = \"https://home.atlassian.net\"\nemail = \"ada@home.example\"\n\
         JIRA_API_TOKEN = \"{secret}\"\n"
    );
    let loaded = parse(&text).unwrap();
    assert_eq!(
        loaded.warnings,
        [
            "config.toml:4: 'token' in [profiles.work] is ignored: API tokens belong in the \
             keyring, never in the config file (run `jtui login` to store one)",
            "config.toml:5: 'api_token' in [profiles.work] is ignored: API tokens belong in the \
             keyring, never in the config file (run `jtui login` to store one)",
            "config.toml:9: 'JIRA_API_TOKEN' in [profiles.home] is ignored: API tokens belong in \
             the keyring, never in the config file (run `jtui login` to store one)",
        ]
    );
    // Nothing loaded carries the secret, and the warnings do not echo it either.
    assert!(!format!("{:?}", loaded.config).contains(secret));
    assert!(loaded.warnings.iter().all(|w| !w.contains(secret)));
}

#[test]
fn a_byte_order_mark_is_tolerated() {
    let loaded = parse(&format!("\u{feff}{WORK}")).unwrap();
    assert_eq!(loaded.config.profiles.len(), 1);
}

#[test]
fn files_on_disk_missing_unreadable_or_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");

    assert_eq!(config::load_optional(&path).unwrap(), None);
    let missing = config::load(&path).unwrap_err();
    assert!(matches!(missing, ConfigError::Read { .. }), "{missing:?}");
    assert!(
        missing
            .to_string()
            .starts_with(&format!("cannot read {}: ", path.display())),
        "{missing}"
    );

    std::fs::write(&path, b"theme = \"mono\"\n# caf\xe9\n").unwrap();
    assert_eq!(
        config::load_optional(&path).unwrap_err().to_string(),
        format!("{}:2:6: the file is not UTF-8 text", path.display())
    );

    std::fs::write(&path, format!("{WORK}bogus = true\n")).unwrap();
    let loaded = config::load_optional(&path).unwrap().unwrap();
    assert_eq!(
        loaded.warnings,
        [format!(
            "{}:4: unknown key 'bogus' in [profiles.work] (ignored)",
            path.display()
        )]
    );

    std::fs::write(&path, "[profiles.work]\nsite = 5\n").unwrap();
    assert_eq!(
        config::load(&path).unwrap_err().to_string(),
        format!(
            "{}:2:8: 'site' in [profiles.work]: invalid type: integer `5`, expected a string",
            path.display()
        )
    );
}

#[test]
fn jtui_config_names_the_file() {
    assert_eq!(
        config::config_path_from(Some("/srv/jtui/other.toml".into())),
        Some(PathBuf::from("/srv/jtui/other.toml"))
    );
    // Unset and empty both mean the platform's config dir.
    let default = config::config_path_from(None);
    assert_eq!(config::config_path_from(Some("".into())), default);
    #[cfg(target_os = "linux")]
    if let Some(path) = default {
        assert!(path.ends_with("jtui/config.toml"), "{}", path.display());
    }
}

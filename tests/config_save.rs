//! Writing the config file for `jtui login`: what is written loads back the same, the
//! user's comments and layout survive, the file is private and replaced atomically, and a
//! write that would produce a bad profile leaves the file alone.

use std::path::{Path, PathBuf};

use jtui::config::{
    self, AuthMode, ConfigError, FieldValue, Profile, remove_profile, set_profile_field,
    upsert_profile,
};

fn full_profile() -> Profile {
    Profile {
        site: "https://acme.atlassian.net".into(),
        email: "ada@acme.example".into(),
        auth: AuthMode::Scoped,
        cloud_id: Some("5c2b1c4e-8a3f-4c1e-9d2a-6f0e7b9a1c3d".into()),
        default_jql: Some("project = \"OPS\" AND status != Done".into()),
        default_project: Some("OPS".into()),
        read_only: true,
        token_stored_at: Some("2025-05-12T10:00:00+02:00".into()),
        token_expires: Some("2026-05-12".into()),
        expiry_warning_days: Some(30),
    }
}

fn minimal() -> Profile {
    Profile::new("https://acme.atlassian.net", "ada@acme.example")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("the config file is readable")
}

fn config_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("config.toml")
}

#[test]
fn a_new_file_is_created_with_its_directories_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/jtui/config.toml");
    upsert_profile(&path, "work", &minimal(), false).unwrap();
    assert_eq!(
        read(&path),
        "[profiles.work]\nsite = \"https://acme.atlassian.net\"\nemail = \"ada@acme.example\"\n"
    );
    let loaded = config::load(&path).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(
        loaded.config.profile(None).unwrap(),
        ("work".to_owned(), &minimal())
    );
}

#[test]
fn every_field_round_trips_and_cleared_fields_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_in(&dir);
    upsert_profile(&path, "work", &full_profile(), true).unwrap();
    let loaded = config::load(&path).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.config.default_profile.as_deref(), Some("work"));
    assert_eq!(loaded.config.profiles["work"], full_profile());

    // Back to the defaults: optional keys go, and auth/read_only are set back explicitly.
    upsert_profile(&path, "work", &minimal(), false).unwrap();
    assert_eq!(
        read(&path),
        "default_profile = \"work\"\n\n[profiles.work]\nsite = \"https://acme.atlassian.net\"\n\
         email = \"ada@acme.example\"\nauth = \"classic\"\nread_only = false\n"
    );
    assert_eq!(
        config::load(&path).unwrap().config.profiles["work"],
        minimal()
    );
}

#[test]
fn comments_and_layout_survive_an_upsert() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_in(&dir);
    let before = "\
# My jtui setup.

theme = \"mono\"   # for the dark terminal

# The day job.
[profiles.work]
# Moved in March.
site = 'https://old.atlassian.net'   # the old site
email = \"ada@acme.example\"
my_note = \"kept, though jtui does not know it\"

[keymap]
quit = [\"q\", \"ctrl-q\"]  # muscle memory
";
    std::fs::write(&path, before).unwrap();

    let mut work = minimal();
    work.site = "https://new.atlassian.net".into();
    work.default_project = Some("OPS".into());
    upsert_profile(&path, "work", &work, true).unwrap();
    let mut home = minimal();
    home.site = "https://home.atlassian.net".into();
    upsert_profile(&path, "home", &home, false).unwrap();

    assert_eq!(
        read(&path),
        "\
# My jtui setup.

theme = \"mono\"   # for the dark terminal
default_profile = \"work\"

# The day job.
[profiles.work]
# Moved in March.
site = \"https://new.atlassian.net\"   # the old site
email = \"ada@acme.example\"
my_note = \"kept, though jtui does not know it\"
default_project = \"OPS\"

[profiles.home]
site = \"https://home.atlassian.net\"
email = \"ada@acme.example\"

[keymap]
quit = [\"q\", \"ctrl-q\"]  # muscle memory
"
    );
    let loaded = config::load(&path).unwrap();
    assert_eq!(loaded.config.profiles["work"], work);
    assert_eq!(loaded.config.profiles["home"], home);
    assert_eq!(loaded.config.keymap["quit"], ["q", "ctrl-q"]);
}

#[test]
fn an_unchanged_value_keeps_its_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_in(&dir);
    let text =
        "[profiles.work]\nsite = 'https://acme.atlassian.net'\nemail = \"ada@acme.example\"\n";
    std::fs::write(&path, text).unwrap();
    upsert_profile(&path, "work", &minimal(), false).unwrap();
    assert_eq!(read(&path), text);
}

#[test]
fn an_inline_profile_is_edited_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_in(&dir);
    std::fs::write(
        &path,
        "[profiles]\nwork = { site = \"https://acme.atlassian.net\", email = \"ada@acme.example\" }\n",
    )
    .unwrap();
    let mut work = minimal();
    work.default_project = Some("OPS".into());
    upsert_profile(&path, "work", &work, false).unwrap();
    assert_eq!(config::load(&path).unwrap().config.profiles["work"], work);
}

#[cfg(unix)]
#[test]
fn the_file_is_private_and_replaced_atomically() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let path = config_in(&dir);
    upsert_profile(&path, "work", &minimal(), false).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);

    // A file the user made world-readable becomes private on the next write.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    upsert_profile(&path, "home", &minimal(), false).unwrap();
    assert_eq!(mode(&path), 0o600);

    // Nothing but the config is left behind in the directory (no temp files).
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["config.toml"]);
}

#[cfg(unix)]
#[test]
fn a_symlinked_config_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles/jtui.toml");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, "# from my dotfiles\n").unwrap();
    let link = config_in(&dir);
    std::os::unix::fs::symlink(&real, &link).unwrap();

    upsert_profile(&link, "work", &minimal(), false).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // The user's header comment stays on top.
    assert_eq!(
        read(&real),
        "# from my dotfiles\n[profiles.work]\nsite = \"https://acme.atlassian.net\"\n\
         email = \"ada@acme.example\"\n"
    );
    assert_eq!(
        config::load(&link).unwrap().config.profiles["work"],
        minimal()
    );
}

#[test]
fn a_bad_profile_is_refused_and_the_file_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_in(&dir);
    upsert_profile(&path, "work", &minimal(), false).unwrap();
    let before = read(&path);

    let mut insecure = minimal();
    insecure.site = "http://acme.atlassian.net".into();
    assert_eq!(
        upsert_profile(&path, "work", &insecure, false)
            .unwrap_err()
            .to_string(),
        "profile 'work': site: 'http://acme.atlassian.net' must use https (plain http is only \
         allowed for a local emulator)"
    );
    let mut nameless = minimal();
    nameless.email = " ".into();
    assert!(matches!(
        upsert_profile(&path, "work", &nameless, false),
        Err(ConfigError::BadProfile { .. })
    ));
    assert!(matches!(
        upsert_profile(&path, "", &minimal(), false),
        Err(ConfigError::BadProfile { .. })
    ));
    assert_eq!(read(&path), before);
}

#[test]
fn a_malformed_file_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_in(&dir);
    let broken = "[profiles.work\nsite = \"https://acme.atlassian.net\"\n";
    std::fs::write(&path, broken).unwrap();
    assert_eq!(
        upsert_profile(&path, "work", &minimal(), false)
            .unwrap_err()
            .to_string(),
        format!("{}:1:15: unclosed table, expected `]`", path.display())
    );
    assert_eq!(read(&path), broken);
}

#[test]
fn set_profile_field_records_token_dates_and_checks_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_in(&dir);
    upsert_profile(&path, "work", &minimal(), false).unwrap();

    set_profile_field(
        &path,
        "work",
        "token_stored_at",
        Some("2025-05-12T10:00:00Z".into()),
    )
    .unwrap();
    set_profile_field(&path, "work", "token_expires", Some("2026-05-12".into())).unwrap();
    set_profile_field(
        &path,
        "work",
        "expiry_warning_days",
        Some(FieldValue::from(7u32)),
    )
    .unwrap();
    set_profile_field(&path, "work", "read_only", Some(true.into())).unwrap();
    let profile = config::load(&path)
        .unwrap()
        .config
        .profiles
        .remove("work")
        .unwrap();
    assert_eq!(
        profile.token_stored_at.as_deref(),
        Some("2025-05-12T10:00:00Z")
    );
    assert_eq!(profile.token_expires.as_deref(), Some("2026-05-12"));
    assert_eq!(profile.expiry_warning_days_or_default(), 7);
    assert!(profile.read_only);

    set_profile_field(&path, "work", "token_expires", None).unwrap();
    assert_eq!(
        config::load(&path).unwrap().config.profiles["work"].token_expires,
        None
    );

    let before = read(&path);
    let refused = |key: &str, value: Option<FieldValue>| {
        set_profile_field(&path, "work", key, value)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        refused("read_only", Some("yes".into())),
        "profile 'work': 'read_only': invalid type: string \"yes\", expected a boolean"
    );
    assert_eq!(
        refused("token_expires", Some("soon".into())),
        "profile 'work': token_expires: 'soon' is not a date such as 2026-05-12"
    );
    assert_eq!(
        refused("site", None),
        "profile 'work': cannot remove 'site': missing field `site`"
    );
    assert_eq!(
        refused("token", Some("secret".into())),
        "profile 'work': 'token' is not a profile setting (they are: site, email, auth, \
         cloud_id, default_jql, default_project, read_only, token_stored_at, token_expires, \
         expiry_warning_days)"
    );
    assert_eq!(
        set_profile_field(&path, "home", "read_only", Some(true.into()))
            .unwrap_err()
            .to_string(),
        "no profile named 'home' (configured: work)"
    );
    assert_eq!(read(&path), before);

    let nowhere = dir.path().join("missing.toml");
    assert!(matches!(
        set_profile_field(&nowhere, "work", "read_only", Some(true.into())),
        Err(ConfigError::NoProfiles)
    ));
    assert!(!nowhere.exists());
}

#[test]
fn removing_a_profile_drops_it_and_the_default_that_named_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_in(&dir);
    assert!(!remove_profile(&path, "work").unwrap());
    assert!(!path.exists(), "removing from no file must not create one");
    upsert_profile(&path, "home", &minimal(), false).unwrap();
    upsert_profile(&path, "work", &full_profile(), true).unwrap();

    assert!(remove_profile(&path, "work").unwrap());
    assert!(!remove_profile(&path, "work").unwrap());
    let config = config::load(&path).unwrap().config;
    assert_eq!(config.default_profile, None);
    assert_eq!(config.profiles.keys().collect::<Vec<_>>(), ["home"]);
    assert_eq!(config.profile(None).unwrap().0, "home");
}

//! The draft store on a real file system (temp dirs): round trips, atomic replacement,
//! private files, safe names, corrupt files skipped, and the size bound; create forms'
//! drafts by project or parent, and files written before they existed still loading.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use jtui::drafts::{
    Draft, DraftError, DraftField, DraftIssueType, DraftItem, DraftStore, DraftTarget, DraftValue,
    FormDraft, MAX_DRAFT_BYTES,
};

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_790_000_000 + secs, 0).unwrap()
}

fn draft(key: &str, target: DraftTarget, text: &str, secs: i64) -> Draft {
    Draft {
        issue_key: key.into(),
        target,
        text: text.into(),
        saved_at: at(secs),
        base_updated: Some("2026-11-20T16:04:00.000+0100".into()),
        form: None,
    }
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn each_target_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    let targets = [
        DraftTarget::Description,
        DraftTarget::NewComment,
        DraftTarget::Comment { id: "10023".into() },
    ];
    for (i, target) in targets.iter().enumerate() {
        let text = format!("## Heading {i}\n\n- 経路 🚀\n```\ncode\n```");
        let saved = draft("NAV-101", target.clone(), &text, i as i64);
        store.save(&saved).unwrap();
        assert_eq!(store.load("NAV-101", target), Some(saved));
    }
    assert_eq!(
        files_under(tmp.path()),
        [
            "drafts/work/NAV-101.comment-10023.json",
            "drafts/work/NAV-101.comment-new.json",
            "drafts/work/NAV-101.description.json",
        ]
    );
    // Another target or issue has nothing.
    assert_eq!(store.load("NAV-102", &DraftTarget::Description), None);
    let other = DraftTarget::Comment { id: "1".into() };
    assert_eq!(store.load("NAV-101", &other), None);
}

#[test]
fn saving_again_replaces_the_draft_and_leaves_no_temp_files() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    for (i, text) in ["first", "second", "third"].iter().enumerate() {
        store
            .save(&draft("NAV-1", DraftTarget::NewComment, text, i as i64))
            .unwrap();
    }
    let loaded = store.load("NAV-1", &DraftTarget::NewComment).unwrap();
    assert_eq!(loaded.text, "third");
    assert_eq!(
        files_under(tmp.path()),
        ["drafts/work/NAV-1.comment-new.json"]
    );
}

#[cfg(unix)]
#[test]
fn drafts_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    store
        .save(&draft("NAV-1", DraftTarget::Description, "secret plans", 0))
        .unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&store.dir().join("NAV-1.description.json")), 0o600);
    assert_eq!(mode(store.dir()), 0o700);
    assert_eq!(mode(&tmp.path().join("drafts")), 0o700);
}

#[test]
fn list_is_newest_first_and_skips_what_is_not_a_draft() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    store
        .save(&draft("NAV-1", DraftTarget::Description, "old", 10))
        .unwrap();
    store
        .save(&draft("WEB-2", DraftTarget::NewComment, "newest", 30))
        .unwrap();
    store
        .save(&draft("NAV-1", DraftTarget::NewComment, "middle", 20))
        .unwrap();
    let dir = store.dir();
    // Corrupt, truncated, foreign and half-written files.
    std::fs::write(dir.join("NAV-9.description.json"), "{ not json").unwrap();
    std::fs::write(dir.join("NAV-8.description.json"), "").unwrap();
    std::fs::write(dir.join(".draft-abc.tmp"), "{}").unwrap();
    std::fs::write(dir.join("notes.txt"), "hello").unwrap();
    // A valid draft under a name that says another issue: not trusted.
    let moved = serde_json::to_string(&draft("NAV-1", DraftTarget::Description, "x", 40)).unwrap();
    std::fs::write(dir.join("OPS-3.description.json"), moved).unwrap();
    std::fs::create_dir(dir.join("sub.json")).unwrap();

    let texts: Vec<String> = store.list().into_iter().map(|d| d.text).collect();
    assert_eq!(texts, ["newest", "middle", "old"]);
    let nav: Vec<String> = store
        .list_for("nav-1")
        .into_iter()
        .map(|d| d.text)
        .collect();
    assert_eq!(nav, ["middle", "old"]);
    assert_eq!(store.load("OPS-3", &DraftTarget::Description), None);
    assert_eq!(store.load("NAV-9", &DraftTarget::Description), None);
}

#[test]
fn an_oversized_file_is_skipped_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    store
        .save(&draft("NAV-1", DraftTarget::Description, "small", 0))
        .unwrap();
    let big = std::fs::File::create(store.dir().join("NAV-2.description.json")).unwrap();
    big.set_len(64 * 1024 * 1024).unwrap();
    assert_eq!(store.list().len(), 1);
    assert_eq!(store.load("NAV-2", &DraftTarget::Description), None);
}

#[test]
fn a_missing_directory_lists_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path().join("never-created"), "work");
    assert!(store.list().is_empty());
    assert_eq!(store.load("NAV-1", &DraftTarget::Description), None);
    store.delete("NAV-1", &DraftTarget::Description).unwrap();
}

#[test]
fn delete_removes_only_its_draft() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    store
        .save(&draft("NAV-1", DraftTarget::Description, "d", 0))
        .unwrap();
    store
        .save(&draft("NAV-1", DraftTarget::NewComment, "c", 1))
        .unwrap();
    store.delete("NAV-1", &DraftTarget::Description).unwrap();
    assert_eq!(store.load("NAV-1", &DraftTarget::Description), None);
    assert!(store.load("NAV-1", &DraftTarget::NewComment).is_some());
    // Twice is fine.
    store.delete("NAV-1", &DraftTarget::Description).unwrap();
}

#[test]
fn too_large_a_draft_is_refused_and_the_old_one_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    store
        .save(&draft("NAV-1", DraftTarget::Description, "kept", 0))
        .unwrap();
    let huge = "x".repeat(MAX_DRAFT_BYTES + 1);
    let err = store
        .save(&draft("NAV-1", DraftTarget::Description, &huge, 1))
        .unwrap_err();
    assert!(
        matches!(err, DraftError::TooLarge { bytes, limit } if bytes == MAX_DRAFT_BYTES + 1 && limit == MAX_DRAFT_BYTES),
        "{err:?}"
    );
    assert!(err.to_string().contains("not saved"), "{err}");
    assert_eq!(
        store.load("NAV-1", &DraftTarget::Description).unwrap().text,
        "kept"
    );
    // Exactly at the limit is kept, and reads back.
    let full = "y".repeat(MAX_DRAFT_BYTES);
    store
        .save(&draft("NAV-1", DraftTarget::Description, &full, 2))
        .unwrap();
    assert_eq!(
        store
            .load("NAV-1", &DraftTarget::Description)
            .unwrap()
            .text
            .len(),
        MAX_DRAFT_BYTES
    );
}

#[test]
fn hostile_keys_and_ids_write_nothing_anywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path().join("base"), "work");
    let attempts = [
        ("../../etc/passwd", DraftTarget::Description),
        ("NAV-1/../../x", DraftTarget::Description),
        ("/tmp/NAV-1", DraftTarget::Description),
        (
            "NAV-1",
            DraftTarget::Comment {
                id: "../../x".into(),
            },
        ),
        ("NAV-1", DraftTarget::Comment { id: "a\\b".into() }),
        ("NAV-1\0", DraftTarget::Description),
        ("", DraftTarget::NewComment),
    ];
    for (key, target) in attempts {
        let err = store.save(&draft(key, target.clone(), "t", 0)).unwrap_err();
        assert!(
            matches!(err, DraftError::InvalidName(_)),
            "{key:?}: {err:?}"
        );
        assert!(store.delete(key, &target).is_err());
        assert_eq!(store.load(key, &target), None);
    }
    assert!(files_under(tmp.path()).is_empty());
}

#[test]
fn profiles_are_kept_apart_and_inside_the_base() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("state");
    for profile in ["work", "home", "../escape", "a/b", "", ".hidden", "名前"] {
        let store = DraftStore::new(&base, profile);
        assert!(store.dir().starts_with(base.join("drafts")));
        store
            .save(&draft("NAV-1", DraftTarget::Description, profile, 0))
            .unwrap();
    }
    for profile in ["work", "home", "../escape", "a/b", "", ".hidden", "名前"] {
        let store = DraftStore::new(&base, profile);
        let loaded = store.load("NAV-1", &DraftTarget::Description).unwrap();
        assert_eq!(loaded.text, profile);
        assert_eq!(store.list().len(), 1);
    }
    // Everything sits in one directory per profile directly under drafts/.
    let dirs: Vec<_> = std::fs::read_dir(base.join("drafts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(dirs.len(), 7);
    assert!(dirs.iter().all(|d| !d.starts_with('.') && !d.contains('/')));
    assert_eq!(files_under(tmp.path()).len(), 7);
}

#[test]
fn the_file_is_json_with_the_documented_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    store
        .save(&draft(
            "NAV-5",
            DraftTarget::Comment { id: "77".into() },
            "hi",
            0,
        ))
        .unwrap();
    let raw = std::fs::read_to_string(store.dir().join("NAV-5.comment-77.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(json["issue_key"], "NAV-5");
    assert_eq!(
        json["target"],
        serde_json::json!({"kind": "comment", "id": "77"})
    );
    assert_eq!(json["text"], "hi");
    assert_eq!(json["saved_at"], "2026-09-21T14:13:20Z");
    assert_eq!(json["base_updated"], "2026-11-20T16:04:00.000+0100");
}

fn form_draft(key: &str, target: DraftTarget, parent: Option<&str>, secs: i64) -> Draft {
    let field = |id: &str, text: &str, value| DraftField {
        id: id.into(),
        name: id.to_uppercase(),
        text: text.into(),
        value: Some(value),
    };
    let mut d = draft(key, target, "", secs);
    d.base_updated = None;
    d.form = Some(FormDraft {
        project: "NAV".into(),
        parent: parent.map(str::to_owned),
        issue_type: Some(DraftIssueType {
            id: "10001".into(),
            name: "Task".into(),
        }),
        fields: vec![
            field("summary", "Ghosts 🚀", DraftValue::Text("Ghosts 🚀".into())),
            field(
                "description",
                "# Seen\n- twice",
                DraftValue::Rich("# Seen\n- twice".into()),
            ),
            field("customfield_10016", "3.5", DraftValue::Number(3.5)),
            field(
                "duedate",
                "+3d",
                DraftValue::Date(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            ),
            field(
                "priority",
                "",
                DraftValue::Items(vec![DraftItem {
                    id: "2".into(),
                    label: "High".into(),
                    detail: None,
                    value: serde_json::json!({"id": "2"}),
                }]),
            ),
        ],
    });
    d
}

#[test]
fn create_drafts_round_trip_by_project_and_parent() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    let issue = form_draft("NAV", DraftTarget::NewIssue, None, 1);
    let subtask = form_draft("NAV-7", DraftTarget::NewSubtask, Some("NAV-7"), 2);
    store.save(&issue).unwrap();
    store.save(&subtask).unwrap();
    assert_eq!(
        files_under(tmp.path()),
        [
            "drafts/work/NAV-7.new-subtask.json",
            "drafts/work/NAV.new-issue.json",
        ]
    );
    assert_eq!(store.load("NAV", &DraftTarget::NewIssue), Some(issue));
    assert_eq!(store.load("NAV-7", &DraftTarget::NewSubtask), Some(subtask));
    assert_eq!(store.load("NAV-8", &DraftTarget::NewSubtask), None);
    assert_eq!(store.load("OPS", &DraftTarget::NewIssue), None);
    store.delete("NAV", &DraftTarget::NewIssue).unwrap();
    assert_eq!(
        files_under(tmp.path()),
        ["drafts/work/NAV-7.new-subtask.json"]
    );
}

#[test]
fn a_create_draft_must_say_what_its_name_says() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    // A form of NAV named as OPS's, a sub-task without its parent: refused, not written.
    let wrong_project = form_draft("OPS", DraftTarget::NewIssue, None, 1);
    assert!(matches!(
        store.save(&wrong_project),
        Err(DraftError::InvalidName(_))
    ));
    let no_parent = form_draft("NAV-7", DraftTarget::NewSubtask, None, 1);
    assert!(store.save(&no_parent).is_err());
    let mut no_form = form_draft("NAV", DraftTarget::NewIssue, None, 1);
    no_form.form = None;
    assert!(store.save(&no_form).is_err());
    assert!(!tmp.path().join("drafts/work").exists() || store.list().is_empty());
    // Nor read back when put there by hand.
    std::fs::create_dir_all(store.dir()).unwrap();
    let json = serde_json::to_string(&wrong_project).unwrap();
    std::fs::write(store.dir().join("OPS.new-issue.json"), json).unwrap();
    assert!(store.list().is_empty());
    assert_eq!(store.load("OPS", &DraftTarget::NewIssue), None);
    // Too much text in the fields is refused like too long a comment.
    let mut big = form_draft("NAV", DraftTarget::NewIssue, None, 1);
    big.form.as_mut().unwrap().fields[1].text = "x".repeat(MAX_DRAFT_BYTES + 1);
    assert!(matches!(store.save(&big), Err(DraftError::TooLarge { .. })));
}

#[test]
fn a_draft_file_from_before_create_drafts_still_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let store = DraftStore::new(tmp.path(), "work");
    std::fs::create_dir_all(store.dir()).unwrap();
    // Exactly what earlier versions wrote: no `form`.
    let old = r#"{
  "issue_key": "NAV-5",
  "target": { "kind": "comment", "id": "77" },
  "text": "from an older jtui",
  "saved_at": "2026-09-21T14:13:20Z",
  "base_updated": null
}"#;
    std::fs::write(store.dir().join("NAV-5.comment-77.json"), old).unwrap();
    let loaded = store
        .load("NAV-5", &DraftTarget::Comment { id: "77".into() })
        .expect("an old draft loads");
    assert_eq!(loaded.text, "from an older jtui");
    assert_eq!(loaded.form, None);
    assert_eq!(store.list().len(), 1);
    // Saved again, it still has no `form` key.
    store.save(&loaded).unwrap();
    let raw = std::fs::read_to_string(store.dir().join("NAV-5.comment-77.json")).unwrap();
    assert!(!raw.contains("\"form\""), "{raw}");
}

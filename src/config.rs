//! User configuration. Today: the keymap; sign-in settings and profiles build on this.

pub mod keymap;

//! Colours and text styles in one place. `NO_COLOR` gives a monochrome theme that still
//! shows focus and selection through modifiers. The default theme uses the terminal's
//! own foreground for body text and the 16 ANSI colours for accents, with fixed
//! backgrounds only for the selection and lozenges, so it reads on dark and light
//! terminals alike. Colours from documents (ADF text colours) are 24-bit; terminals
//! without true colour get the nearest ANSI colour instead.

use std::ffi::OsStr;

use ratatui::style::{Color, Modifier, Style};

use crate::jira::adf::Rgb;
use crate::state::search::StatusCategory;

/// What the terminal can show, decided once at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorSupport {
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`).
    #[default]
    TrueColor,
    /// The 16 ANSI colours: 24-bit colours are mapped to the nearest of them.
    Ansi16,
    /// No colour at all (`NO_COLOR`).
    None,
}

impl ColorSupport {
    /// From the environment: `NO_COLOR` (any non-empty value, https://no-color.org)
    /// wins; then `COLORTERM`.
    pub fn from_env() -> Self {
        Self::from_vars(
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("COLORTERM").as_deref(),
        )
    }

    /// The decision for given values of `NO_COLOR` and `COLORTERM`.
    pub fn from_vars(no_color: Option<&OsStr>, colorterm: Option<&OsStr>) -> Self {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return Self::None;
        }
        match colorterm
            .and_then(OsStr::to_str)
            .map(str::to_ascii_lowercase)
        {
            Some(v) if v == "truecolor" || v == "24bit" => Self::TrueColor,
            _ => Self::Ansi16,
        }
    }
}

/// Below this chroma (max − min channel) a colour reads as grey.
const GREY_CHROMA: i32 = 40;
/// Lightness (0–255 scale, HSL) above which the bright variant is used.
const BRIGHT_LIGHTNESS: i32 = 140;
/// Hue sectors (degrees, upper bounds) for the six ANSI hues. Green is wide because
/// the eye separates fewer greens; blue stops at 245 so Atlassian's purple (hue 249)
/// reads as purple.
const HUE_SECTORS: [(i32, Color, Color); 6] = [
    (25, Color::Red, Color::LightRed),
    (70, Color::Yellow, Color::LightYellow),
    (165, Color::Green, Color::LightGreen),
    (200, Color::Cyan, Color::LightCyan),
    (245, Color::Blue, Color::LightBlue),
    (330, Color::Magenta, Color::LightMagenta),
];

/// The ANSI colour nearest to `rgb` as a person would name it: greys by lightness,
/// other colours by hue, bright when light. (Distances in RGB send dark greens and
/// purples to grey, which is not what anyone sees.)
pub fn nearest_ansi16(rgb: Rgb) -> Color {
    let (r, g, b) = (i32::from(rgb.0), i32::from(rgb.1), i32::from(rgb.2));
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let chroma = max - min;
    let lightness = (max + min) / 2;
    if chroma < GREY_CHROMA {
        return match lightness {
            l if l < 48 => Color::Black,
            l if l < 150 => Color::DarkGray,
            l if l < 230 => Color::Gray,
            _ => Color::White,
        };
    }
    let hue = if max == r {
        (60 * (g - b) / chroma).rem_euclid(360)
    } else if max == g {
        60 * (b - r) / chroma + 120
    } else {
        60 * (r - g) / chroma + 240
    };
    // Hues past the magenta sector wrap around to red.
    let (_, normal, light) = HUE_SECTORS
        .iter()
        .find(|(upper, _, _)| hue < *upper)
        .unwrap_or(&HUE_SECTORS[0]);
    if lightness > BRIGHT_LIGHTNESS {
        *light
    } else {
        *normal
    }
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub header: Style,
    pub key: Style,
    pub dim: Style,
    pub error: Style,
    pub info: Style,
    pub label: Style,
    pub heading: Style,
    pub code: Style,
    pub link: Style,
    pub mention: Style,
    pub quote: Style,
    pub status_todo: Style,
    pub status_progress: Style,
    pub status_done: Style,
    pub jql_field: Style,
    pub jql_operator: Style,
    pub jql_keyword: Style,
    pub jql_value: Style,
    pub jql_function: Style,
    pub jql_error: Style,
    /// How document colours are shown.
    pub colors: ColorSupport,
}

impl Default for Theme {
    fn default() -> Self {
        let bold = Modifier::BOLD;
        Self {
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            title: Style::new().add_modifier(bold),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(bold),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            header: Style::new().add_modifier(bold | Modifier::UNDERLINED),
            key: Style::new().fg(Color::Cyan).add_modifier(bold),
            dim: Style::new().fg(Color::DarkGray),
            error: Style::new().fg(Color::Red).add_modifier(bold),
            info: Style::new().fg(Color::Green),
            label: Style::new().add_modifier(bold),
            heading: Style::new().fg(Color::Magenta).add_modifier(bold),
            // Yellow, the usual choice, is unreadable on light backgrounds.
            code: Style::new().fg(Color::Cyan),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            mention: Style::new().fg(Color::Cyan),
            quote: Style::new().add_modifier(Modifier::ITALIC),
            status_todo: Style::new(),
            status_progress: Style::new().fg(Color::Blue),
            status_done: Style::new().fg(Color::Green),
            jql_field: Style::new().fg(Color::Cyan),
            jql_operator: Style::new().fg(Color::Magenta),
            jql_keyword: Style::new().fg(Color::Blue).add_modifier(bold),
            jql_value: Style::new().fg(Color::Green),
            jql_function: Style::new().fg(Color::Yellow),
            jql_error: Style::new()
                .fg(Color::Red)
                .add_modifier(Modifier::UNDERLINED | bold),
            colors: ColorSupport::TrueColor,
        }
    }
}

impl Theme {
    /// The theme for what the terminal supports (see [`ColorSupport::from_env`]).
    pub fn from_env() -> Self {
        Self::for_support(ColorSupport::from_env())
    }

    pub fn for_support(colors: ColorSupport) -> Self {
        match colors {
            ColorSupport::None => Self::monochrome(),
            colors => Self {
                colors,
                ..Self::default()
            },
        }
    }

    /// The theme a config file names: `default` (colours as the terminal supports them)
    /// or `mono` (no colours, emphasis only). `NO_COLOR` always wins.
    pub fn named(name: &str) -> Result<Self, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "default" | "" => Ok(Self::from_env()),
            "mono" | "monochrome" => Ok(Self::monochrome()),
            other => Err(format!("unknown theme '{other}' (known: default, mono)")),
        }
    }

    /// A document's 24-bit colour as this terminal can show it (`None`: no colour).
    pub fn rgb(&self, rgb: Rgb) -> Option<Color> {
        match self.colors {
            ColorSupport::TrueColor => Some(Color::Rgb(rgb.0, rgb.1, rgb.2)),
            ColorSupport::Ansi16 => Some(nearest_ansi16(rgb)),
            ColorSupport::None => None,
        }
    }

    /// Whether colours are off (`NO_COLOR`): lozenges and panels then use modifiers.
    pub fn is_monochrome(&self) -> bool {
        self.colors == ColorSupport::None
    }

    pub fn monochrome() -> Self {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let under = Style::new().add_modifier(Modifier::UNDERLINED);
        Self {
            border: plain,
            border_focused: bold,
            title: bold,
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            header: bold.add_modifier(Modifier::UNDERLINED),
            key: bold,
            dim: plain,
            error: bold,
            info: plain,
            label: bold,
            heading: bold,
            code: plain,
            link: under,
            mention: bold,
            quote: Style::new().add_modifier(Modifier::ITALIC),
            status_todo: plain,
            status_progress: plain,
            status_done: plain,
            jql_field: plain,
            jql_operator: plain,
            jql_keyword: bold,
            jql_value: plain,
            jql_function: plain,
            jql_error: under.add_modifier(Modifier::BOLD),
            colors: ColorSupport::None,
        }
    }

    pub fn status(&self, category: StatusCategory) -> Style {
        match category {
            StatusCategory::ToDo | StatusCategory::Unknown => self.status_todo,
            StatusCategory::InProgress => self.status_progress,
            StatusCategory::Done => self.status_done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_support_comes_from_no_color_then_colorterm() {
        let os = |s: &'static str| Some(OsStr::new(s));
        assert_eq!(
            ColorSupport::from_vars(None, os("truecolor")),
            ColorSupport::TrueColor
        );
        assert_eq!(
            ColorSupport::from_vars(None, os("24bit")),
            ColorSupport::TrueColor
        );
        assert_eq!(ColorSupport::from_vars(None, None), ColorSupport::Ansi16);
        assert_eq!(
            ColorSupport::from_vars(None, os("yes")),
            ColorSupport::Ansi16
        );
        assert_eq!(
            ColorSupport::from_vars(os("1"), os("truecolor")),
            ColorSupport::None
        );
        assert_eq!(
            ColorSupport::from_vars(os(""), os("truecolor")),
            ColorSupport::TrueColor,
            "an empty NO_COLOR does not count"
        );
    }

    #[test]
    fn document_colours_fall_back_to_the_nearest_ansi_colour() {
        // Atlassian's editor text colours, as ADF `textColor` marks carry them.
        let cases = [
            (Rgb(0xbf, 0x26, 0x00), Color::Red),         // red
            (Rgb(0xff, 0x56, 0x30), Color::LightRed),    // red, lighter
            (Rgb(0xff, 0x99, 0x1f), Color::LightYellow), // orange
            (Rgb(0x00, 0x87, 0x5a), Color::Green),       // green
            (Rgb(0x36, 0xb3, 0x7e), Color::Green),       // green, lighter
            (Rgb(0x00, 0xb8, 0xd9), Color::Cyan),        // teal
            (Rgb(0x00, 0x52, 0xcc), Color::Blue),        // blue
            (Rgb(0x4c, 0x9a, 0xff), Color::LightBlue),   // blue, lighter
            (Rgb(0x65, 0x54, 0xc0), Color::Magenta),     // purple
            (Rgb(0x97, 0xa0, 0xaf), Color::Gray),        // grey
            (Rgb(0x17, 0x2b, 0x4d), Color::Blue),        // navy
            (Rgb(0x00, 0x00, 0x00), Color::Black),
            (Rgb(0x80, 0x80, 0x80), Color::DarkGray),
            (Rgb(0xff, 0xff, 0xff), Color::White),
            (Rgb(0xff, 0x00, 0x80), Color::Red), // past magenta: red again
            (Rgb(0x00, 0x00, 0xff), Color::Blue),
            (Rgb(0xff, 0x00, 0xff), Color::Magenta),
        ];
        for (rgb, want) in cases {
            assert_eq!(nearest_ansi16(rgb), want, "{rgb:?}");
        }
        let ansi = Theme::for_support(ColorSupport::Ansi16);
        assert_eq!(ansi.rgb(Rgb(0xff, 0x56, 0x30)), Some(Color::LightRed));
        let full = Theme::for_support(ColorSupport::TrueColor);
        assert_eq!(
            full.rgb(Rgb(0xff, 0x56, 0x30)),
            Some(Color::Rgb(0xff, 0x56, 0x30))
        );
        assert_eq!(
            Theme::for_support(ColorSupport::None).rgb(Rgb(1, 2, 3)),
            None
        );
    }

    #[test]
    fn the_default_theme_sets_no_background_but_for_selection() {
        let t = Theme::default();
        let styles = [
            t.border,
            t.border_focused,
            t.title,
            t.header,
            t.key,
            t.dim,
            t.error,
            t.info,
            t.label,
            t.heading,
            t.code,
            t.link,
            t.mention,
            t.quote,
            t.status_todo,
            t.status_progress,
            t.status_done,
        ];
        for style in styles {
            assert_eq!(style.bg, None, "{style:?}");
            // Light grey or white text vanishes on a light background.
            assert!(
                !matches!(style.fg, Some(Color::Gray | Color::White)),
                "{style:?}"
            );
        }
        assert!(t.selected.bg.is_some());
    }
}

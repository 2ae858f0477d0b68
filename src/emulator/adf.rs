//! Atlassian Document Format seen from the server side: the plain text that full-text JQL
//! (`~`) searches, and the best-effort HTML that `expand=renderedFields` returns.
//!
//! This is deliberately separate from the client's ADF code in `crate::jira`: the emulator
//! must not share shapes or helpers with the client it is there to test.

use serde_json::Value;

/// The text of an ADF document (or any node), blocks separated by newlines.
///
/// Mentions contribute their `@Name` text and unknown nodes their children, so a search for a
/// word never misses because of a node type this function does not know.
pub fn to_text(node: &Value) -> String {
    let mut out = String::new();
    push_text(node, &mut out);
    out
}

fn push_text(node: &Value, out: &mut String) {
    match node.get("type").and_then(Value::as_str) {
        Some("text") => {
            if let Some(text) = node.get("text").and_then(Value::as_str) {
                out.push_str(text);
            }
        }
        Some("hardBreak") => out.push('\n'),
        Some("mention") | Some("emoji") | Some("status") | Some("placeholder") => {
            if let Some(text) = node.pointer("/attrs/text").and_then(Value::as_str) {
                out.push_str(text);
            }
        }
        Some("inlineCard") | Some("blockCard") | Some("embedCard") => {
            if let Some(url) = node.pointer("/attrs/url").and_then(Value::as_str) {
                out.push_str(url);
            }
        }
        _ => {
            if let Some(children) = node.get("content").and_then(Value::as_array) {
                let block = is_block(node);
                for child in children {
                    push_text(child, out);
                    if is_block(child) && !out.ends_with('\n') {
                        out.push('\n');
                    }
                }
                if block && !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
            }
        }
    }
}

fn is_block(node: &Value) -> bool {
    !matches!(
        node.get("type").and_then(Value::as_str),
        Some(
            "text"
                | "hardBreak"
                | "mention"
                | "emoji"
                | "inlineCard"
                | "status"
                | "date"
                | "placeholder"
                | "mediaInline"
                | "inlineExtension"
        )
    )
}

/// Best-effort HTML like Jira's `renderedFields`: paragraphs, headings, lists, code, quotes,
/// tables, panels and the common marks. Unknown nodes render their children.
pub fn to_html(node: &Value) -> String {
    let mut out = String::new();
    push_html(node, &mut out);
    out
}

fn push_children(node: &Value, out: &mut String) {
    if let Some(children) = node.get("content").and_then(Value::as_array) {
        for child in children {
            push_html(child, out);
        }
    }
}

fn wrap(tag: &str, node: &Value, out: &mut String) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    push_children(node, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

fn push_html(node: &Value, out: &mut String) {
    let kind = node.get("type").and_then(Value::as_str).unwrap_or_default();
    match kind {
        "doc" => push_children(node, out),
        "paragraph" => wrap("p", node, out),
        "heading" => {
            let level = node
                .pointer("/attrs/level")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .clamp(1, 6);
            let tag = format!("h{level}");
            wrap(&tag, node, out);
        }
        "bulletList" => wrap("ul", node, out),
        "orderedList" => wrap("ol", node, out),
        "listItem" => wrap("li", node, out),
        "blockquote" => wrap("blockquote", node, out),
        "table" => {
            out.push_str("<div class=\"table-wrap\">");
            wrap("table", node, out);
            out.push_str("</div>");
        }
        "tableRow" => wrap("tr", node, out),
        "tableHeader" => wrap("th", node, out),
        "tableCell" => wrap("td", node, out),
        "rule" => out.push_str("<hr />"),
        "hardBreak" => out.push_str("<br/>"),
        "codeBlock" => {
            out.push_str("<div class=\"code panel\"><div class=\"codeContent panelContent\"><pre>");
            out.push_str(&escape(&to_text(node)));
            out.push_str("</pre></div></div>");
        }
        "panel" => {
            out.push_str("<div class=\"panel\"><div class=\"panelContent\">");
            push_children(node, out);
            out.push_str("</div></div>");
        }
        "mention" => {
            let text = node
                .pointer("/attrs/text")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let id = node
                .pointer("/attrs/id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            out.push_str("<a class=\"user-hover\" rel=\"");
            out.push_str(&escape(id));
            out.push_str("\">");
            out.push_str(&escape(text));
            out.push_str("</a>");
        }
        "inlineCard" | "blockCard" | "embedCard" => {
            let url = node
                .pointer("/attrs/url")
                .and_then(Value::as_str)
                .unwrap_or_default();
            out.push_str("<a href=\"");
            out.push_str(&escape(url));
            out.push_str("\">");
            out.push_str(&escape(url));
            out.push_str("</a>");
        }
        "text" => push_marked_text(node, out),
        "emoji" | "status" | "placeholder" => {
            if let Some(text) = node.pointer("/attrs/text").and_then(Value::as_str) {
                out.push_str(&escape(text));
            }
        }
        _ => push_children(node, out),
    }
}

fn push_marked_text(node: &Value, out: &mut String) {
    let text = escape(node.get("text").and_then(Value::as_str).unwrap_or_default());
    let mut open = String::new();
    let mut close = Vec::new();
    for mark in node
        .get("marks")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let (start, end) = match mark.get("type").and_then(Value::as_str) {
            Some("strong") => ("<b>".to_owned(), "</b>"),
            Some("em") => ("<em>".to_owned(), "</em>"),
            Some("code") => ("<tt>".to_owned(), "</tt>"),
            Some("strike") => ("<del>".to_owned(), "</del>"),
            Some("underline") => ("<ins>".to_owned(), "</ins>"),
            Some("link") => {
                let href = mark
                    .pointer("/attrs/href")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                (
                    format!("<a href=\"{}\" class=\"external-link\">", escape(href)),
                    "</a>",
                )
            }
            _ => continue,
        };
        open.push_str(&start);
        close.push(end);
    }
    out.push_str(&open);
    out.push_str(&text);
    for end in close.iter().rev() {
        out.push_str(end);
    }
}

/// Escapes the five characters that matter in HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"type":"doc","version":1,"content":[
            {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Steps"}]},
            {"type":"paragraph","content":[
                {"type":"text","text":"Login "},
                {"type":"text","text":"fails","marks":[{"type":"strong"}]},
                {"type":"hardBreak"},
                {"type":"mention","attrs":{"id":"abc","text":"@Ana"}}
            ]},
            {"type":"bulletList","content":[{"type":"listItem","content":[
                {"type":"paragraph","content":[{"type":"text","text":"a <b> & c"}]}
            ]}]}
        ]})
    }

    #[test]
    fn text_keeps_words_and_separates_blocks() {
        let text = to_text(&doc());
        assert_eq!(text, "Steps\nLogin fails\n@Ana\na <b> & c\n");
    }

    #[test]
    fn html_renders_marks_and_escapes() {
        let html = to_html(&doc());
        assert_eq!(
            html,
            "<h2>Steps</h2><p>Login <b>fails</b><br/><a class=\"user-hover\" rel=\"abc\">@Ana</a></p>\
             <ul><li><p>a &lt;b&gt; &amp; c</p></li></ul>"
        );
    }

    #[test]
    fn unknown_nodes_degrade_to_children() {
        let node = json!({"type":"doc","content":[{"type":"mysteryBlock","content":[
            {"type":"text","text":"still here"}]}]});
        assert!(to_text(&node).contains("still here"));
        assert!(to_html(&node).contains("still here"));
    }
}

//! The start tags of raw HTML as a browser's tokenizer reads them (html5ever), for checks of
//! what contributed HTML holds: attribute values come out with their character references
//! decoded (`&#106;avascript&colon;` is `javascript:`), just as the sanitizer sees them.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// One start tag: its lowercased name and attributes (names lowercased, values decoded), and
/// the 1-based line of `html` it ends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartTagFound {
    pub name: String,
    pub attributes: Vec<Attribute>,
    pub line: usize,
}

/// One attribute of a start tag: its lowercased name and its decoded value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

#[derive(Default)]
struct Collect {
    tags: RefCell<Vec<StartTagFound>>,
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        let TagToken(tag) = token else { return TokenSinkResult::Continue };
        if tag.kind != StartTag {
            return TokenSinkResult::Continue;
        }
        let name = tag.name.to_string();
        let attributes = tag
            .attrs
            .iter()
            .map(|a| Attribute { name: a.name.local.to_string(), value: a.value.to_string() })
            .collect();
        let line = usize::try_from(line_number).unwrap_or(usize::MAX);
        self.tags.borrow_mut().push(StartTagFound { name: name.clone(), attributes, line });
        // What the tree builder would tell the tokenizer: the content of these elements is text.
        match name.as_str() {
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Every start tag of `html`, in order.
pub fn start_tags(html: &str) -> Vec<StartTagFound> {
    let tokenizer = Tokenizer::new(Collect::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    while let html5ever::TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink.tags.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_attribute_values_like_a_browser() {
        let pairs = |attributes: &[Attribute]| -> Vec<(String, String)> {
            attributes.iter().map(|a| (a.name.clone(), a.value.clone())).collect()
        };
        let tags = start_tags(
            "<A HREF=\"&#106;ava&#x73;cript&colon;x\">a</a>\n<img src=x alt>\n<textarea><a href=y></textarea><b title='&amp;'>",
        );
        let found: Vec<String> =
            tags.iter().map(|t| format!("{}:{}{:?}", t.line, t.name, pairs(&t.attributes))).collect();
        assert_eq!(
            found,
            [
                "1:a[(\"href\", \"javascript:x\")]",
                "2:img[(\"src\", \"x\"), (\"alt\", \"\")]",
                "3:textarea[]",
                "3:b[(\"title\", \"&\")]",
            ]
        );
    }
}

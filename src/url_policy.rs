//! The one rule for every URL that content or site.yaml can put into an `href` or `src`.
//!
//! [`check`] decides, for links and images in Markdown, URL attributes of raw HTML (the
//! sanitizer's attribute filter calls it), author and source URLs, the organization's URL and
//! logo and redirect paths alike. It allows `http://` and `https://` addresses with a host,
//! `mailto:` addresses and relative URLs (paths, `?query`, `#fragment`), and refuses the rest:
//!
//! - any other scheme (`javascript:`, `data:`, `vbscript:`, `file:`, …), in any letter case;
//! - whitespace, control characters (tabs and newlines inside `java\tscript:` included) and
//!   invisible formatting characters anywhere, leading and trailing ones too: a browser strips
//!   or removes some of them before it reads the scheme, so they are never allowed;
//! - backslashes, which browsers read as `/` (`/\evil.example` is `//evil.example`);
//! - fullwidth and halfwidth forms (`ｊａｖａｓｃｒｉｐｔ：`), which look like what they are not;
//! - protocol-relative URLs (`//host/x`): the page's scheme picks the protocol, and a page
//!   opened from disk would make them `file:` URLs; write the scheme;
//! - a colon before the first `/`, `?` or `#` that does not end an allowed scheme name, so a
//!   percent-encoded scheme (`%6Aavascript:`) or a Windows path (`C:\x`) is refused instead
//!   of being read as a relative path;
//! - user names and passwords before the host (`https://bank.example@evil.example/`), hosts
//!   that are not domain names or IP addresses, and ports outside 1–65535.
//!
//! Entities (`&#106;avascript:`) are decoded before the URL gets here: pulldown-cmark decodes
//! them in Markdown link destinations and the HTML parser in attribute values.
//!
//! [`base_url`] holds `base_url` and `--base-url` to more: an absolute http(s) URL without a
//! query, fragment or dot segments.

/// The schemes a URL may have; everything else is relative or refused.
pub const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Attributes whose value is a URL, on any element. The sanitizer applies [`check`] to each.
pub const URL_ATTRIBUTES: &[&str] = &[
    "action",
    "background",
    "cite",
    "codebase",
    "data",
    "formaction",
    "href",
    "icon",
    "longdesc",
    "manifest",
    "ping",
    "poster",
    "src",
    "srcset",
    "xlink:href",
];

/// What an allowed URL is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `http://` or `https://` with a host.
    Web,
    /// `mailto:` with an address.
    Mail,
    /// A path, `?query` or `#fragment` on the same site.
    Relative,
}

/// Why a URL is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    /// Whitespace, a control character or an invisible formatting character.
    Invisible(char),
    Backslash,
    Fullwidth,
    /// A scheme other than http, https and mailto, lowercased.
    Scheme(String),
    /// Text before a colon that is not a scheme name.
    NotAScheme(String),
    ProtocolRelative,
    NoHost,
    UserInfo,
    BadHost(String),
    BadPort(String),
    NoAddress,
    /// What only [`base_url`] refuses.
    NotAbsolute,
    Query,
    Fragment,
    DotSegment,
    /// `//` inside the path.
    EmptySegment,
    /// A `%` not followed by two hexadecimal digits.
    BadPercent,
    /// A character a URL path cannot hold as it is.
    PathCharacter(char),
}

impl Refusal {
    /// What is wrong, to follow the URL in a message: `link "…" uses the `data:` scheme`.
    pub fn problem(&self) -> String {
        match self {
            Refusal::Empty => "is empty".to_owned(),
            Refusal::Invisible(c) if *c == ' ' => "has a space in it".to_owned(),
            Refusal::Invisible(c) if c.is_whitespace() || c.is_control() => {
                format!("has a whitespace or control character (U+{:04X}) in it", u32::from(*c))
            }
            Refusal::Invisible(c) => format!("has an invisible character (U+{:04X}) in it", u32::from(*c)),
            Refusal::Backslash => "has a backslash in it".to_owned(),
            Refusal::Fullwidth => "has fullwidth characters in it".to_owned(),
            Refusal::Scheme(scheme) => format!("uses the `{scheme}:` scheme"),
            Refusal::NotAScheme(_) => {
                "has a colon before its first `/`, so it reads as an unknown scheme".to_owned()
            }
            Refusal::ProtocolRelative => "starts with `//` and no scheme".to_owned(),
            Refusal::NoHost => "has no host".to_owned(),
            Refusal::UserInfo => "has a user name or password before the host".to_owned(),
            Refusal::BadHost(host) => format!("has an invalid host `{host}`"),
            Refusal::BadPort(port) => format!("has an invalid port `{port}`"),
            Refusal::NoAddress => "has no address after `mailto:`".to_owned(),
            Refusal::NotAbsolute => "is not an absolute http or https URL".to_owned(),
            Refusal::Query => "has a query (`?…`)".to_owned(),
            Refusal::Fragment => "has a fragment (`#…`)".to_owned(),
            Refusal::DotSegment => "has a `.` or `..` path segment".to_owned(),
            Refusal::EmptySegment => "has an empty path segment (`//`)".to_owned(),
            Refusal::BadPercent => "has a `%` that is not followed by two hexadecimal digits".to_owned(),
            Refusal::PathCharacter(c) => format!("has the character {c:?} in its path"),
        }
    }

    /// How to fix it.
    pub fn help(&self) -> String {
        const ALLOWED: &str = "a URL is an https:// or http:// address, a mailto: address, or a path on the site such as /http/502/";
        match self {
            Refusal::Empty => format!("write the address, or remove the field; {ALLOWED}"),
            Refusal::Invisible(_) => {
                "remove it; inside a path, write a space as %20".to_owned()
            }
            Refusal::Backslash => {
                "browsers read `\\` as `/`, which can lead to another site; write `/`, or %5C for a backslash".to_owned()
            }
            Refusal::Fullwidth => "write the address with ordinary (ASCII) letters and punctuation".to_owned(),
            Refusal::Scheme(scheme) if matches!(scheme.as_str(), "javascript" | "vbscript" | "data") => format!(
                "a `{scheme}:` URL runs in the reader's browser and is never allowed; link a page with an https:// address instead"
            ),
            Refusal::Scheme(scheme) if scheme == "file" => {
                "a `file:` URL points at a file on one computer; link a copy on the web instead".to_owned()
            }
            Refusal::Scheme(_) => ALLOWED.to_owned(),
            Refusal::NotAScheme(_) => format!("{ALLOWED}; write `./` before a relative path that has a colon in it"),
            Refusal::ProtocolRelative => {
                "write the scheme, as in https://example.org/x; without it a page opened from disk links to a file: URL".to_owned()
            }
            Refusal::NoHost => "write the address in full, such as https://example.org/page".to_owned(),
            Refusal::UserInfo => {
                "remove the part up to `@`: it hides the real host and gives away credentials".to_owned()
            }
            Refusal::BadHost(_) => "a host is a domain name such as example.org, or an IP address".to_owned(),
            Refusal::BadPort(_) => "a port is a number from 1 to 65535; leave it out for the usual one".to_owned(),
            Refusal::NoAddress => "write it like mailto:team@example.org".to_owned(),
            Refusal::NotAbsolute => {
                "write the address the site is published at, for example `https://example.org/kb/`".to_owned()
            }
            Refusal::Query | Refusal::Fragment => {
                "the base URL is the folder the site is published in; remove the `?` or `#` and what follows".to_owned()
            }
            Refusal::DotSegment => {
                "write the path the site is published under without `.` or `..` parts, like https://example.org/kb/".to_owned()
            }
            Refusal::EmptySegment => {
                "write one `/` between the parts of the path, like https://example.org/kb/; joined to `//`, every link would lead to another host".to_owned()
            }
            Refusal::BadPercent => "write a `%` itself as %25, and an escape as `%` and two hexadecimal digits, like %20".to_owned(),
            Refusal::PathCharacter(_) => {
                "write it percent-encoded (a `\"` is %22, `<` is %3C), or leave it out of the path".to_owned()
            }
        }
    }
}

/// A URL as it is quoted in a message: control characters and quotes escaped.
pub fn shown(url: &str) -> String {
    url.escape_debug().to_string()
}

/// Characters that take up no space or change the direction of text: as invisible in an
/// address as a control character.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
            | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
            | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

fn is_fullwidth(c: char) -> bool {
    ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// Whether `url` may be written into an `href` or `src`, and what it is.
pub fn check(url: &str) -> Result<Kind, Refusal> {
    if url.is_empty() {
        return Err(Refusal::Empty);
    }
    if let Some(c) = url.chars().find(|c| is_invisible(*c)) {
        return Err(Refusal::Invisible(c));
    }
    if url.contains('\\') {
        return Err(Refusal::Backslash);
    }
    if url.chars().any(is_fullwidth) {
        return Err(Refusal::Fullwidth);
    }
    let lead_end = url.find(['/', '?', '#']).unwrap_or(url.len());
    let Some(colon) = url[..lead_end].find(':') else {
        if url.starts_with("//") {
            return Err(Refusal::ProtocolRelative);
        }
        return Ok(Kind::Relative);
    };
    let name = &url[..colon];
    let is_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_name {
        return Err(Refusal::NotAScheme(name.to_owned()));
    }
    let scheme = name.to_ascii_lowercase();
    let rest = &url[colon + 1..];
    match scheme.as_str() {
        "http" | "https" => {
            let after = rest.strip_prefix("//").ok_or(Refusal::NoHost)?;
            let authority = &after[..after.find(['/', '?', '#']).unwrap_or(after.len())];
            check_authority(authority)?;
            Ok(Kind::Web)
        }
        "mailto" if rest.is_empty() => Err(Refusal::NoAddress),
        "mailto" => Ok(Kind::Mail),
        _ => Err(Refusal::Scheme(scheme)),
    }
}

/// `host[:port]` of an http(s) URL.
fn check_authority(authority: &str) -> Result<(), Refusal> {
    if authority.contains('@') {
        return Err(Refusal::UserInfo);
    }
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => (&authority[..=end], authority[end + 1..].strip_prefix(':')),
            None => return Err(Refusal::BadHost(authority.to_owned())),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(Refusal::NoHost);
    }
    if !is_host(host) {
        return Err(Refusal::BadHost(host.to_owned()));
    }
    if let Some(port) = port {
        let number = port.parse::<u32>().ok().filter(|_| port.bytes().all(|b| b.is_ascii_digit()));
        if !number.is_some_and(|n| (1..=65535).contains(&n)) {
            return Err(Refusal::BadPort(port.to_owned()));
        }
    } else if authority.len() > host.len() {
        // `[::1]x`: text after the bracket that is not a port.
        return Err(Refusal::BadHost(authority.to_owned()));
    }
    Ok(())
}

/// A domain name (labels of letters, digits, `-` and `_`, any script), an IPv4 address, or
/// an IPv6 address in brackets.
fn is_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
}

/// Where the URLs of a `srcset` value are (`/a.png 1x, /a@2x.png 2x`), read as the HTML
/// standard's algorithm for parsing a srcset attribute reads them, so each range is a URL a
/// browser may load and [`check`] is applied to each: candidates are split at commas, each is
/// a URL (a run without whitespace; commas that end it are not part of it) and optional
/// descriptors up to the next comma outside parentheses.
pub fn srcset_urls(value: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = value.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r');
    let mut urls = Vec::new();
    let mut at = 0;
    loop {
        while at < bytes.len() && (is_space(bytes[at]) || bytes[at] == b',') {
            at += 1;
        }
        if at == bytes.len() {
            return urls;
        }
        let start = at;
        while at < bytes.len() && !is_space(bytes[at]) {
            at += 1;
        }
        let mut end = at;
        if bytes[end - 1] == b',' {
            while end > start && bytes[end - 1] == b',' {
                end -= 1;
            }
        } else {
            // Descriptors: up to a comma that is not inside parentheses.
            let mut in_parens = false;
            while at < bytes.len() {
                match bytes[at] {
                    b'(' => in_parens = true,
                    b')' => in_parens = false,
                    b',' if !in_parens => break,
                    _ => {}
                }
                at += 1;
            }
        }
        if end > start {
            urls.push(start..end);
        }
    }
}

/// Whether `url` can be the base every link of the site is joined to: `base_url` in site.yaml
/// or `--base-url`. An absolute http(s) URL by [`check`], without query, fragment or a `.` or
/// `..` path segment (percent-encoded ones included), without an empty segment (`//`, which
/// would make every site-absolute link protocol-relative), a malformed percent escape or a
/// character that is not a URL path character.
pub fn base_url(url: &str) -> Result<(), Refusal> {
    match check(url) {
        Ok(Kind::Web) => {}
        Ok(_) | Err(Refusal::Scheme(_) | Refusal::NotAScheme(_) | Refusal::ProtocolRelative) => {
            return Err(Refusal::NotAbsolute)
        }
        Err(refusal) => return Err(refusal),
    }
    if url.contains('?') {
        return Err(Refusal::Query);
    }
    if url.contains('#') {
        return Err(Refusal::Fragment);
    }
    let after_scheme = &url[url.find("://").map_or(0, |i| i + 3)..];
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let is_dot = |segment: &str| {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        segment == "." || segment == ".."
    };
    if path.split('/').any(is_dot) {
        return Err(Refusal::DotSegment);
    }
    if path.contains("//") {
        return Err(Refusal::EmptySegment);
    }
    let bytes = path.as_bytes();
    for (i, _) in path.match_indices('%') {
        if !bytes.get(i + 1..i + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
            return Err(Refusal::BadPercent);
        }
    }
    // RFC 3986 `pchar` and `/`, and letters and digits of any script (an IRI's path, which
    // browsers percent-encode); everything else must be written percent-encoded.
    let is_path_char = |c: char| {
        c.is_ascii_alphanumeric()
            || "-._~!$&'()*+,;=:@/%".contains(c)
            || (!c.is_ascii() && c.is_alphanumeric())
    };
    if let Some(c) = path.chars().find(|c| !is_path_char(*c)) {
        return Err(Refusal::PathCharacter(c));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_all(cases: &[(&str, Result<Kind, Refusal>)]) {
        for (url, expected) in cases {
            assert_eq!(&check(url), expected, "{url:?}");
        }
    }

    #[test]
    fn allows_web_mail_and_relative_urls() {
        use Kind::*;
        check_all(&[
            ("https://example.org/kb/", Ok(Web)),
            ("HTTP://Example.ORG", Ok(Web)),
            ("https://example.org:8443/x?y=1#z", Ok(Web)),
            ("https://[::1]:8080/", Ok(Web)),
            ("http://127.0.0.1/", Ok(Web)),
            ("https://bücher.example/", Ok(Web)),
            ("https://my_host.example/", Ok(Web)),
            ("https://example.org./", Ok(Web)),
            ("mailto:team@example.org", Ok(Mail)),
            ("MailTo:team@example.org?subject=hi", Ok(Mail)),
            ("/http/502/#why", Ok(Relative)),
            ("../502/", Ok(Relative)),
            ("./a:b", Ok(Relative)),
            ("img/x.png", Ok(Relative)),
            ("#section", Ok(Relative)),
            ("?q=503", Ok(Relative)),
            ("/wiki/Ünïcode", Ok(Relative)),
            ("/a/b:c", Ok(Relative)),
            ("javascript%3Aalert(1)", Ok(Relative)),
        ]);
    }

    #[test]
    fn refuses_other_schemes_and_their_evasions() {
        use Refusal::*;
        let scheme = |s: &str| Err(Scheme(s.to_owned()));
        check_all(&[
            ("", Err(Empty)),
            ("javascript:alert(1)", scheme("javascript")),
            ("JaVaScRiPt:alert(1)", scheme("javascript")),
            (" javascript:alert(1)", Err(Invisible(' '))),
            ("javascript:alert(1) ", Err(Invisible(' '))),
            ("\u{1}javascript:alert(1)", Err(Invisible('\u{1}'))),
            ("java\tscript:alert(1)", Err(Invisible('\t'))),
            ("java\nscript:alert(1)", Err(Invisible('\n'))),
            ("java\rscript:alert(1)", Err(Invisible('\r'))),
            ("\u{feff}javascript:x", Err(Invisible('\u{feff}'))),
            ("java\u{200b}script:x", Err(Invisible('\u{200b}'))),
            ("https://e.org/\u{202e}gpj.exe", Err(Invisible('\u{202e}'))),
            ("https://e.org/a b", Err(Invisible(' '))),
            ("\u{a0}https://e.org/", Err(Invisible('\u{a0}'))),
            ("vbscript:msgbox(1)", scheme("vbscript")),
            ("data:text/html,<script>x</script>", scheme("data")),
            ("DATA:image/png;base64,AAAA", scheme("data")),
            ("file:///etc/passwd", scheme("file")),
            ("ftp://ftp.example.org/x", scheme("ftp")),
            ("blob:https://e.org/x", scheme("blob")),
            ("C:/Windows/x", scheme("c")),
            ("//evil.example/x", Err(ProtocolRelative)),
            ("/\\evil.example", Err(Backslash)),
            ("\\\\evil.example\\x", Err(Backslash)),
            ("https:\\\\evil.example", Err(Backslash)),
            ("ｊａｖａｓｃｒｉｐｔ：alert(1)", Err(Fullwidth)),
            ("／／evil.example", Err(Fullwidth)),
            ("%6Aavascript:alert(1)", Err(NotAScheme("%6Aavascript".to_owned()))),
            ("1http://x", Err(NotAScheme("1http".to_owned()))),
            (":x", Err(NotAScheme(String::new()))),
            // Undecoded, an entity is a path and a fragment; callers decode entities first.
            ("&#106;avascript:alert(1)", Ok(Kind::Relative)),
            ("&#x6A;avascript&#58;alert(1)", Ok(Kind::Relative)),
            ("https:evil.example", Err(NoHost)),
            ("https:/evil.example", Err(NoHost)),
            ("https:///x", Err(NoHost)),
            ("https://", Err(NoHost)),
            ("https://bank.example@evil.example/", Err(UserInfo)),
            ("https://u:p@e.org/", Err(UserInfo)),
            ("https://e.org:99999/", Err(BadPort("99999".to_owned()))),
            ("https://e.org:0/", Err(BadPort("0".to_owned()))),
            ("https://e.org:/", Err(BadPort(String::new()))),
            ("https://e.org:+80/", Err(BadPort("+80".to_owned()))),
            ("https://e..org/", Err(BadHost("e..org".to_owned()))),
            ("https://-e.org/", Err(BadHost("-e.org".to_owned()))),
            ("https://e.org%2f@x/", Err(UserInfo)),
            ("https://e%2eorg/", Err(BadHost("e%2eorg".to_owned()))),
            ("https://[::1/", Err(BadHost("[::1".to_owned()))),
            ("https://[zz]/", Err(BadHost("[zz]".to_owned()))),
            ("https://[::1]x/", Err(BadHost("[::1]x".to_owned()))),
            ("mailto:", Err(NoAddress)),
        ]);
    }

    #[test]
    fn every_refusal_says_what_and_how() {
        for url in [
            "",
            " x",
            "javascript:x",
            "file:x",
            "ftp:x",
            "%6A:x",
            "//x",
            "a\\b",
            "ｘ",
            "https://a@b",
            "mailto:",
        ] {
            let refusal = check(url).unwrap_err();
            let (problem, help) = (refusal.problem(), refusal.help());
            assert!(!problem.is_empty() && !problem.ends_with('.'), "{url:?}: {problem}");
            assert!(!help.is_empty() && !help.ends_with('.'), "{url:?}: {help}");
        }
        assert!(check("javascript:x").unwrap_err().help().contains("never allowed"));
        assert_eq!(shown("java\tscript:\"x\""), "java\\tscript:\\\"x\\\"");
    }

    #[test]
    fn srcset_candidates_are_read_as_browsers_read_them() {
        let urls = |value: &str| -> Vec<String> {
            srcset_urls(value).into_iter().map(|range| value[range].to_owned()).collect()
        };
        assert_eq!(urls("/a.png 1x, /a@2x.png 2x"), ["/a.png", "/a@2x.png"]);
        // A comma inside a run without whitespace belongs to the URL, as browsers read it.
        assert_eq!(urls("  x.png,y.png 100w ,,z.png"), ["x.png,y.png", "z.png"]);
        assert_eq!(urls("a.png,, b.png"), ["a.png", "b.png"]);
        assert_eq!(urls("a.png 1x (x, javascript:y), b.png"), ["a.png", "b.png"]);
        assert_eq!(urls("javascript:x 1x"), ["javascript:x"]);
        assert_eq!(urls("data:image/png,AAAA 1x"), ["data:image/png,AAAA"]);
        assert!(urls(" , ").is_empty());
    }

    #[test]
    fn base_urls() {
        use Refusal::*;
        for good in [
            "https://example.org",
            "https://example.org/",
            "https://example.org/kb",
            "https://example.org/kb/",
            "http://localhost:8080/docs/errors/",
            "https://[::1]:1/",
            "https://e.org:65535/",
            "https://my_host.example/kb/",
            "https://e.org/a%20b/caf%C3%A9/",
            "https://e.org/café/~x/a-b_c.d/(1)/",
        ] {
            assert_eq!(base_url(good), Ok(()), "{good}");
        }
        for (bad, expected) in [
            ("https://e.org/kb/?x=1#y", Query),
            ("https://e.org/kb/?", Query),
            ("https://e.org/kb/#y", Fragment),
            ("https://e.org/k b/", Invisible(' ')),
            (" https://e.org/", Invisible(' ')),
            ("https://e.org/a/../b/", DotSegment),
            ("https://e.org/./", DotSegment),
            ("https://e.org/a/%2E%2e/", DotSegment),
            ("https://e.org/a/..", DotSegment),
            ("https://e.org:99999/", BadPort("99999".to_owned())),
            ("https://e.org:0/", BadPort("0".to_owned())),
            ("https://user:pw@e.org/", UserInfo),
            ("https:///kb/", NoHost),
            ("https://-x/", BadHost("-x".to_owned())),
            ("example.org/kb/", NotAbsolute),
            ("/kb/", NotAbsolute),
            ("ftp://e.org/", NotAbsolute),
            ("mailto:a@e.org", NotAbsolute),
            ("//e.org/", NotAbsolute),
            ("javascript:alert(1)", NotAbsolute),
            ("https://e.org//", EmptySegment),
            ("https://e.org//kb/", EmptySegment),
            ("https://e.org/kb//", EmptySegment),
            ("https://e.org/a//b", EmptySegment),
            ("https://e.org/kb/%", BadPercent),
            ("https://e.org/kb/%2", BadPercent),
            ("https://e.org/%zz/", BadPercent),
            ("https://e.org/%2g/", BadPercent),
            ("https://e.org/k\"b/", PathCharacter('"')),
            ("https://e.org/k<i>/", PathCharacter('<')),
            ("https://e.org/k>/", PathCharacter('>')),
            ("https://e.org/k`b/", PathCharacter('`')),
            ("https://e.org/{x}/", PathCharacter('{')),
            ("https://e.org/a|b/", PathCharacter('|')),
            ("https://e.org/a^b/", PathCharacter('^')),
            ("https://e.org/a→b/", PathCharacter('→')),
        ] {
            assert_eq!(base_url(bad), Err(expected), "{bad}");
        }
    }
}

/// Whatever the input, an allowed URL never reaches a browser as a scheme outside
/// [`SCHEMES`], nor as a link to another host when it is relative.
#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    /// The scheme a browser reads from `url`, after the WHATWG URL parser's first steps: strip
    /// leading and trailing C0 controls and spaces, remove every tab and newline, read
    /// `[A-Za-z][A-Za-z0-9+.-]*:` and lowercase it.
    fn browser_scheme(url: &str) -> Option<String> {
        let trimmed = url.trim_matches(|c: char| c <= ' ');
        let cleaned: String = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
        let end = cleaned.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))?;
        let name = &cleaned[..end];
        (cleaned[end..].starts_with(':') && name.starts_with(|c: char| c.is_ascii_alphabetic()))
            .then(|| name.to_ascii_lowercase())
    }

    fn urlish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("javascript"),
            Just("JaVaScRiPt"),
            Just("java\tscript"),
            Just("java\nscript"),
            Just("vbscript"),
            Just("data"),
            Just("file"),
            Just("http"),
            Just("https"),
            Just("HTTPS"),
            Just("mailto"),
            Just(":"),
            Just("："),
            Just("/"),
            Just("//"),
            Just("\\"),
            Just("／"),
            Just("?"),
            Just("#"),
            Just("@"),
            Just("."),
            Just(".."),
            Just("%"),
            Just("%2e"),
            Just("%6A"),
            Just("&#106;"),
            Just("&colon;"),
            Just("ｊ"),
            Just(" "),
            Just("\t"),
            Just("\u{0}"),
            Just("\u{1f}"),
            Just("\u{7f}"),
            Just("\u{a0}"),
            Just("\u{200b}"),
            Just("\u{feff}"),
            Just("e.org"),
            Just("[::1]"),
            Just("8080"),
            Just("99999"),
            Just("x"),
            Just("1"),
            Just("-"),
            Just("+"),
        ]
        .prop_map(str::to_owned);
        let any_text = any::<String>().prop_map(|s| s.chars().take(3).collect::<String>());
        prop::collection::vec(prop_oneof![6 => piece, 1 => any_text], 0..12).prop_map(|p| p.concat())
    }

    fn check_accepted(url: &str) -> Result<(), TestCaseError> {
        let Ok(kind) = check(url) else { return Ok(()) };
        let scheme = browser_scheme(url);
        prop_assert!(
            scheme.as_deref().is_none_or(|s| SCHEMES.contains(&s)),
            "{url:?} was allowed but reads as {scheme:?}"
        );
        // The WHATWG parser of the `url` crate agrees: joined to a page of the site, an
        // allowed URL is http(s) or mailto, and a relative one stays on the site's host.
        let page = ammonia::Url::parse("https://site.example/kb/http/503/").unwrap();
        if let Ok(joined) = page.join(url) {
            prop_assert!(SCHEMES.contains(&joined.scheme()), "{url:?} joins to {joined}");
            if kind == Kind::Relative {
                prop_assert_eq!(joined.host_str(), Some("site.example"), "{:?} joins to {}", url, joined);
            }
        }
        if base_url(url).is_ok() {
            prop_assert_eq!(kind, Kind::Web);
            prop_assert!(!url.contains(['?', '#']));
            let after_scheme = &url[url.find("://").map_or(0, |i| i + 3)..];
            prop_assert!(!after_scheme.contains("//"), "{:?} would make links protocol-relative", url);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

        #[test]
        fn allowed_urls_never_read_as_another_scheme(url in urlish()) {
            check_accepted(&url)?;
            check_accepted(&format!("{url}:x"))?;
        }

        #[test]
        fn arbitrary_text_never_reads_as_another_scheme(url in any::<String>()) {
            check_accepted(&url)?;
        }
    }
}

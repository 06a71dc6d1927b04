//! What templates receive. These types are a public contract with every site's templates
//! (documented in docs/templates.md): change them only with the docs and the changelog.

use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub disclosure_html: String,
    /// Hours the verification checklist keeps a reader's ticks.
    pub checklist_hours: u32,
    /// The path of `base_url` (`/kb/`): what keeps the values readers give placeholders apart
    /// from another site's on the same host.
    pub base_path: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PageInfo {
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub kind: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct CategoryRef {
    pub id: String,
    pub name: String,
    pub href: String,
}

/// An entry as listings show it.
#[derive(Clone, Debug, Serialize)]
pub struct EntrySummary {
    pub code: String,
    pub title: String,
    pub summary: String,
    pub severity: String,
    pub href: String,
    pub category: CategoryRef,
    /// `current`, `deprecated` or `retired`.
    pub status: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub description: String,
    pub href: String,
    pub count: usize,
    pub entries: Vec<EntrySummary>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AuthorInfo {
    pub name: String,
    pub role: Option<String>,
    pub url: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SourceInfo {
    pub title: String,
    pub url: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct TagRef {
    pub name: String,
    pub href: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepInfo {
    pub number: usize,
    pub title: String,
    pub body_html: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct VerifyItem {
    pub id: String,
    pub html: String,
}

/// A placeholder of the entry's snippets, for its input.
#[derive(Clone, Debug, Serialize)]
pub struct VarInfo {
    pub name: String,
    pub default: String,
    /// The input's element id: `var-<name>`.
    pub id: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct TocItem {
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FaqItem {
    pub id: String,
    pub question: String,
    /// The question's inline Markdown, rendered.
    pub question_html: String,
    pub answer_html: String,
}

/// Everything the entry page shows.
#[derive(Clone, Debug, Serialize)]
pub struct EntryPage {
    #[serde(flatten)]
    pub summary: EntrySummary,
    pub slug: String,
    pub difficulty: Option<crate::content::Difficulty>,
    pub fixable_percent: Option<u8>,
    pub fix_minutes: Option<u32>,
    pub updated: String,
    pub updated_human: String,
    /// YYYY-MM-DD of the last review, when the entry says.
    pub reviewed: Option<String>,
    pub reviewed_human: Option<String>,
    /// The entry that takes this one's place.
    pub replaced_by: Option<EntrySummary>,
    pub applies_to: Vec<AppliesTo>,
    pub author: Option<AuthorInfo>,
    pub sources: Vec<SourceInfo>,
    pub aliases: Vec<String>,
    pub tags: Vec<TagRef>,
    pub related: Vec<EntrySummary>,
    pub quick_fix_html: String,
    pub causes_html: String,
    pub steps: Vec<StepInfo>,
    pub verify: Vec<VerifyItem>,
    /// The placeholders of the entry's code, in the order declared (empty when none).
    pub vars: Vec<VarInfo>,
    pub body_html: String,
    pub toc: Vec<TocItem>,
    pub faq: Vec<FaqItem>,
}

/// A product an entry applies to and its version range, as written and as shown.
#[derive(Clone, Debug, Serialize)]
pub struct AppliesTo {
    pub product: String,
    pub range: String,
    pub shown: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct TagPage {
    pub name: String,
    pub href: String,
    pub entries: Vec<EntrySummary>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TagCount {
    pub name: String,
    pub href: String,
    pub count: usize,
}

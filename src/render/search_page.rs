//! The search results page (`search/` of every site and release, next to its index)
//! and the OpenSearch description that lets browsers add it as a search engine. The
//! results themselves are ranked in the browser by `search.js`; this renders the page
//! they fill. Never writes files.

use super::pages::generated_context;
use super::view::{Inputs, View};
use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::compute::changelog::xml_escape;
use crate::load::config::Config;
use crate::load::content::Audience;

/// The results page's address in its site (where the index is too).
const URL: &str = "search/";

/// The results page of `view`: `search/?q=…`, filled by `search.js`.
pub(crate) fn results_page(view: &View, inputs: &Inputs) -> Result<OutputFile, Diagnostics> {
    let ui = inputs.env.ui;
    let crumbs = super::pages::home_crumb(view, inputs, URL);
    let mut ctx = generated_context(view, inputs, URL, ui.search, None, &crumbs);
    // A results page is not a page of its own for search engines.
    ctx.insert("noindex", &true);
    ctx.insert("canonical", &None::<String>);
    let bytes = inputs.theme.render("search.html", &ctx)?;
    Ok(OutputFile { path: format!("{}/{}{URL}index.html", view.audience.as_str(), view.prefix), bytes })
}

/// The absolute address of the public site's home (`base_url`), when it has one:
/// OpenSearch templates must be absolute, and only the public site's address is known
/// (the internal site is served wherever an organisation puts it).
pub(crate) fn opensearch_home(config: &Config, audience: Audience) -> Option<&str> {
    (audience == Audience::PUBLIC && config.base_url.contains("://")).then_some(config.base_url.as_str())
}

/// The OpenSearch description of `view`'s results page, when its address is known
/// (see [`opensearch_home`]).
pub(crate) fn opensearch(view: &View, inputs: &Inputs) -> Option<OutputFile> {
    let home = format!("{}{}", opensearch_home(inputs.config, view.audience)?, view.prefix);
    let title = &inputs.config.title;
    // ShortName: at most 16 characters.
    let short: String = title.chars().take(16).collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n\
         \x20 <ShortName>{short}</ShortName>\n\
         \x20 <Description>{title} · {search}</Description>\n\
         \x20 <InputEncoding>UTF-8</InputEncoding>\n\
         \x20 <Language>{lang}</Language>\n\
         \x20 <Image width=\"16\" height=\"16\" type=\"image/svg+xml\">{root}favicon.svg</Image>\n\
         \x20 <Url type=\"text/html\" method=\"get\" template=\"{home}{URL}?q={{searchTerms}}\"/>\n\
         </OpenSearchDescription>\n",
        short = xml_escape(&short),
        title = xml_escape(title),
        search = xml_escape(inputs.env.ui.search),
        lang = inputs.config.language.tag(),
        root = xml_escape(&inputs.config.base_url),
        home = xml_escape(&home),
    );
    Some(OutputFile {
        path: format!("{}/{}opensearch.xml", view.audience.as_str(), view.prefix),
        bytes: xml.into_bytes(),
    })
}

//! Redirect pages for moved pages: each alias of a page published in a view becomes a
//! small HTML file at the old path that sends the reader on (meta refresh), names the
//! page's URL as canonical, asks search engines not to index it, and shows a link for
//! readers whose browser does not follow. Built from the view's pages only, so a
//! redirect of an internal page exists only where that page does. Never writes.

use super::view::{Inputs, View};
use crate::base::files::OutputFile;
use crate::markdown::links::relative_url;
use crate::markdown::shortcodes::escape;

/// How every redirect file starts: the build tells redirects from pages by it (they
/// are neither counted as pages nor listed in the sitemap).
pub(crate) const MARKER: &str = "<!DOCTYPE html>\n<!-- a moved page: redirect -->\n";

/// Whether `bytes` are a redirect file written by [`redirects`].
pub(crate) fn is_redirect(bytes: &[u8]) -> bool {
    bytes.starts_with(MARKER.as_bytes())
}

/// The redirect files of every alias of the pages of `view`, under its audience and
/// prefix (a release folder keeps the redirects of the pages it holds), sorted by path.
pub(crate) fn redirects(view: &View, inputs: &Inputs) -> Vec<OutputFile> {
    let lang = inputs.config.language.tag();
    let moved = inputs.env.ui.moved_to;
    let mut files = Vec::new();
    for &i in &view.pages {
        let page = &inputs.pages[i];
        let target = format!("{}{}", view.prefix, page.url);
        for alias in &page.aliases {
            let file = format!("{}{}", view.prefix, alias.file());
            // The folder the redirect is read from: its own for `old/`, its parent for `old.html`.
            let from = file.rfind('/').map_or("", |s| &file[..=s]);
            let href = escape(&relative_url(from, &target));
            // `base_url` is where the public site lives; the internal one is named relatively.
            let canonical = if inputs.config.base_url.is_empty() || !view.audience.is_public() {
                href.clone()
            } else {
                escape(&format!("{}{target}", inputs.config.base_url))
            };
            let title = escape(&page.title);
            let html = format!(
                "{MARKER}<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
                 <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{canonical}\">\n\
                 <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n\
                 <p>{moved}</p>\n</body>\n</html>\n",
                moved = moved.replace("{link}", &format!("<a href=\"{href}\">{title}</a>"))
            );
            files.push(OutputFile { path: format!("{}/{file}", view.audience.as_str()), bytes: html.into_bytes() });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

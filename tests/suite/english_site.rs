//! An English site as a team writes it (`valid/english`): the page says it is English,
//! its wide table is a labelled, keyboard-scrollable region in both audiences' HTML,
//! and it builds without a warning. The browser suite measures the rendering.

use crate::common::*;

#[test]
fn an_english_site_declares_its_language_and_wraps_tables_in_labelled_regions() {
    let site = copy_of(&fixtures().join("valid/english"));
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    for audience in ["public", "internal"] {
        let html = read(&site.path().join(format!("site/{audience}/handbook/career-ladder/index.html")));
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{audience}: {}", &html[..80]);
        assert!(
            html.contains(
                "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Level, Title, Category, Responsibilities, Expectations, Recognition\"><table>"
            ),
            "{audience}"
        );
        assert!(html.contains("<span lang=\"zh-CN\">“职业发展阶梯”</span>"), "{audience}: mixed text keeps its lang");
        let html = read(&site.path().join(format!("site/{audience}/handbook/working-hours/index.html")));
        assert!(html.contains("<aside class=\"toc\""), "{audience}: the page with headings has a contents list");
    }
}

//! The theme's UI strings in each supported language.
//!
//! Owns the wording of everything the theme prints that is not content (labels,
//! notices, navigation). Both languages must define every key; a unit test enforces
//! it. Templates receive the chosen table as `ui`.

use std::collections::BTreeMap;

use crate::config::Language;

/// (key, zh-CN, en)
const STRINGS: &[(&str, &str, &str)] = &[
    ("skip_to_content", "跳到正文", "Skip to content"),
    ("nav_main", "主导航", "Main navigation"),
    ("breadcrumbs", "当前位置", "Breadcrumbs"),
    ("home", "首页", "Home"),
    ("toc", "本页目录", "On this page"),
    ("owner", "负责部门/角色", "Owner"),
    ("effective", "生效日期", "Effective from"),
    ("review_by", "复审日期", "Review by"),
    ("status", "状态", "Status"),
    ("status_active", "现行", "Active"),
    ("status_retired", "已废止", "Retired"),
    ("status_draft", "草稿", "Draft"),
    (
        "retired_notice",
        "本标准已废止，不再执行，仅供查阅历史记录。",
        "This standard has been retired. It no longer applies and is kept for reference only.",
    ),
    ("internal_label", "内部", "Internal"),
    (
        "internal_notice",
        "内部资料：仅供员工阅读，不对客户公开。",
        "Internal: for employees only, not published to customers.",
    ),
    ("site_public", "公开版", "Public handbook"),
    ("site_internal", "内部版", "Internal handbook"),
    ("page_info", "文件信息", "Document details"),
    ("prev", "上一篇", "Previous"),
    ("next", "下一篇", "Next"),
    ("pagination", "同栏目翻页", "Pages in this section"),
    ("in_section", "本栏目内容", "In this section"),
    ("subsections", "子栏目", "Subsections"),
    ("owned_standards", "负责的标准与制度", "Standards and rules owned"),
    ("reports_to", "汇报对象", "Reports to"),
    ("direct_reports", "下属角色", "Roles reporting here"),
    ("duties", "主要职责", "Main duties"),
    ("tags", "标签", "Tags"),
    ("none", "无", "None"),
    ("param_item", "项目", "Item"),
    ("param_value", "标准", "Standard"),
    ("param_note", "说明", "Notes"),
    ("kpi", "指标", "KPI"),
    ("target_in_force", "现行目标", "Target in force"),
    ("weight", "权重", "Weight"),
    ("rule", "计分规则", "Scoring rule"),
    ("rule_threshold", "达标得满分，未达标不得分", "Full weight when the target is met, otherwise none"),
    ("rule_linear", "按达成程度比例计分", "In proportion to how close the value comes to the target"),
    (
        "scorecard_rules",
        "合格线 {pass} 分；排名前 {top}% 予以表彰；连续 {streak} 个月不合格将被重点关注。",
        "Pass mark {pass} points; the top {top}% are recognised; {streak} failed months in a row are flagged.",
    ),
    ("no_target", "未设目标", "no target"),
    ("kpi_dictionary", "指标词典", "KPI dictionary"),
    (
        "kpi_dictionary_intro",
        "本手册使用的服务指标：定义、单位、目标及其沿革。",
        "The service indicators this handbook uses: definitions, units, targets and their history.",
    ),
    ("definition", "定义", "Definition"),
    ("unit", "单位", "Unit"),
    ("direction", "方向", "Direction"),
    ("direction_higher", "越高越好", "Higher is better"),
    ("direction_lower", "越低越好", "Lower is better"),
    ("scale", "取值范围", "Scale"),
    ("warning_band", "预警区间", "Warning band"),
    (
        "warning_band_text",
        "未达目标但差距不超过 {band}时记为“预警”",
        "Missing the target by no more than {band} counts as a warning",
    ),
    ("aggregate", "汇总方式", "How values combine"),
    ("agg_mean", "取平均值", "Mean"),
    ("agg_sum", "求和", "Sum"),
    ("agg_median", "取中位数", "Median"),
    ("target_history", "目标沿革", "Target history"),
    ("effective_month", "生效月份", "In force from"),
    ("target", "目标", "Target"),
    ("visibility", "公开范围", "Visibility"),
    ("kpi_public", "对外公开", "Published to customers"),
    ("kpi_internal_only", "仅内部使用", "Internal only"),
    ("used_in_scorecards", "所在考核表", "Scorecards using it"),
    ("cited_by", "引用本指标的标准与角色", "Standards and roles citing it"),
    ("assessed_by", "适用的考核表", "Assessed by"),
    ("pages_count", "共 {n} 篇", "{n} pages"),
    ("no_pages", "本栏目暂无内容。", "Nothing in this section yet."),
    ("not_found_title", "页面不存在", "Page not found"),
    ("not_found_text", "您要找的页面不存在，或已经移动。", "The page you are looking for does not exist or has moved."),
    ("back_home", "返回首页", "Back to the home page"),
    ("built_with", "本手册由 Charter 生成", "Built with Charter"),
];

/// The UI strings of `language`, keyed by name.
pub fn strings(language: Language) -> BTreeMap<&'static str, &'static str> {
    STRINGS.iter().map(|(k, zh, en)| (*k, if language == Language::En { *en } else { *zh })).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_are_complete_and_keys_unique() {
        let mut keys: Vec<&str> = STRINGS.iter().map(|s| s.0).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), STRINGS.len(), "duplicate UI string key");
        for (k, zh, en) in STRINGS {
            assert!(!zh.trim().is_empty(), "zh-CN string `{k}` is empty");
            assert!(!en.trim().is_empty(), "en string `{k}` is empty");
        }
        assert_eq!(strings(Language::En)["home"], "Home");
        assert_eq!(strings(Language::ZhCn)["home"], "首页");
    }
}

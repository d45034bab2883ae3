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
    ("reports", "服务报告", "Reports"),
    ("reports_intro", "按月统计的服务指标、考核得分、投诉时限、净推荐值与改进行动。", "Monthly service KPIs, scores, complaint time limits, NPS and improvement actions."),
    ("performance", "服务表现", "Our performance"),
    ("performance_intro", "我们按公开的服务标准，每月公布全组织的服务结果，供顾客监督。以下为最近 12 个月与目标的对比。", "We publish our organisation-wide results against our published standards every month. These are the last 12 months against target."),
    ("period", "统计月份", "Period"),
    ("as_of", "数据截至", "As of"),
    ("status_met", "达标", "Met"),
    ("status_warning", "预警", "Warning"),
    ("status_missed", "未达标", "Missed"),
    ("no_data", "无数据", "No data"),
    ("value", "数值", "Value"),
    ("change", "较上月", "vs previous month"),
    ("month", "月份", "Month"),
    ("trend_12", "近 12 个月趋势", "Last 12 months"),
    ("alerts", "需要关注", "Needs attention"),
    ("alert_streak", "{name} 在“{card}”中已连续 {n} 个月不合格", "{name} has failed “{card}” {n} months in a row"),
    ("alert_action", "改进行动“{title}”已逾期 {n} 天（负责：{owner}）", "Action “{title}” is {n} days overdue (owner: {owner})"),
    ("alert_complaints", "{type}投诉时限内处理率为 {share}，低于 {goal}", "{type} complaints handled within the limit: {share}, below {goal}"),
    ("alert_open", "{n} 件投诉已超过处理时限仍未结案", "{n} open complaints are past their time limit"),
    ("no_alerts", "本月没有需要特别关注的事项。", "Nothing needs special attention this month."),
    ("teams", "团队", "Teams"),
    ("people", "人员", "People"),
    ("kpis", "指标", "KPIs"),
    ("team", "团队", "Team"),
    ("person", "人员", "Person"),
    ("department", "部门", "Department"),
    ("role", "岗位", "Role"),
    ("members", "成员", "Members"),
    ("score", "得分", "Score"),
    ("pass", "是否合格", "Passed"),
    ("yes", "合格", "Passed"),
    ("no", "不合格", "Failed"),
    ("rank", "排名", "Rank"),
    ("top_flag", "表彰", "Recognised"),
    ("streak", "连续不合格", "Failed in a row"),
    ("score_trend", "得分趋势（合格线为目标线）", "Score trend (the pass mark is the target line)"),
    ("teams_compared", "各团队对比", "Teams compared"),
    ("org_trend", "全组织趋势", "Organisation trend"),
    ("complaints", "投诉时限", "Complaint time limits"),
    ("complaints_intro", "按受理月份统计：已结案或已超时未结案的投诉中，在时限内处理完毕的比例。", "By month received: of the complaints whose outcome is known (resolved, or open past the limit), the share handled within the limit."),
    ("complaint_type", "投诉类型", "Complaint type"),
    ("time_limit", "处理时限", "Time limit"),
    ("received", "受理", "Received"),
    ("decided", "已定结果", "Outcome known"),
    ("within", "时限内", "Within limit"),
    ("share_within", "时限内处理率", "Within limit"),
    ("median_hours", "处理时长中位数", "Median hours"),
    ("p90_hours", "90% 分位处理时长", "90th percentile hours"),
    ("open_past_limit", "超时未结案投诉", "Open complaints past their limit"),
    ("complaint_id", "编号", "Id"),
    ("channel", "渠道", "Channel"),
    ("received_at", "受理时间", "Received"),
    ("open_hours", "已开放小时", "Open hours"),
    ("over_hours", "超出小时", "Hours over"),
    ("nps", "净推荐值", "NPS"),
    ("nps_intro", "推荐者（9–10 分）占比减去贬损者（0–6 分）占比。", "Share of promoters (9–10) minus share of detractors (0–6)."),
    ("promoters", "推荐者", "Promoters"),
    ("passives", "中立者", "Passives"),
    ("detractors", "贬损者", "Detractors"),
    ("responses", "样本数", "Responses"),
    ("actions", "改进行动", "Improvement actions"),
    ("action", "行动", "Action"),
    ("due", "截止日期", "Due"),
    ("done_on", "完成日期", "Done on"),
    ("overdue", "逾期", "Overdue"),
    ("overdue_days", "逾期 {n} 天", "{n} days overdue"),
    ("action_planned", "未开始", "Planned"),
    ("action_in_progress", "进行中", "In progress"),
    ("action_done", "已完成", "Done"),
    ("archive", "历史报告", "Report archive"),
    ("archive_intro", "每个月的概览都保留在这里。", "Every month's overview stays here."),
    ("overview", "月度概览", "Monthly overview"),
    ("target_line", "目标", "Target"),
    ("band", "预警区间", "Warning band"),
    ("chart_trend_desc", "{name}：{from} 至 {to} 每月数值（折线，缺数据的月份断开）与当月目标（阶梯线）；最近一月 {last}。", "{name}: monthly values from {from} to {to} (line, broken where data is missing) and the target in force (step line); latest {last}."),
    ("chart_bars_desc", "{name}：{period} 各团队数值对比，竖线为目标。", "{name}: teams compared in {period}; the vertical line is the target."),
    ("chart_nps_desc", "{from} 至 {to} 每月推荐者、中立者、贬损者占比。", "Monthly shares of promoters, passives and detractors from {from} to {to}."),
    ("chart_spark_desc", "{name} 近 12 个月走势，最近一月 {last}。", "{name} over the last 12 months; latest {last}."),
    ("complaint_goal", "时限内处理率目标", "Goal for handling within the limit"),
    ("attainment", "达成率", "Attainment"),
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

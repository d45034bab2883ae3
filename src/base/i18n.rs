//! The interface's own words in each supported language: labels, notices,
//! navigation, report wording — everything the theme and the generated pages print
//! that is not content.
//!
//! Owns the wording and the language list. Each string is a field of [`Ui`], so a
//! missing or misspelt key is a compile error, not a panic at run time; both
//! languages must give every key (the macro makes a missing one a compile error too).
//! Templates receive the chosen table as `ui` (`{{ ui.home }}`).

/// A language the interface speaks, and so one a site's content may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Language {
    ZhCn,
    En,
}

impl Language {
    /// Every language, in the order `charter.yaml`'s errors list them.
    pub(crate) const ALL: [Language; 2] = [Language::ZhCn, Language::En];

    /// The BCP 47 tag used in `<html lang>`, `hreflang`, `charter.yaml` and a
    /// translation's file name (`page.en.md`).
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }

    /// The folder of a site's copy in this language when it is not the default one
    /// (`en/`, in every site and release).
    pub(crate) fn folder(self) -> String {
        format!("{}/", self.tag())
    }

    /// The language a tag names, ignoring ASCII case (`zh-cn` as Hugo writes it).
    pub(crate) fn from_tag(tag: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag))
    }

    /// The language's own name, as a language switcher shows it.
    pub(crate) fn own_name(self) -> &'static str {
        match self {
            Language::ZhCn => "中文",
            Language::En => "English",
        }
    }
}

/// Declares [`Ui`] with one field per key, and its zh-CN and en tables.
macro_rules! ui_strings {
    ($($key:ident => $zh:expr, $en:expr;)*) => {
        /// Every UI string, one field per key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        pub(crate) struct Ui {
            $(pub(crate) $key: &'static str,)*
        }

        const ZH_CN: Ui = Ui { $($key: $zh,)* };
        const EN: Ui = Ui { $($key: $en,)* };

        /// `(key, zh-CN, en)` of every string, for the completeness test.
        #[cfg(test)]
        const ALL: &[(&str, &str, &str)] = &[$((stringify!($key), $zh, $en),)*];
    };
}

ui_strings! {
    language_switcher => "语言", "Language";
    read_original => "阅读原文", "Read the original";
    stale_notice => "本译文早于原文：{lang}原文在翻译之后有过修改，以原文为准。", "This translation is older than the page it translates: the original in {lang} has changed since, and the original prevails.";
    translations => "译文", "Translations";
    translations_intro => "译文晚于原文、未标明所译版本或尚未翻译的页面。标明版本：charter translate --mark 译文文件。", "Translations older than their originals, translations that do not say what they translate, and pages not yet translated. To mark a translation as up to date: charter translate --mark FILE.";
    language => "语言", "Language";
    translation_state => "状态", "State";
    translation_stale => "早于原文", "Older than the original";
    translation_unmarked => "未标明所译版本", "Not marked";
    translation_missing => "尚未翻译", "Not translated";
    untranslated_notice => "本页尚未译成中文，以下为{lang}原文。", "This page has not been translated into English yet; it is shown in the original {lang}.";
    skip_to_content => "跳到正文", "Skip to content";
    nav_main => "主导航", "Main navigation";
    breadcrumbs => "当前位置", "Breadcrumbs";
    home => "首页", "Home";
    toc => "本页目录", "On this page";
    owner => "负责部门/角色", "Owner";
    effective => "生效日期", "Effective from";
    review_by => "复审日期", "Review by";
    last_updated => "最后更新", "Last updated";
    edit_page => "编辑本页", "Edit this page";
    status => "状态", "Status";
    status_active => "现行", "Active";
    status_retired => "已废止", "Retired";
    status_draft => "草稿", "Draft";
    retired_notice => "本标准已废止，不再执行，仅供查阅历史记录。", "This standard has been retired. It no longer applies and is kept for reference only.";
    internal_label => "内部", "Internal";
    restricted_notice => "仅限 {tier} 的读者：请勿转给其他员工。", "Only for readers of {tier}: do not pass it on to other employees.";
    internal_notice => "内部资料：仅供员工阅读，不对客户公开。", "Internal: for employees only, not published to customers.";
    site_public => "公开版", "Public handbook";
    site_internal => "内部版", "Internal handbook";
    page_info => "文件信息", "Document details";
    prev => "上一篇", "Previous";
    next => "下一篇", "Next";
    pagination => "同栏目翻页", "Pages in this section";
    in_section => "本栏目内容", "In this section";
    subsections => "子栏目", "Subsections";
    owned_standards => "负责的标准与制度", "Standards and rules owned";
    reports_to => "汇报对象", "Reports to";
    direct_reports => "下属角色", "Roles reporting here";
    duties => "主要职责", "Main duties";
    tags => "标签", "Tags";
    none => "无", "None";
    param_item => "项目", "Item";
    param_value => "标准", "Standard";
    param_note => "说明", "Notes";
    kpi => "指标", "KPI";
    target_in_force => "现行目标", "Target in force";
    weight => "权重", "Weight";
    rule => "计分规则", "Scoring rule";
    rule_threshold => "达标得满分，未达标不得分", "Full weight when the target is met, otherwise none";
    rule_linear => "按达成程度比例计分", "In proportion to how close the value comes to the target";
    scorecard_rules => "合格线 {pass} 分；排名前 {top}% 予以表彰；连续 {streak} 个月不合格将被重点关注。", "Pass mark {pass} points; the top {top}% are recognised; {streak} failed months in a row are flagged.";
    no_target => "未设目标", "no target";
    kpi_dictionary => "指标词典", "KPI dictionary";
    kpi_dictionary_intro => "本手册使用的服务指标：定义、单位、目标及其沿革。", "The service indicators this handbook uses: definitions, units, targets and their history.";
    definition => "定义", "Definition";
    unit => "单位", "Unit";
    direction => "方向", "Direction";
    direction_higher => "越高越好", "Higher is better";
    direction_lower => "越低越好", "Lower is better";
    scale => "取值范围", "Scale";
    warning_band => "预警区间", "Warning band";
    warning_band_text => "未达目标但差距不超过 {band}时记为“预警”", "Missing the target by no more than {band} counts as a warning";
    aggregate => "汇总方式", "How values combine";
    agg_mean => "取平均值", "Mean";
    agg_sum => "求和", "Sum";
    agg_median => "取中位数", "Median";
    target_history => "目标沿革", "Target history";
    effective_month => "生效月份", "In force from";
    target => "目标", "Target";
    visibility => "公开范围", "Visibility";
    kpi_public => "对外公开", "Published to customers";
    kpi_internal_only => "仅内部使用", "Internal only";
    used_in_scorecards => "所在考核表", "Scorecards using it";
    cited_by => "引用本指标的标准与角色", "Standards and roles citing it";
    assessed_by => "适用的考核表", "Assessed by";
    reports => "服务报告", "Reports";
    reports_intro => "按月统计的服务指标、考核得分、投诉时限、净推荐值与改进行动。", "Monthly service KPIs, scores, complaint time limits, NPS and improvement actions.";
    performance => "服务表现", "Our performance";
    performance_intro => "我们按公开的服务标准，每月公布全组织的服务结果，供顾客监督。以下为最近 12 个月与目标的对比。", "We publish our organisation-wide results against our published standards every month. These are the last 12 months against target.";
    period => "统计月份", "Period";
    as_of => "数据截至", "As of";
    status_met => "达标", "Met";
    status_warning => "预警", "Warning";
    status_missed => "未达标", "Missed";
    no_data => "无数据", "No data";
    value => "数值", "Value";
    change => "较上月", "vs previous month";
    month => "月份", "Month";
    trend_12 => "近 12 个月趋势", "Last 12 months";
    alerts => "需要关注", "Needs attention";
    alert_streak => "{name} 在“{card}”中已连续 {n} 个月不合格", "{name} has failed “{card}” {n} months in a row";
    alert_action => "改进行动“{title}”已逾期 {n} 天（负责：{owner}）", "Action “{title}” is {n} days overdue (owner: {owner})";
    alert_complaints => "{type}投诉时限内处理率为 {share}，低于 {goal}", "{type} complaints handled within the limit: {share}, below {goal}";
    alert_open => "{n} 件投诉已超过处理时限仍未结案", "{n} open complaints are past their time limit";
    alert_team_streak => "{name}（团队）在“{card}”中已连续 {n} 个月不合格", "Team {name} has failed “{card}” {n} months in a row";
    limit_from => "{value}（{date} 起）", "{value} (from {date})";
    list_sep => "；", "; ";
    top_places => "表彰名额 {places} 人（{n} 人的前 {percent}%，向上取整）", "{places} places for recognition (the top {percent}% of {n}, rounded up)";
    top_tie_out => "；{k} 人并列第 {rank} 名，超出名额，均不标 ★", "; {k} people tie for rank {rank}, more than the places left, so none is starred";
    no_alerts => "本月没有需要特别关注的事项。", "Nothing needs special attention this month.";
    teams => "团队", "Teams";
    people => "人员", "People";
    kpis => "指标", "KPIs";
    team => "团队", "Team";
    person => "人员", "Person";
    department => "部门", "Department";
    role => "岗位", "Role";
    members => "成员", "Members";
    small_team => "本团队不足 {n} 人，其数据即个人数据，此处不显示。", "This team has fewer than {n} members: its figures are its members' own, so they are not shown here.";
    score => "得分", "Score";
    pass => "是否合格", "Passed";
    yes => "合格", "Passed";
    no => "不合格", "Failed";
    rank => "排名", "Rank";
    top_flag => "表彰", "Recognised";
    streak => "连续不合格", "Failed in a row";
    score_trend => "得分趋势（合格线为目标线）", "Score trend (the pass mark is the target line)";
    teams_compared => "各团队对比", "Teams compared";
    org_trend => "全组织趋势", "Organisation trend";
    complaints => "投诉时限", "Complaint time limits";
    complaints_intro => "按受理月份统计：已结案或已超时未结案的投诉中，在时限内处理完毕的比例。", "By month received: of the complaints whose outcome is known (resolved, or open past the limit), the share handled within the limit.";
    complaint_type => "投诉类型", "Complaint type";
    time_limit => "处理时限", "Time limit";
    received => "受理", "Received";
    decided => "已定结果", "Outcome known";
    within => "时限内", "Within limit";
    share_within => "时限内处理率", "Within limit";
    median_hours => "处理时长中位数", "Median hours";
    p90_hours => "90% 分位处理时长", "90th percentile hours";
    open_past_limit => "超时未结案投诉", "Open complaints past their limit";
    complaint_id => "编号", "Id";
    channel => "渠道", "Channel";
    received_at => "受理时间", "Received";
    open_hours => "已开放小时", "Open hours";
    rows_shown => "此处列出逾期最久的 {shown} 件，共 {total} 件；CSV 文件列出全部。", "The {shown} most overdue of {total} are listed here; the CSV file lists them all.";
    over_hours => "超出小时", "Hours over";
    nps => "净推荐值", "NPS";
    nps_intro => "推荐者（9–10 分）占比减去贬损者（0–6 分）占比。", "Share of promoters (9–10) minus share of detractors (0–6).";
    promoters => "推荐者", "Promoters";
    passives => "中立者", "Passives";
    detractors => "贬损者", "Detractors";
    responses => "样本数", "Responses";
    actions => "改进行动", "Improvement actions";
    action => "行动", "Action";
    due => "截止日期", "Due";
    done_on => "完成日期", "Done on";
    overdue => "逾期", "Overdue";
    overdue_days => "逾期 {n} 天", "{n} days overdue";
    action_planned => "未开始", "Planned";
    action_in_progress => "进行中", "In progress";
    action_done => "已完成", "Done";
    archive => "历史报告", "Report archive";
    archive_intro => "每个月的概览都保留在这里。", "Every month's overview stays here.";
    overview => "月度概览", "Monthly overview";
    target_line => "目标", "Target";
    band => "预警区间", "Warning band";
    chart_trend_desc => "{name}：{from} 至 {to} 每月数值（折线，缺数据的月份断开）与当月目标（阶梯线）；最近一月 {last}。", "{name}: monthly values from {from} to {to} (line, broken where data is missing) and the target in force (step line); latest {last}.";
    chart_bars_desc => "{name}：{period} 各团队数值对比，竖线为目标。", "{name}: teams compared in {period}; the vertical line is the target.";
    chart_nps_desc => "{from} 至 {to} 每月推荐者、中立者、贬损者占比。", "Monthly shares of promoters, passives and detractors from {from} to {to}.";
    chart_spark_desc => "{name} 近 12 个月走势，最近一月 {last}。", "{name} over the last 12 months; latest {last}.";
    complaint_goal => "时限内处理率目标", "Goal for handling within the limit";
    attainment => "达成率", "Attainment";
    download_csv => "下载数据（CSV）", "Download the numbers (CSV)";
    version => "版本", "Version";
    all_versions => "全部版本", "All versions";
    versions => "版本与发布", "Versions and releases";
    versions_intro => "每次发布都冻结当时的服务标准；旧版本仍可查阅，但以现行版本为准。", "Each release freezes the standards of its day; older versions stay readable, but the current one applies.";
    old_version_notice => "您正在查看旧版本 {v}，它已于 {date} 被新版本取代，不是现行标准。", "You are reading version {v}, superseded on {date}; it is not the current standard.";
    see_current => "查看现行版本", "See the current version";
    superseded_on => "被取代日期", "Superseded on";
    changelog => "更新记录", "Changelog";
    changelog_intro => "每次发布改了什么：新增、修改、废止和删除的标准，以及变化的时限和目标。", "What each release changed: standards added, changed, retired and removed, and the time limits and targets that changed.";
    release_notes => "发布说明：", "Release notes: ";
    change_added => "新增标准", "Standards added";
    change_changed => "修改的标准", "Standards changed";
    change_retired => "废止的标准", "Standards retired";
    change_removed => "删除的标准", "Standards removed";
    param_changes => "调整的时限与参数", "Time limits and parameters changed";
    target_changes => "调整的指标目标", "KPI targets changed";
    no_changes => "本次发布未改动任何标准。", "This release changed no standard.";
    from_month => "自 {m} 起", "from {m}";
    redline => "修订对照", "Redline";
    redline_of => "{title}：{old} → {new} 的修订对照", "{title}: changes from {old} to {new}";
    redline_intro => "删除的内容以删除线标出，新增的内容以下划线标出；未改动的段落已折叠。", "Deleted text is struck through, inserted text underlined; unchanged stretches are folded.";
    folded_lines => "{n} 段未改动（展开）", "{n} unchanged blocks (expand)";
    see_page => "查看该版本的页面", "See the page in that version";
    feed => "订阅更新（Atom）", "Subscribe (Atom)";
    released_on => "发布日期", "Released on";
    working_copy => "待发布（工作稿）", "Next (working copy)";
    pending_changes => "待发布修订", "Unreleased changes";
    pending_intro => "以下页面在工作稿中有改动，尚未发布给客户。", "These pages changed in the working copy and are not yet released to customers.";
    changed_notice => "本页自最新发布版 {v} 以来有改动，尚未发布。", "This page changed since release {v} and is not yet released.";
    new_page => "新页面", "new page";
    governance => "文件治理", "Governance";
    governance_intro => "哪些标准需要复审、由谁负责，以及哪些页面没有被其他页面引用。", "Which standards need review and who owns them, and which pages no other page links to.";
    page_title => "页面", "Page";
    days => "天数", "Days";
    days_left => "还剩 {n} 天", "{n} days left";
    review_overdue => "已超过复审日期", "Review overdue";
    review_due_soon => "30 天内到期复审", "Review due within 30 days";
    without_owner => "没有负责角色的标准", "Standards without an owner";
    unlinked_pages => "未被其他页面链接的页面", "Pages no other page links to";
    unlinked_intro => "这些页面只能通过栏目目录找到；考虑从相关标准链接过去。", "These pages can only be found through their section index; consider linking to them from related standards.";
    print => "打印版", "Print";
    print_public => "公开手册全本（打印版）", "Public handbook (print edition)";
    print_internal => "员工手册全本（打印版）", "Complete handbook (print edition)";
    internal_stamp => "内部资料 / Internal", "内部资料 / Internal";
    uncontrolled => "打印件为非受控文件，以网站现行版本为准。", "Uncontrolled when printed: the current online version applies.";
    printed_version => "版本", "Version";
    working_copy_label => "工作稿（未发布）", "Working copy (unreleased)";
    print_contents => "目录", "Contents";
    print_volume => "第 {n} 册", "Volume {n}";
    print_volumes_intro => "本版共 {n} 册，请逐册打开并打印；每页页眉注明所属分册。", "This edition is printed in {n} volumes: open and print each one; every sheet names its volume.";
    online_at => "在线版本", "Online at";
    search => "站内搜索", "Search";
    search_none => "没有找到与 {q} 相关的页面", "No pages found for {q}";
    search_count => "与 {q} 相关的页面：{n} 篇", "{n} pages found for {q}";
    search_query => "搜索词", "Search for";
    search_more => "更多结果", "More results";
    search_all => "查看全部结果", "See all results";
    search_suggestions => "搜索建议", "Suggestions";
    search_noscript => "搜索结果由浏览器计算，需要启用 JavaScript。", "Search results are computed in your browser and need JavaScript.";
    pages_count => "共 {n} 篇", "{n} pages";
    no_pages => "本栏目暂无内容。", "Nothing in this section yet.";
    not_found_title => "页面不存在", "Page not found";
    moved_to => "本页已移至{link}。", "This page has moved to {link}.";
    not_found_text => "您要找的页面不存在，或已经移动。", "The page you are looking for does not exist or has moved.";
    back_home => "返回首页", "Back to the home page";
    built_with => "本手册由 Charter 生成", "Built with Charter";
}

impl Ui {
    /// The language these strings are written in.
    pub(crate) fn language(&self) -> Language {
        Language::ALL.into_iter().find(|&l| strings(l) == self).unwrap_or(Language::ZhCn)
    }
}

/// The UI strings of `language`.
pub(crate) fn strings(language: Language) -> &'static Ui {
    match language {
        Language::En => &EN,
        Language::ZhCn => &ZH_CN,
    }
}

/// The search box's words in every interface language, as the JSON object `search.js`
/// picks from by `<html lang>` (`{"en":{"placeholder":…},"zh-CN":{…}}`, keys sorted):
/// shipped once in the script instead of as attributes on every page.
pub(crate) fn search_box_words() -> String {
    #[derive(serde::Serialize)]
    struct Words {
        placeholder: &'static str,
        none: &'static str,
        count: &'static str,
        all: &'static str,
        suggestions: &'static str,
    }
    let by_tag: std::collections::BTreeMap<&str, Words> = Language::ALL
        .iter()
        .map(|&language| {
            let ui = strings(language);
            let words = Words {
                placeholder: ui.search,
                none: ui.search_none,
                count: ui.search_count,
                all: ui.search_all,
                suggestions: ui.search_suggestions,
            };
            (language.tag(), words)
        })
        .collect();
    serde_json::to_string(&by_tag).expect("strings serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_box_words_are_keyed_by_language_tag() {
        let words: serde_json::Value = serde_json::from_str(&search_box_words()).unwrap();
        assert_eq!(words["en"]["placeholder"], "Search");
        assert_eq!(words["en"]["none"], "No pages found for {q}");
        assert_eq!(words["zh-CN"]["placeholder"], "站内搜索");
        assert_eq!(words["zh-CN"]["count"], "与 {q} 相关的页面：{n} 篇");
        assert_eq!(words.as_object().unwrap().len(), Language::ALL.len());
    }

    #[test]
    fn both_languages_are_complete() {
        for (k, zh, en) in ALL {
            assert!(!zh.trim().is_empty(), "zh-CN string `{k}` is empty");
            assert!(!en.trim().is_empty(), "en string `{k}` is empty");
        }
        assert_eq!(strings(Language::En).home, "Home");
        assert_eq!(strings(Language::ZhCn).home, "首页");
    }
}

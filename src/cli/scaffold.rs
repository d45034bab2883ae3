//! The scaffold `charter init` writes: the smallest site that shows every concept (a
//! config, a public standard, an internal page and a role) and builds with no warnings,
//! in Chinese or English, with a `.gitignore` for the build output.
//!
//! Owns the scaffold's files and refuses to write into a folder that is not empty (a
//! folder holding only `.git` is fine: `git init` first is common). It knows nothing
//! about building.

use std::path::Path;

use crate::base::i18n::Language;

/// Files every starter site has, whatever its language. `site/` is the default output
/// folder of `charter build`: built files do not belong in the repository.
const COMMON: &[(&str, &str)] = &[(
    ".gitignore",
    "# Built by `charter build` (the default output folder); rebuild, do not commit.\n/site/\n/.site.charter-*/\n",
)];

const ZH_CN: &[(&str, &str)] = &[
    (
        "charter.yaml",
        "# Charter site configuration\ntitle: 客户服务手册\nlanguage: zh-CN\nbase_url: \"\"\n# Pages are internal unless they say `audience: public`.\ndefault_audience: internal\n# People's report pages (scores, ranks, failing streaks) are every employee's to read\n# unless a tier above `internal` is declared; they then go to the highest one:\n# audiences: [public, internal, managers]\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: 客户服务手册\naudience: public\nsummary: 我们向客户承诺的服务标准。\n---\n\n欢迎阅读本手册。公开的服务标准见[服务标准](standards/_index.md)。\n",
    ),
    (
        "content/standards/_index.md",
        "---\ntitle: 服务标准\naudience: public\n---\n\n本栏目收录对客户公开的服务标准。\n",
    ),
    (
        "content/standards/complaint-handling.md",
        "---\ntitle: 投诉处理标准\naudience: public\nowner: customer-support\neffective: 2026-01-01\nreview_by: 2027-01-01\nweight: 10\nsummary: 投诉的受理渠道与处理时限。\ntags: [投诉, 时限]\n---\n\n## 受理渠道\n\n您可以通过服务台、客服热线或在线客服提出投诉。\n\n## 处理时限\n\n| 投诉类型 | 处理方式 | 时限 |\n|---|---|---|\n| 服务态度 | 道歉并说明情况 | 24 小时内 |\n| 产品质量 | 退换货 | 48 小时内 |\n| 其他问题 | 提出合理解决方案 | 72 小时内 |\n\n负责部门：[客户支持部](../roles/customer-support.md#职责)。\n",
    ),
    (
        "content/standards/complaint-workflow.md",
        "---\ntitle: 投诉处理内部流程\nowner: customer-support\nweight: 20\nsummary: 员工受理投诉的步骤（内部）。\n---\n\n## 步骤\n\n1. 首问负责：谁接到投诉，谁负责跟进到底。\n2. 记录时间、投诉人、事项与诉求。\n3. 按[处理时限](complaint-handling.md#处理时限)回复客户。\n",
    ),
    (
        "content/roles/_index.md",
        "---\ntitle: 角色与职责\naudience: public\n---\n\n各部门与岗位的职责。\n",
    ),
    (
        "content/roles/customer-support.md",
        "---\ntitle: 客户支持部\naudience: public\nsummary: 受理客户咨询与投诉。\nduties:\n  - 受理咨询与投诉\n  - 跟进处理进度并回访\n---\n\n## 职责\n\n客户支持部负责受理客户的咨询与投诉，并在时限内给出答复。\n",
    ),
];

const EN: &[(&str, &str)] = &[
    (
        "charter.yaml",
        "# Charter site configuration\ntitle: Customer Service Handbook\nlanguage: en\nbase_url: \"\"\n# Pages are internal unless they say `audience: public`.\ndefault_audience: internal\n# People's report pages (scores, ranks, failing streaks) are every employee's to read\n# unless a tier above `internal` is declared; they then go to the highest one:\n# audiences: [public, internal, managers]\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: Customer Service Handbook\naudience: public\nsummary: The service we promise our customers.\n---\n\nWelcome to the handbook. The standards we publish are under [Service standards](standards/_index.md).\n",
    ),
    (
        "content/standards/_index.md",
        "---\ntitle: Service standards\naudience: public\n---\n\nThe service standards we publish for our customers.\n",
    ),
    (
        "content/standards/complaint-handling.md",
        "---\ntitle: Complaint handling\naudience: public\nowner: customer-support\neffective: 2026-01-01\nreview_by: 2027-01-01\nweight: 10\nsummary: Where you can complain, and how soon we respond.\ntags: [complaints, response times]\n---\n\n## Where to complain\n\nYou can complain at the service desk, on our hotline or through online chat.\n\n## Response times\n\n| Kind of complaint | What we do | Within |\n|---|---|---|\n| Staff attitude | Apologise and explain what happened | 24 hours |\n| Product quality | Replace or refund | 48 hours |\n| Anything else | Propose a fair solution | 72 hours |\n\nResponsible team: [Customer Support](../roles/customer-support.md#responsibilities).\n",
    ),
    (
        "content/standards/complaint-workflow.md",
        "---\ntitle: Complaint workflow (internal)\nowner: customer-support\nweight: 20\nsummary: The steps staff follow when they take a complaint.\n---\n\n## Steps\n\n1. Whoever takes the complaint owns it until it is resolved.\n2. Record the time, the customer, what happened and what they ask for.\n3. Reply within the [response times](complaint-handling.md#response-times).\n",
    ),
    (
        "content/roles/_index.md",
        "---\ntitle: Roles and responsibilities\naudience: public\n---\n\nWhat each team and role is responsible for.\n",
    ),
    (
        "content/roles/customer-support.md",
        "---\ntitle: Customer Support\naudience: public\nsummary: Answers customers' questions and complaints.\nduties:\n  - Take questions and complaints\n  - Follow each one up and call the customer back\n---\n\n## Responsibilities\n\nCustomer Support takes customers' questions and complaints and answers them within the response times.\n",
    ),
];

/// The files of a starter site in `language`.
fn files(language: Language) -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    let own = match language {
        Language::ZhCn => ZH_CN,
        Language::En => EN,
    };
    COMMON.iter().chain(own)
}

/// Writes the scaffold in `language` into `dir` (created if absent). Returns the
/// number of files.
pub(crate) fn create(dir: &Path, language: Language) -> Result<usize, String> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(format!("{} exists and is not a folder", dir.display()));
        }
        let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entries.flatten().any(|e| e.file_name() != ".git") {
            return Err(format!("refusing to initialise {}: the folder is not empty", dir.display()));
        }
    }
    let mut count = 0;
    for (rel, text) in files(language) {
        count += 1;
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(count)
}

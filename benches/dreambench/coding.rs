//! DreamBench "coding": sessions of a coding agent (Claude Code style) across a team's twelve
//! repositories, two working weeks. Nobody gives verdicts: a developer asks for a task, the
//! agent reads files, edits, runs commands and answers with code, and corrections come as
//! follow-up messages, worded differently every time ("run the formatter before you hand it
//! back" / "you forgot to run cargo fmt again" / "CI is going to fail on prettier").
//!
//! Planted: three team-wide preferences (format before handing back, no new dependencies
//! without asking, conventional commit messages) and one preference per repository. Traps:
//! one-off requests with a qualifier ("just for this PR skip the tests"), follow-ups that are
//! new tasks rather than corrections ("ok now open a PR", "apply it to staging"), and a rule
//! of one repository (no `unwrap` in billing) that other Rust repositories do not share.

use reverie::model::Role;

use super::gen::{Rng, Workload};
use super::real::*;

const AGENT: &str = "code-agent";
const TAG: &str = "repo";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Rust,
    Ts,
    Py,
    Go,
    Swift,
    Hcl,
    Md,
}

impl Lang {
    fn fmt(self) -> &'static str {
        match self {
            Lang::Rust => "{cargo fmt|rustfmt|`cargo fmt`}",
            Lang::Ts => "{prettier|`npm run format`|Prettier}",
            Lang::Py => "{black|ruff format|`ruff format`}",
            Lang::Go => "{gofmt|go fmt|`gofmt -w`}",
            Lang::Swift => "{swiftformat|SwiftFormat}",
            Lang::Hcl => "{terraform fmt|`terraform fmt -recursive`}",
            Lang::Md => "{prettier|the markdown formatter}",
        }
    }
    fn test(self) -> &'static str {
        match self {
            Lang::Rust => "cargo test",
            Lang::Ts => "npm test",
            Lang::Py => "pytest -q",
            Lang::Go => "go test ./...",
            Lang::Swift => "xcodebuild test -scheme App",
            Lang::Hcl => "terraform validate",
            Lang::Md => "npm run build",
        }
    }
    fn manifest(self) -> &'static str {
        match self {
            Lang::Rust => "Cargo.toml",
            Lang::Ts => "package.json",
            Lang::Py => "pyproject.toml",
            Lang::Go => "go.mod",
            Lang::Swift => "Package.swift",
            _ => "",
        }
    }
    fn packages(self) -> &'static [&'static str] {
        match self {
            Lang::Rust => &["backoff", "itertools", "once_cell", "anyhow", "chrono-tz"],
            Lang::Ts => &["lodash", "date-fns", "axios", "uuid", "classnames"],
            Lang::Py => &["tenacity", "pydash", "arrow", "more-itertools"],
            Lang::Go => &[
                "github.com/samber/lo",
                "github.com/pkg/errors",
                "golang.org/x/exp",
            ],
            Lang::Swift => &["Alamofire", "SnapKit", "KeychainAccess"],
            _ => &[],
        }
    }
    fn ext(self) -> &'static str {
        match self {
            Lang::Rust => "rs",
            Lang::Ts => "tsx",
            Lang::Py => "py",
            Lang::Go => "go",
            Lang::Swift => "swift",
            Lang::Hcl => "tf",
            Lang::Md => "md",
        }
    }
    fn fence(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Ts => "tsx",
            Lang::Py => "python",
            Lang::Go => "go",
            Lang::Swift => "swift",
            Lang::Hcl => "hcl",
            Lang::Md => "markdown",
        }
    }
}

struct Repo {
    name: &'static str,
    lang: Lang,
    devs: &'static [&'static str],
    files: &'static [&'static str],
    idents: &'static [&'static str],
    tasks: &'static [&'static str],
    /// Code the agent writes when it follows the repository's rule (or when there is none).
    good: &'static [&'static str],
    /// Code or text that breaks the repository's rule.
    bad: &'static str,
    own: Own,
}

/// A repository's own preference.
struct Own {
    kind: &'static str,
    keys: &'static [&'static str],
    voice: Voice,
    acks: &'static [&'static str],
}

const REPOS: [Repo; 12] = [
    Repo {
        name: "api-gateway",
        lang: Lang::Go,
        devs: &["tomas", "noor"],
        files: &["internal/proxy/upstream.go", "internal/middleware/ratelimit.go", "cmd/gateway/main.go", "internal/auth/jwt.go", "internal/health/handler.go"],
        idents: &["upstreamTimeout", "RateLimiter", "requestID", "healthHandler", "validateJWT"],
        tasks: &["add rate limiting to the /v1/search route", "fix the 502s we get when the billing upstream times out", "add an X-Request-Id header to every response", "make the health check return the build sha", "log the client id when auth fails", "bump the upstream timeout to 10s for billing"],
        good: &["func (h *healthHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n\tw.Header().Set(\"X-Build-Sha\", buildSha)\n\tw.WriteHeader(http.StatusOK)\n}", "ctx, cancel := context.WithTimeout(r.Context(), upstreamTimeout)\ndefer cancel()\nresp, err := p.client.Do(req.WithContext(ctx))"],
        bad: "",
        own: Own {
            kind: "changelog",
            keys: &["changelog", "change log", "changelog.md"],
            voice: Voice {
                dos: &["add a {CHANGELOG|changelog} entry{ under Unreleased| for this|}", "update CHANGELOG.md {too|as well|with this}", "{note|record} the change in the changelog", "put a line in {the|} changelog {for this|under Unreleased|}"],
                donts: &["don't {forget|skip} the changelog{ again|}"],
                complaints: &["{no|missing} changelog entry{ again|}", "you didn't update {the changelog|CHANGELOG.md}", "where's the changelog {line|entry}?"],
                rules: &["every {user-facing|} change in {the gateway|this repo} gets a changelog entry", "the changelog {is|has to be} updated with every PR here"],
            },
            acks: &["Added an entry under `## Unreleased` in CHANGELOG.md.", "CHANGELOG.md now has a line for this under Unreleased."],
        },
    },
    Repo {
        name: "billing-service",
        lang: Lang::Rust,
        devs: &["priya", "kenji"],
        files: &["src/invoice.rs", "src/ledger.rs", "src/stripe/webhook.rs", "src/tax.rs", "src/api/refunds.rs"],
        idents: &["Invoice", "apply_credit", "LedgerEntry", "handle_webhook", "tax_rate_for"],
        tasks: &["add a credit note type to invoices", "round tax per line item instead of per invoice", "handle the `invoice.voided` webhook from Stripe", "expose the ledger balance on /accounts/:id", "fix the off-by-one in proration for mid-month upgrades", "reject refunds larger than the original charge"],
        good: &["pub fn apply_credit(inv: &mut Invoice, credit: Money) -> Result<(), BillingError> {\n    let balance = inv.balance().checked_sub(credit).ok_or(BillingError::Negative)?;\n    inv.set_balance(balance);\n    Ok(())\n}", "let rate = tax_rate_for(&line.region).context(\"no tax rate for region\")?;\nline.tax = (line.net * rate).round_dp(2);"],
        bad: "pub fn apply_credit(inv: &mut Invoice, credit: Money) {\n    let balance = inv.balance().checked_sub(credit).unwrap();\n    inv.set_balance(balance);\n}",
        own: Own {
            kind: "no-unwrap",
            keys: &["unwrap", "unwrap()", ".unwrap()", "unwraps", "unwrapping"],
            voice: Voice {
                dos: &["use `?` {instead of unwrap|there} {and add context|}", "propagate the error {instead of unwrapping|with `?`}", "replace the {unwrap|`.unwrap()`} with {`?`|proper error handling|`.context(..)?`}"],
                donts: &["{please|} don't unwrap {in billing code|here|in non-test code}", "no {unwrap()|unwraps} {outside tests|in this service|please}", "never `.unwrap()` in {this service|billing}"],
                complaints: &["there's an unwrap {again |}on line $line", "{this|that} unwrap {will panic|can panic} {in prod|on a bad invoice}", "unwrap {again|??}"],
                rules: &["we don't unwrap in billing{, ever|}", "billing code {never|must never} {panics|panic} on bad input{, so no unwrap|}"],
            },
            acks: &["Replaced the `unwrap()` with `?` and added context to the error.", "No more unwrap: the error now propagates as `BillingError::Negative`."],
        },
    },
    Repo {
        name: "web-dashboard",
        lang: Lang::Ts,
        devs: &["alex", "sofia"],
        files: &["src/pages/Settings.tsx", "src/components/InvoiceTable.tsx", "src/hooks/useBilling.ts", "src/pages/Team.tsx", "src/api/client.ts"],
        idents: &["InvoiceTable", "useBilling", "TeamMemberRow", "formatCurrency", "apiClient"],
        tasks: &["add a 'resend invite' action to the team page", "show the invoice status as a badge in the invoice table", "add a dark-mode toggle to settings", "paginate the invoice table", "show a toast when saving settings fails", "add an empty state to the team page"],
        good: &["<Button variant=\"secondary\" onClick={() => resend(member.id)}>\n  Resend invite\n</Button>", "const { data, error } = useBilling(accountId);\nif (error) return <ErrorState retry={refetch} />;"],
        bad: "<button className=\"btn btn-secondary\" onClick={() => resend(member.id)}>\n  Resend invite\n</button>",
        own: Own {
            kind: "design-system",
            keys: &["design system", "design-system", "@acme/ui", "button", "buttons", "component", "components", "<button>"],
            voice: Voice {
                dos: &["use the `Button` from @acme/ui {instead of a raw <button>|}", "use our {design-system|DS|design system} components{ instead|}", "swap the {raw|plain} {<button>|button} for `<Button>` from @acme/ui"],
                donts: &["don't hand-roll {buttons|inputs|modals}{, we have the design system|}", "{please|} no raw {<button>|html buttons|<input> elements}"],
                complaints: &["{this|that} should {use|be} our {DS|design-system} {Button|component}", "raw <button> again{ 🙃|}", "we have a component for that{ in @acme/ui|}"],
                rules: &["everything in the dashboard uses @acme/ui {components|}", "the dashboard only uses design-system components"],
            },
            acks: &["Switched to `<Button variant=\"secondary\">` from @acme/ui.", "Replaced the raw element with the design-system `Button`."],
        },
    },
    Repo {
        name: "data-etl",
        lang: Lang::Py,
        devs: &["noor", "kenji"],
        files: &["etl/jobs/orders.py", "etl/io/s3.py", "etl/transforms/currency.py", "etl/jobs/customers.py"],
        idents: &["load_orders", "to_eur", "read_parquet", "dedupe_customers"],
        tasks: &["dedupe customers by normalized email", "convert order totals to EUR using the daily rates table", "read the partitioned parquet from the new bucket", "drop test orders before loading", "add a job that exports refunds to the warehouse"],
        good: &["def dedupe_customers(df: pd.DataFrame) -> pd.DataFrame:\n    df = df.assign(email=df.email.str.strip().str.lower())\n    return df.drop_duplicates(subset=\"email\", keep=\"last\")", "def to_eur(amount: Decimal, currency: str, rates: Mapping[str, Decimal]) -> Decimal:\n    return (amount / rates[currency]).quantize(Decimal(\"0.01\"))"],
        bad: "def dedupe_customers(df):\n    df = df.assign(email=df.email.str.strip().str.lower())\n    return df.drop_duplicates(subset=\"email\", keep=\"last\")",
        own: Own {
            kind: "type-hints",
            keys: &["type hints", "type hint", "type-hint", "type-hinted", "hints", "annotations", "annotate", "annotated", "typed", "untyped", "typing", "mypy", "types"],
            voice: Voice {
                dos: &["add type hints {to every function|to the new functions|everywhere|}", "annotate {the|all} {function signatures|params and return types|functions}", "type the {signatures|function args}{ please|}"],
                donts: &["don't leave functions untyped", "no untyped {defs|functions}{ please|}"],
                complaints: &["{these|the new} functions {have no|are missing} type hints", "mypy {is going to complain|will fail} on {this|these}", "untyped again{...|}"],
                rules: &["everything in the ETL is type-hinted", "we run mypy --strict {here|in CI}{, so hints everywhere|}"],
            },
            acks: &["Added type hints to `dedupe_customers` and the helpers; mypy --strict is clean.", "Annotated every new function."],
        },
    },
    Repo {
        name: "ios-app",
        lang: Lang::Swift,
        devs: &["sofia", "tomas"],
        files: &["App/Sources/Session/SessionStore.swift", "App/Sources/Settings/SettingsView.swift", "App/Sources/Booking/BookingViewModel.swift", "App/Sources/Networking/APIClient.swift"],
        idents: &["SessionStore", "BookingViewModel", "currentUser", "APIClient"],
        tasks: &["show the booking confirmation as a sheet", "add pull-to-refresh on the bookings list", "log the user out when the refresh token expires", "cache the profile image", "add haptics when a booking succeeds"],
        good: &["guard let user = session.currentUser else {\n    store.logout()\n    return\n}\nviewModel.load(for: user.id)", ".refreshable {\n    await viewModel.reload()\n}"],
        bad: "let user = session.currentUser!\nviewModel.load(for: user.id)",
        own: Own {
            kind: "no-force-unwrap",
            keys: &["force unwrap", "force-unwrap", "force unwraps", "force-unwraps", "force unwrapping", "force-unwrapping", "force-unwrapped", "guard let", "if let", "optionals", "optional", "nil"],
            voice: Voice {
                dos: &["use `guard let` {instead of force unwrapping|there}", "unwrap {it|optionals} safely {with if let|with guard let|}", "handle the nil case{ with guard let|}"],
                donts: &["{please|} no force {unwraps|unwrapping}{ in the app|}", "don't force-unwrap {optionals|that|`currentUser`}", "never use `!` on optionals {in the app|here}"],
                complaints: &["{that|this} force unwrap {will crash|crashes} {if the session expired|on logout}", "force unwrap {again|on line $line}", "`!` on an optional{, again|}"],
                rules: &["we don't force-unwrap in the iOS app", "the app {must never|should never} crash on a nil{, so no force unwraps|}"],
            },
            acks: &["Replaced the force unwrap with `guard let` and log out when there is no user.", "Now uses `guard let`; no `!` left in the change."],
        },
    },
    Repo {
        name: "auth-server",
        lang: Lang::Rust,
        devs: &["kenji", "priya"],
        files: &["src/token.rs", "src/oauth/google.rs", "src/session.rs", "src/handlers/login.rs"],
        idents: &["refresh_token", "SessionStore", "issue_jwt", "GoogleClient"],
        tasks: &["rotate refresh tokens on use", "add Google Workspace domain restriction", "shorten the session TTL to 12 hours", "return 429 after five failed logins", "add a /revoke endpoint"],
        good: &["let key = std::env::var(\"JWT_KEY\").unwrap();\ntracing::info!(user_id = %user.id, \"issued token\");\nissue_jwt(&key, &user, Duration::hours(12))", "if attempts.get(&ip).copied().unwrap_or(0) >= 5 {\n    return Err(AuthError::TooManyAttempts);\n}"],
        bad: "let token = rotate(&store, old).await?;\nprintln!(\"rotated refresh token for {}\", user.id);\nOk(token)",
        own: Own {
            kind: "tracing",
            keys: &["tracing", "println", "println!", "log", "logging", "logs", "logger", "eprintln", "info!", "stdout"],
            voice: Voice {
                dos: &["use `tracing` {instead of println|for logs|}{ (info!/debug!)|}", "log through tracing{, not stdout|}", "switch the {println|prints} to `tracing::{info|debug}!`"],
                donts: &["{please|} no println in {the auth server|server code|here}", "don't print to stdout{, use tracing|}", "don't use println! for logging"],
                complaints: &["println! again{?|}", "{that|the} println won't show up in {Loki|our logs|Grafana}", "stdout isn't where our logs go"],
                rules: &["all logging in auth goes through tracing", "we log with tracing{ here|}, never println"],
            },
            acks: &["Switched to `tracing::info!(user_id = %user.id, \"rotated refresh token\")`.", "The println is gone; it logs through tracing now."],
        },
    },
    Repo {
        name: "infra-terraform",
        lang: Lang::Hcl,
        devs: &["tomas", "alex"],
        files: &["modules/vpc/main.tf", "envs/prod/rds.tf", "modules/eks/node_groups.tf", "envs/staging/redis.tf"],
        idents: &["aws_db_instance.main", "module.vpc", "node_group_spot", "aws_elasticache_cluster.cache"],
        tasks: &["bump the RDS instance class to db.r6g.xlarge", "add a spot node group to the cluster", "open port 6379 from the worker subnet to redis", "enable deletion protection on the prod database", "add a second NAT gateway"],
        good: &["resource \"aws_db_instance\" \"main\" {\n  instance_class      = \"db.r6g.xlarge\"\n  deletion_protection = true\n}", "Plan: 1 to add, 0 to change, 0 to destroy."],
        bad: "",
        own: Own {
            kind: "terraform-plan",
            keys: &["terraform plan", "plan", "plan output"],
            voice: Voice {
                dos: &["paste the {`terraform plan`|plan} output{ too|}", "run terraform plan and {paste|show me|include} {the output|the diff|what it changes}", "include the plan {so I can see what changes|in your answer}"],
                donts: &["don't {hand back|send me} terraform changes without a plan", "never {say|tell me} it's done without running plan"],
                complaints: &["{where's|no} {the|} plan{ output|}?", "I can't review this without {the plan|a plan}", "you didn't {run|show} terraform plan{ again|}"],
                rules: &["every infra change comes with {its|the} plan output", "we {always|} review the plan, not just the HCL"],
            },
            acks: &["Ran `terraform plan`: 0 to add, 1 to change, 0 to destroy (instance_class).", "Plan output: `~ aws_db_instance.main` (1 to change)."],
        },
    },
    Repo {
        name: "search-indexer",
        lang: Lang::Rust,
        devs: &["priya", "alex"],
        files: &["src/tokenizer.rs", "src/index/segment.rs", "src/merge.rs", "src/query/bm25.rs"],
        idents: &["Tokenizer", "Segment", "merge_segments", "bm25_score"],
        tasks: &["reuse the token buffer in the tokenizer", "merge small segments in the background", "cache idf values per segment", "switch the posting lists to delta encoding", "parallelize segment merges"],
        good: &["let seg = small.pop().unwrap();\nlet merged = merge_segments(&[seg, next], &mut self.buf)?;\nself.segments.push(merged);", "self.buf.clear();\nfor tok in self.tokenizer.tokens(text) {\n    self.buf.push(tok);\n}"],
        bad: "This should make indexing noticeably faster.",
        own: Own {
            kind: "benchmarks",
            keys: &["benchmark", "benchmarks", "bench", "benches", "criterion", "numbers", "before/after", "before and after", "measure", "measured"],
            voice: Voice {
                dos: &["{run the benchmarks|add a benchmark|run cargo bench} {before and after|and paste the numbers|}", "show {me|} {before/after|before and after} {numbers|timings} {from cargo bench|from criterion|}", "back {the|this} perf claim with {numbers|a criterion run}"],
                donts: &["don't claim {it's faster|a speedup} without {benchmarks|numbers}"],
                complaints: &["\"should be faster\" {according to what|based on what}?", "{no|where are the} {numbers|benchmarks}{?|}", "you didn't {run|include} the benches{ again|}"],
                rules: &["perf changes {here|in the indexer} {need|come with} {benchmark numbers|cargo bench results}"],
            },
            acks: &["`cargo bench --bench index`: 412 ms → 297 ms (-28%), criterion reports p < 0.05.", "Benchmarks before/after: merge 1.9 s → 1.2 s."],
        },
    },
    Repo {
        name: "notification-worker",
        lang: Lang::Go,
        devs: &["noor", "tomas"],
        files: &["internal/email/sender.go", "internal/push/apns.go", "internal/queue/consumer.go", "internal/sms/twilio.go"],
        idents: &["SendEmail", "apnsClient", "Consumer", "sendSMS"],
        tasks: &["retry APNs pushes that fail with 503", "dead-letter messages after five failures", "send the weekly digest in the user's timezone", "add an SMS fallback when push fails", "batch email sends to 100 per call"],
        good: &["err := retry.Do(ctx, retry.Policy{Attempts: 5}, func() error {\n\treturn c.apns.Push(ctx, n)\n})", "loc, err := time.LoadLocation(u.Timezone)\nif err != nil {\n\tloc = time.UTC\n}"],
        bad: "for attempt := 0; attempt < 3; attempt++ {\n\tif err = c.apns.Push(ctx, n); err == nil {\n\t\tbreak\n\t}\n\ttime.Sleep(time.Second)\n}",
        own: Own {
            kind: "retry-helper",
            keys: &["retry", "retries", "retry.do", "pkg/retry", "backoff", "retrying"],
            voice: Voice {
                dos: &["use {`retry.Do`|our retry helper|pkg/retry} {instead of a hand-rolled loop|for this|}", "{swap|replace} the loop for `retry.Do` from pkg/retry"],
                donts: &["don't {hand-roll|write} {retry loops|your own retry loop}{, we have pkg/retry|}"],
                complaints: &["{another|a} hand-rolled retry loop{...|}", "{this|that} loop {has no|doesn't do} {jitter|backoff}{ — pkg/retry does|}", "we already have a retry helper{ for this|}"],
                rules: &["all retries in the worker go through pkg/retry"],
            },
            acks: &["Replaced the loop with `retry.Do(ctx, retry.Policy{Attempts: 5}, ...)`.", "Now uses pkg/retry with the default backoff and jitter."],
        },
    },
    Repo {
        name: "docs-site",
        lang: Lang::Md,
        devs: &["sofia", "noor"],
        files: &["docs/getting-started.md", "docs/cli/reconcile.md", "docs/api/webhooks.md", "docs/guides/migrating-v2.md"],
        idents: &["getting-started", "webhooks", "migrating-v2"],
        tasks: &["write a page about the new webhooks retry policy", "add a migration guide from v1 to v2", "document the reconcile command", "add a FAQ section to getting started", "explain API rate limits"],
        good: &["## Retry policy\n\nWe retry a failed webhook five times, with backoff, over about an hour.", "## Before you start\n\nYou need an API token with the `admin` scope."],
        bad: "## Retry Policy For Failed Webhooks\n\nWe retry a failed webhook five times, with backoff, over about an hour.",
        own: Own {
            kind: "sentence-case",
            keys: &["sentence case", "sentence-case", "heading", "headings", "title case", "title-case", "capitalize", "capitalise", "capitalization", "capitalisation", "capital", "capitals"],
            voice: Voice {
                dos: &["use sentence case {for|in} {headings|titles}", "{make|write} {the|all} headings {in sentence case|sentence-case}", "lowercase {the|} heading words except the first{ (and proper nouns)|}"],
                donts: &["{no|don't use} Title Case {in headings|please|}", "don't capitalise every word in {a|the} heading{s|}"],
                complaints: &["{the|these|those} headings are {in Title Case|Title Case} again", "\"Retry Policy For Failed Webhooks\" should be sentence case", "Title Case again{ 😅|}"],
                rules: &["the docs style guide says sentence case for headings", "our headings are sentence case{, always|}"],
            },
            acks: &["Headings are sentence case now (\"Retry policy for failed webhooks\").", "Fixed the heading capitalisation."],
        },
    },
    Repo {
        name: "cli-tools",
        lang: Lang::Rust,
        devs: &["alex", "kenji"],
        files: &["src/cmd/reconcile.rs", "src/cmd/export.rs", "src/main.rs", "src/config.rs"],
        idents: &["Reconcile", "ExportArgs", "Config", "run_export"],
        tasks: &["add a --dry-run flag to reconcile", "add a --format csv option to export", "read the API token from an env var", "add a --since filter to export", "make reconcile print a summary table"],
        good: &["#[arg(long, help = \"Show what would change without writing\")]\ndry_run: bool,", "let cfg = Config::load(&path).unwrap();\nlet token = std::env::var(\"ACME_TOKEN\").ok().or(cfg.token);"],
        bad: "#[arg(long)]\ndry_run: bool,",
        own: Own {
            kind: "help-and-readme",
            keys: &["help", "--help", "readme", "readme.md", "usage", "docs", "documentation", "document", "documented"],
            voice: Voice {
                dos: &["update the `--help` text {and the README|too|as well}", "document the new flag in {the README|README.md|the usage section}", "add the flag to the {usage|README usage} {section|docs|block}"],
                donts: &["don't add flags without {documenting them|updating --help}"],
                complaints: &["`--help` doesn't mention {--$flag|the new flag}", "{the|} README {still|} {shows|has} the old usage", "{no|missing} docs for --$flag"],
                rules: &["every flag {needs|gets} {a line in --help and the README|documented in the README}"],
            },
            acks: &["Added a help string to the flag and a line to the README usage block.", "`--help` and README.md both describe the flag now."],
        },
    },
    Repo {
        name: "ml-pipeline",
        lang: Lang::Py,
        devs: &["kenji", "sofia"],
        files: &["pipeline/train.py", "pipeline/features.py", "pipeline/evaluate.py", "pipeline/split.py"],
        idents: &["train_model", "build_features", "evaluate", "split_dataset"],
        tasks: &["add a churn label to the feature table", "try a gradient boosting baseline", "add precision@k to the evaluation report", "split by customer instead of by row", "log feature importances to MLflow"],
        good: &["train, test = split_dataset(df, by=\"customer_id\", test_size=0.2, random_state=SEED)\nmodel = GradientBoostingClassifier(random_state=SEED).fit(train[X], train.y)", "mlflow.log_dict(dict(zip(X, model.feature_importances_)), \"importances.json\")"],
        bad: "train, test = train_test_split(df, test_size=0.2)\nmodel = GradientBoostingClassifier().fit(train[X], train.y)",
        own: Own {
            kind: "seeds",
            keys: &["seed", "seeds", "seeded", "random_state", "random state", "deterministic", "reproducible", "reproducibility", "unseeded"],
            voice: Voice {
                dos: &["set {a|the} {random seed|seed|random_state} {everywhere|on the split|for every run}", "pass `random_state=SEED` to {the split|train_test_split|everything random}", "{fix|pin} the seeds{ so runs are reproducible|}"],
                donts: &["don't leave {the|} {seeds|randomness} unset", "no unseeded {splits|shuffles|runs}"],
                complaints: &["this isn't reproducible{, there's no seed|}", "{the|} split has no random_state{ again|}", "{the|} numbers change every run{ — seed it|}"],
                rules: &["every experiment here has to be reproducible{, so seeds everywhere|}", "we seed everything in the pipeline"],
            },
            acks: &["Passed `random_state=SEED` to the split and the model.", "Seeded the split and the model; two runs give identical metrics now."],
        },
    },
];

const FORMAT: Voice = Voice {
    dos: &["run $fmt before {you hand it back|handing it back|you give it back to me|giving it to me|you call it done|you say it's done|you're done}", "format the code with $fmt {before giving it to me|before you hand it over|first|}", "{format|fmt} {it|the code|this|your changes|the diff} {with $fmt|} before {you hand it back|handing back|pushing|you show me}", "run the formatter {on it|on your changes|over the diff|} {before you hand it back|first|before you're done|every time}", "make sure {it's|the code is|everything is} formatted {with $fmt|} before {handing it back|you're done|you ping me}"],
    donts: &["don't hand me unformatted code{ again|}", "don't give it back without running $fmt", "never skip $fmt{, even for tiny changes|}"],
    complaints: &["you forgot to run $fmt{ again|}", "{this|the diff|it} isn't formatted{ again|}", "{the|} formatting is off{ again| in `$file`|}", "$fmt wasn't run on this{ again|}", "CI is going to {fail|complain} on $fmt{ again|}", "{still|again} not formatted", "{the|} fmt check {fails|is red}{ again|}"],
    rules: &["we always run $fmt before {code goes up|a change goes up|handing anything back}", "everything {has to|needs to|must} go through $fmt{ first|, every time|}", "formatted code only, {please|always|every time}"],
};
const FORMAT_KEYS: [&str; 11] = [
    "format",
    "formatter",
    "formatted",
    "formatting",
    "rustfmt",
    "fmt",
    "prettier",
    "black",
    "gofmt",
    "swiftformat",
    "unformatted",
];
const FORMAT_ACKS: [&str; 3] = [
    "Ran the formatter; only whitespace changed.",
    "Formatted — no other changes.",
    "Done, ran it over the whole diff.",
];

const DEPS: Voice = Voice {
    dos: &["ask {me|first} before {adding|pulling in} {a new|another} {dependency|package|library|dep}", "check with {me|the team} before {adding|pulling in} {new|} {dependencies|deps|packages}", "write it by hand instead of {adding|pulling in} $pkg", "{remove|drop} $pkg and {write the ten lines yourself|use what we already have|do it with the standard library}", "keep the dependency list {as it is|short|lean} unless I say otherwise"],
    donts: &["{please|} don't add {new|} {dependencies|deps|packages|libraries} without asking", "{no new deps|no new dependencies|no extra packages} {without checking with me|unless I ask|please}", "don't pull in $pkg{ just| only|} for {this|one function|a helper}"],
    complaints: &["{why|hm why} did you add $pkg?", "we don't want {another|a new} {dependency|package} for this", "$pkg {isn't|is not} {approved|something we want in $manifest}", "you added $pkg to $manifest{ again|}"],
    rules: &["we keep {the|our} {dependencies|deps} to a minimum{ here|}", "every new dependency {needs|goes through} {a review|sign-off} first"],
};
const DEPS_KEYS: [&str; 16] = [
    "dependency",
    "dependencies",
    "deps",
    "dep",
    "package",
    "packages",
    "crate",
    "crates",
    "library",
    "libraries",
    "cargo.toml",
    "package.json",
    "pyproject.toml",
    "go.mod",
    "package.swift",
    "third-party",
];
const DEPS_ACKS: [&str; 3] = [
    "Removed $pkg from $manifest and wrote a small helper instead.",
    "Dropped the new dependency; it's 12 lines with the standard library.",
    "Reverted the $manifest change and inlined the helper.",
];

const COMMITS: Voice = Voice {
    dos: &["use conventional commit {messages|prefixes|style}{ (feat:, fix:, chore:)|, e.g. `fix: handle timeouts`|}", "{prefix|start} {the|every|your} commit {message|messages} with {feat:|fix:|chore:|a conventional type}", "reword {it|the commit|that commit} as `$cc`", "follow conventional commits {for the message|please|}"],
    donts: &["don't write commit messages like `$bad`"],
    complaints: &["{that|the} commit message {should be|needs to be} {conventional|`$cc`|in conventional format}", "`$bad` isn't a conventional commit", "commit {message|title} is missing the {type|prefix}{ again|}"],
    rules: &["we do conventional commits {here|in every repo|across all repos}", "all our commits follow {the|} conventional commits{ spec|}"],
};
const COMMITS_KEYS: [&str; 6] = [
    "conventional",
    "commit",
    "commits",
    "feat:",
    "fix:",
    "chore:",
];
const COMMITS_ACKS: [&str; 2] = ["Amended: `$cc`.", "Reworded the commit to `$cc`."];

const FRAMES: Frames = Frames {
    dos: &[
        "^",
        "please ^",
        "can you ^?",
        "could you ^ next time?",
        "^, please",
        "remember to ^",
        "don't forget to ^",
        "next time, ^",
        "pls ^",
        "make sure you ^",
        "you need to ^",
    ],
    donts: &["^", "please: ^", "^ pls", "reminder: ^", "^, ok?"],
    joins: &[". ", " — ", ", ", "... ", ". also: "],
};

const MANNER: Manner = Manner {
    openers: &[
        "hmm, ",
        "ok but ",
        "looks fine, but ",
        "nice. ",
        "close — ",
        "one thing: ",
        "also ",
        "ugh, ",
        "wait, ",
        "before I merge: ",
    ],
    closers: &[" thanks", " ty", " 🙏", " (again)", " thx"],
    lowercase: 0.35,
    typos: 0.1,
};

const FOLLOW_MANNER: Manner = Manner {
    openers: &["thanks! ", "cool. ", "👍 ", "ok "],
    closers: &[" thanks", " ty"],
    lowercase: 0.4,
    typos: 0.05,
};

/// One-off requests: `(phrase, why)`; the qualifier is what makes them one-off.
const SKIP_TESTS: [&str; 6] = [
    "just for this PR, skip the tests — CI is on fire",
    "{don't run|skip} the {tests|test suite|e2e suite} {this time|today only|just for this one}, {the sandbox is down|it's a comment-only change|I'm in a hurry}",
    "today only: no need to run the tests, {staging is broken|the runner is out of disk}",
    "for this hotfix {skip the tests|don't bother with tests}, we'll backfill them tomorrow",
    "{skip|leave out} the integration tests {just this once|for this one}{, they take 40 minutes|}",
    "this once, don't wait for the test run{ — I need it before standup|}",
];
const PUSH_MAIN: [&str; 4] = [
    "today only, push straight to main — the release is blocked",
    "{just this once|this one time}, commit {directly|straight} to main{, no branch|}",
    "skip the branch for this one and push to main, {we're in a freeze exception|ops approved it}",
    "for this incident only: push to main directly",
];

/// Follow-ups that are new tasks once the work is done (not corrections).
const OPEN_PR: [&str; 6] = [
    "{great|nice|perfect}, now open a PR{ for it|}",
    "ok, put this up as a pull request",
    "ship it — open the PR{ against main|}",
    "{cool|thanks}. can you open a PR with this?",
    "make a PR {with this|for it}{ and tag me|}",
    "looks good, open a pull request{ please|}",
];
const STAGING: [&str; 4] = [
    "{great|ok}, now apply it to staging",
    "{nice|good}. next: roll this out to staging",
    "can you apply that to staging{ too|} and tell me what changed?",
    "now do the staging apply{, I'll watch the dashboards|}",
];
const MIGRATION: [&str; 3] = [
    "{ok|great}, now write the migration for {it|the new column}",
    "next, {add|write} a {database|sql} migration for this",
    "can you {also|} {add|do} the migration{ so we can deploy it|}?",
];
const BACKFILL: [&str; 3] = [
    "{nice|good}, now backfill the last 30 days",
    "next: run a backfill for {October|the last two weeks}",
    "can you {kick off|start} the backfill{ for last month|} too?",
];
/// (asks, what the agent answers once it did it)
type Follow = (&'static [&'static str], &'static [&'static str]);
const FOLLOWS: [Follow; 4] = [
    (
        &OPEN_PR,
        &[
            "Opened #$n.",
            "{Done|Sure} — PR #$n is up{ and you're tagged|}.",
        ],
    ),
    (
        &STAGING,
        &[
            "Applied to staging: 0 to add, 1 to change, 0 to destroy.",
            "{Done|Applied}. Staging shows the change; no errors in the apply.",
        ],
    ),
    (
        &MIGRATION,
        &[
            "Added `migrations/$n_add_credit_notes.sql` with up and down steps.",
            "{Done|Here it is}: migration $n adds the column with a default.",
        ],
    ),
    (
        &BACKFILL,
        &[
            "Started the backfill; it finished in $n seconds with no errors.",
            "{Done|Backfill complete}: 30 partitions rewritten.",
        ],
    ),
];

/// Task-specific corrections that never repeat (noise).
const NOISE: [&str; 8] = [
    "that's the wrong file, {it lives in|look in|the handler is in} `$file`",
    "`$ident` should be `$ident2` here",
    "use $n as the default, not $m",
    "the test name has a typo: `test_$ident_handels_empty`",
    "wrong base branch, this goes on `release/$n.$m`",
    "the ticket is #$num, not #$num2",
    "that breaks the `$ident` case when the list is empty",
    "can you rename `$ident` to `$ident2`?",
];

const CLOSERS: [&str; 8] = [
    "thanks!",
    "perfect",
    "lgtm 👍",
    "great, merging",
    "nice",
    "ty",
    "works, thanks",
    "👍",
];

#[derive(Default, Clone)]
struct Plan {
    format: bool,
    deps: bool,
    /// None: no commit; Some(true): conventional; Some(false): not (and corrected).
    commit: Option<bool>,
    own: bool,
    skip_tests: bool,
    push_main: bool,
    /// A follow-up that is a new task: index into `FOLLOWS`.
    follow: Option<usize>,
    noise: bool,
}

pub fn generate(seed: u64) -> Workload {
    let mut rng = Rng::new(seed ^ 0xC0DE);
    let cal = Calendar::new((2026, 11, 21), 14, false);
    let now = cal.now;
    let per_repo = 40; // 20 a week over two working weeks
                       // Sessions: (repo index, time), in repo order.
    let mut slots: Vec<(usize, chrono::DateTime<chrono::Utc>)> = Vec::new();
    for (ri, _) in REPOS.iter().enumerate() {
        for t in cal.times(&mut rng, per_repo) {
            slots.push((ri, t));
        }
    }
    let times: Vec<_> = slots.iter().map(|s| s.1).collect();
    let all: Vec<usize> = (0..slots.len()).collect();
    let of =
        |ri: usize| -> Vec<usize> { all.iter().copied().filter(|&i| slots[i].0 == ri).collect() };
    let mut plans = vec![Plan::default(); slots.len()];
    let mut ledger = Ledger::default();
    for i in spread(&mut rng, &times, &all, 0.12, 3, now) {
        plans[i].format = true;
    }
    let with_deps: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| !REPOS[slots[i].0].lang.packages().is_empty())
        .collect();
    for i in spread(&mut rng, &times, &with_deps, 0.08, 3, now) {
        plans[i].deps = true;
    }
    let commits: Vec<usize> = all.iter().copied().filter(|_| rng.chance(0.3)).collect();
    for &i in &commits {
        plans[i].commit = Some(true);
    }
    for i in spread(&mut rng, &times, &commits, 0.45, 3, now) {
        plans[i].commit = Some(false);
    }
    for (ri, r) in REPOS.iter().enumerate() {
        let mine = of(ri);
        for i in spread(&mut rng, &times, &mine, 0.22, 4, now) {
            plans[i].own = true;
        }
        let _ = r;
    }
    // One-offs: three in one repository on three days (so support alone does not rule them
    // out), a few elsewhere.
    let cli = REPOS.iter().position(|r| r.name == "cli-tools").unwrap();
    let infra = REPOS
        .iter()
        .position(|r| r.name == "infra-terraform")
        .unwrap();
    for i in spread(&mut rng, &times, &of(cli), 0.0, 3, now) {
        plans[i].skip_tests = true;
    }
    for i in all.iter().copied().filter(|_| rng.chance(0.006)) {
        plans[i].skip_tests = true;
    }
    for i in spread(&mut rng, &times, &of(infra), 0.0, 3, now) {
        plans[i].push_main = true;
    }
    // New tasks after the work is done: a team-wide habit and three repositories' own.
    for i in spread(&mut rng, &times, &all, 0.08, 3, now) {
        plans[i].follow = Some(0);
    }
    for (f, name) in [
        (1, "infra-terraform"),
        (2, "billing-service"),
        (3, "data-etl"),
    ] {
        let ri = REPOS.iter().position(|r| r.name == name).unwrap();
        for i in spread(&mut rng, &times, &of(ri), 0.12, 3, now) {
            plans[i].follow = Some(f);
        }
    }
    for p in plans.iter_mut() {
        p.noise = rng.chance(0.18);
    }

    let mut cap = Cap::default();
    let mut records = Vec::new();
    let mut counters = vec![0usize; REPOS.len()];
    for (i, (ri, at)) in slots.iter().enumerate() {
        let k = counters[*ri];
        counters[*ri] += 1;
        let id = format!("coding-{:02}-{:03}", ri, k);
        let rec = session(&mut rng, &REPOS[*ri], &plans[i], id.clone(), *at, &mut cap);
        let p = &plans[i];
        if p.format {
            ledger.note("format", &id, *at);
        }
        if p.deps {
            ledger.note("deps", &id, *at);
        }
        if p.commit == Some(false) {
            ledger.note("commits", &id, *at);
        }
        if p.own {
            ledger.note(REPOS[*ri].own.kind, &id, *at);
        }
        records.push(rec);
    }
    for k in ["format", "deps", "commits"] {
        ledger.check(k, now);
    }
    for r in &REPOS {
        ledger.check(r.own.kind, now);
    }
    sort_records(&mut records);

    let mut truths = vec![
        truth("format-before-handing-back", None, &FORMAT_KEYS),
        truth("no-new-dependencies", None, &DEPS_KEYS),
        truth("conventional-commits", None, &COMMITS_KEYS),
    ];
    for r in &REPOS {
        truths.push(truth(r.own.kind, Some(r.name), r.own.keys));
    }
    // First match names the trap: the specific ones come first.
    let traps = vec![
        trap(
            "new-task",
            &["pr", "prs", "pull request", "pull requests", "pull-request"],
            None,
        ),
        trap("new-task", &["staging"], None),
        trap("new-task", &["migration", "migrations"], None),
        trap("new-task", &["backfill", "backfills"], None),
        trap(
            "one-repo-only",
            &[
                "force unwrap",
                "force-unwrap",
                "force unwraps",
                "force-unwraps",
                "force unwrapping",
                "force-unwrapping",
            ],
            Some("ios-app"),
        ),
        trap(
            "one-repo-only",
            &["unwrap", "unwraps", "unwrap()", ".unwrap()"],
            Some("billing-service"),
        ),
        trap(
            "one-off",
            &[
                "skip",
                "skipping",
                "skipped",
                "without tests",
                "without running the tests",
            ],
            None,
        ),
        trap("one-off", &["main", "directly", "straight"], None),
    ];
    Workload {
        domain: "coding",
        tag: TAG,
        records,
        memory: vec![],
        truths,
        traps,
        now,
    }
}

fn session(
    rng: &mut Rng,
    r: &Repo,
    p: &Plan,
    id: String,
    at: chrono::DateTime<chrono::Utc>,
    cap: &mut Cap,
) -> reverie::import::record::SessionRecord {
    let file = *rng.pick(r.files);
    let ident = *rng.pick(r.idents);
    let task = *rng.pick(r.tasks);
    let fmt = expand(rng, r.lang.fmt());
    let pkgs = r.lang.packages();
    let pkg = if pkgs.is_empty() { "" } else { *rng.pick(pkgs) };
    let line = (12 + rng.below(300)).to_string();
    let flag = ["dry-run", "format", "since", "verbose"][rng.below(4)];
    let t = format!(
        "{{feat|fix|chore}}({}): {}",
        r.name.split('-').next().unwrap_or(r.name),
        task
    );
    let cc = expand(rng, &t);
    let bad = match rng.below(5) {
        0 => capitalize(task),
        1 => format!("{task} wip"),
        2 => format!("updated {}", file.rsplit('/').next().unwrap_or(file)),
        3 => "misc fixes".to_string(),
        _ => format!("{}.", capitalize(task)),
    };
    let vars: Vec<(&str, &str)> = vec![
        ("fmt", &fmt),
        ("file", file),
        ("pkg", pkg),
        ("manifest", r.lang.manifest()),
        ("line", &line),
        ("flag", flag),
        ("cc", &cc),
        ("bad", &bad),
    ];
    let mut messages = Vec::new();

    // The request.
    const ASKS: [&str; 8] = [
        "^",
        "can you ^?",
        "^ — see issue #$num",
        "I need you to ^. thanks",
        "pls ^",
        "next up: ^",
        "^. the code is in `$file`",
        "Hey, could you ^? Should be small.",
    ];
    let num = (1000 + rng.below(3000)).to_string();
    let t = ASKS[rng.below(ASKS.len())]
        .replace('^', task)
        .replace("$num", &num)
        .replace("$file", file);
    let mut ask = expand(rng, &t);
    if ask.starts_with(|c: char| c.is_lowercase()) && rng.chance(0.5) {
        ask = capitalize(&ask);
    }
    let skip_in_ask = p.skip_tests && rng.chance(0.5);
    if skip_in_ask {
        let t = *rng.pick(&SKIP_TESTS);
        ask = format!("{ask}. {}", capitalize(&expand(rng, t)));
    }
    if p.push_main {
        let t = *rng.pick(&PUSH_MAIN);
        ask = format!("{ask}\n\n{}", capitalize(&expand(rng, t)));
    }
    messages.push(msg(Role::User, ask));

    // The work: some tool calls, then the answer.
    if rng.chance(0.6) {
        let n = 1 + rng.below(4);
        for _ in 0..n {
            match rng.below(5) {
                0 => {
                    messages.push(tool("Read", serde_json::json!({"file_path": file})));
                    messages.push(msg(
                        Role::Tool,
                        format!("     1\t// {file}\n     2\t…\n    {line}\t{ident}"),
                    ));
                }
                1 => {
                    messages.push(tool("Grep", serde_json::json!({"pattern": ident})));
                    messages.push(msg(Role::Tool, format!("{file}:{line}: {ident}")));
                }
                2 => {
                    messages.push(tool("Edit", serde_json::json!({"file_path": file})));
                    messages.push(msg(
                        Role::Tool,
                        format!("The file {file} has been updated."),
                    ));
                }
                3 if !p.skip_tests => {
                    messages.push(tool("Bash", serde_json::json!({"command": r.lang.test()})));
                    messages.push(msg(
                        Role::Tool,
                        format!("{} passed, 0 failed", 20 + rng.below(400)),
                    ));
                }
                _ => {
                    messages.push(tool(
                        "Glob",
                        serde_json::json!({"pattern": format!("**/*.{}", r.lang.ext())}),
                    ));
                    messages.push(msg(Role::Tool, r.files.join("\n")));
                }
            }
        }
    }
    let mut answer = Vec::new();
    const OPENERS: [&str; 4] = [
        "{Done|Implemented|Here's the change}. I {updated|changed} `$file`{ and added a test| to $task|}.",
        "I've {made the change|done it} in `$file`.",
        "{Okay|Alright} — {the change is|this is} in `$file`{, around line $line|}.",
        "Found it: `$ident` in `$file`. {Here's the fix|Fixed it as follows}:",
    ];
    let t = OPENERS[rng.below(OPENERS.len())]
        .replace("$file", file)
        .replace("$ident", ident)
        .replace("$line", &line)
        .replace("$task", task);
    answer.push(expand(rng, &t));
    let code = if p.own && !r.bad.is_empty() && r.bad.contains('\n') {
        Some(r.bad.to_string())
    } else if p.own && r.bad.is_empty() {
        // Breaking a "show me X" rule: the answer shows the code but not X.
        Some(r.good[0].to_string())
    } else if rng.chance(0.7) || answer[0].ends_with(':') {
        Some(rng.pick(r.good).to_string())
    } else {
        None
    };
    if let Some(c) = code {
        if r.lang == Lang::Md || c.starts_with("Plan:") {
            answer.push(c);
        } else {
            answer.push(format!("```{}\n{c}\n```", r.lang.fence()));
        }
    }
    if p.own && !r.bad.is_empty() && !r.bad.contains('\n') {
        answer.push(r.bad.to_string());
    }
    if p.own && r.name == "cli-tools" {
        answer.push(format!("I added the `--{flag}` flag."));
    }
    if p.deps {
        let t = format!(
            "{{I added|Added}} `{pkg}` to `{}` {{to handle this|for the helper|since it already does this}}.",
            r.lang.manifest()
        );
        answer.push(expand(rng, &t));
    }
    if !p.skip_tests && rng.chance(0.7) {
        let result = match r.lang {
            Lang::Hcl => "Success! The configuration is valid.".to_string(),
            Lang::Md => format!("built {} pages, no broken links.", 40 + rng.below(60)),
            _ => format!("{} passed.", 20 + rng.below(400)),
        };
        answer.push(format!(
            "{} `{}`: {result}",
            ["Ran", "I ran", "Checked with"][rng.below(3)],
            r.lang.test(),
        ));
    }
    match p.commit {
        Some(true) => answer.push(format!("Committed as `{cc}`.")),
        Some(false) => answer.push(format!("Committed as `{bad}`.")),
        None => {}
    }
    if p.push_main {
        answer.push("Pushed to `main`.".into());
    }
    messages.push(msg(Role::Assistant, answer.join("\n\n")));
    if p.skip_tests && !skip_in_ask {
        let t = *rng.pick(&SKIP_TESTS);
        messages.push(msg(Role::User, capitalize(&expand(rng, t))));
        messages.push(msg(
            Role::Assistant,
            "Understood, I won't run them for this one.",
        ));
    }

    // Corrections: one message or several, in any order, sometimes with task noise mixed in.
    let mut fixes: Vec<(String, String)> = Vec::new();
    let protect: Vec<&str> = FORMAT_KEYS
        .iter()
        .chain(DEPS_KEYS.iter())
        .chain(COMMITS_KEYS.iter())
        .chain(r.own.keys.iter())
        .copied()
        .chain([pkg, "unwrap"])
        .collect();
    if p.format {
        let s = compose(rng, &FORMAT, &FRAMES, &vars);
        fixes.push((s, rng.pick(&FORMAT_ACKS).to_string()));
    }
    if p.deps {
        let s = compose(rng, &DEPS, &FRAMES, &vars);
        fixes.push((s, fill(rng.pick::<&str>(&DEPS_ACKS), &vars)));
    }
    if p.commit == Some(false) {
        let s = compose(rng, &COMMITS, &FRAMES, &vars);
        fixes.push((s, fill(rng.pick::<&str>(&COMMITS_ACKS), &vars)));
    }
    if p.own {
        let s = compose(rng, &r.own.voice, &FRAMES, &vars);
        fixes.push((s, rng.pick(r.own.acks).to_string()));
    }
    if p.noise {
        let k = rng.below(NOISE.len());
        let ident2 = *rng.pick(r.idents);
        let other = *rng.pick(r.files);
        // Each noise correction is about this task only: a template at most twice per
        // repository, an identifier or file at most once, so none adds up to a preference.
        let subject = match k {
            0 => other.to_string(),
            1 | 7 => format!("{ident}>{ident2}"),
            2 | 3 | 6 => ident.to_string(),
            _ => String::new(),
        };
        let fresh = ident2 != ident
            && (subject.is_empty() || cap.take(&format!("{}:{subject}", r.name), 1))
            && cap.take(&format!("{}:{k}", r.name), 2);
        if fresh {
            let n = (2 + rng.below(30)).to_string();
            let m = (31 + rng.below(60)).to_string();
            let num = (1000 + rng.below(9000)).to_string();
            let num2 = (1000 + rng.below(9000)).to_string();
            let s = fill(
                NOISE[k],
                &[
                    ("file", other),
                    ("ident", ident),
                    ("ident2", ident2),
                    ("n", &n),
                    ("m", &m),
                    ("num", &num),
                    ("num2", &num2),
                ],
            );
            let s = expand(rng, &s);
            let at = rng.below(fixes.len() + 1);
            fixes.insert(
                at,
                (
                    s,
                    ["Fixed.", "Done.", "Good catch, changed."][rng.below(3)].to_string(),
                ),
            );
        }
    }
    if fixes.len() > 1 && rng.chance(0.5) {
        // Everything in one message.
        let texts: Vec<String> = fixes.iter().map(|f| f.0.clone()).collect();
        let joined = match rng.below(3) {
            0 => format!(
                "{}:\n- {}",
                ["a few things", "two things", "couple of things"][rng.below(3)],
                texts.join("\n- ")
            ),
            1 => {
                let rest: Vec<String> = texts[1..].iter().map(|t| decapitalize(t)).collect();
                format!("{}. Also, {}", texts[0], rest.join(". Also, "))
            }
            _ => texts.join("\n"),
        };
        messages.push(msg(Role::User, in_manner(rng, &joined, &MANNER, &protect)));
        let acks: Vec<String> = fixes.iter().map(|f| f.1.clone()).collect();
        messages.push(msg(Role::Assistant, acks.join(" ")));
    } else {
        for (s, ack) in fixes {
            messages.push(msg(Role::User, in_manner(rng, &s, &MANNER, &protect)));
            let lead = ["", "You're right. ", "Good catch — ", "Sorry about that. "][rng.below(4)];
            let ack = if lead.ends_with("— ") {
                decapitalize(&ack)
            } else {
                ack
            };
            messages.push(msg(Role::Assistant, format!("{lead}{ack}")));
        }
    }
    if let Some(f) = p.follow {
        let t = *rng.pick(FOLLOWS[f].0);
        let s = expand(rng, t);
        messages.push(msg(Role::User, in_manner(rng, &s, &FOLLOW_MANNER, &[])));
        let n = (100 + rng.below(900)).to_string();
        let t = *rng.pick(FOLLOWS[f].1);
        let reply = expand(rng, t).replace("$n", &n);
        messages.push(msg(Role::Assistant, reply));
    }
    if rng.chance(0.35) {
        messages.push(msg(Role::User, rng.pick(&CLOSERS).to_string()));
    }
    let user = *rng.pick(r.devs);
    record(
        id,
        AGENT,
        at,
        5 + rng.below(40) as i64,
        user,
        TAG,
        r.name,
        messages,
        vec![],
    )
}

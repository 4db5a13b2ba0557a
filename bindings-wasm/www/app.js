// The eligibility form: collects the household, asks the WebAssembly engine, shows the answer.
// No rule logic here — bands (and their labels), ranks, amounts, income years and payments all come
// from the engine.
import init, { Engine } from "./pkg/kodomo_rules_wasm.js";

/** The scheme this form checks (an id of `engine.schemes()`). */
const SCHEME = "child_allowance";

const TEXT = {
  ja: {
    title: "児童手当かんたん確認", privacy: "入力した内容はこの端末の中だけで計算され、どこにも送信されません。",
    when: "いつの分を確認しますか", month: "対象月", parents: "保護者", parent1: "保護者1", parent2: "保護者2（配偶者）",
    salary: "給与収入（年額・円）", otherDependants: "子ども以外の扶養親族等の数（配偶者など）", children: "子ども",
    addChild: "子どもを追加", result: "結果", monthly: "月額", missingIntro: "次の入力があると金額が確定します:",
    perChild: "子どもごとの内訳", child: "子ども", band: "区分", rank: "順位", amount: "月額", payments: "支払予定（12か月）",
    paymentMonth: "支払月", months: "対象月", why: "計算の根拠（条文・数値の出典）", birthDate: "生年月日",
    inCare: "同居し養育している（18歳年度末まで）", extended: "18歳年度末後〜22歳年度末: 監護相当・生計費の負担（確認書）",
    unknown: "未回答", yes: "あり", no: "なし", remove: "削除", toggle: "English", paid: "支払額",
    removeN: (i) => `子ども${i + 1}を削除`, birthMissing: (i) => `子ども${i + 1}の生年月日`,
    inputError: (p) => `入力を確認してください（${p}）`, monthMissing: "対象月を入力してください",
    noIncomeTest: "この月は所得制限がありません（収入の入力は不要です）。", incomeYear: (y) => `この月の所得判定は${y}年の収入で行います。`,
    yearLabel: (y) => `（${y}年分）`, yen: (n) => `${n.toLocaleString("ja-JP")}円`, rankOf: (r) => `第${r}子`,
    status: { eligible: "支給対象です", not_eligible: "支給対象外です", undetermined: "入力が足りないため金額が確定しません", not_in_force: "この月は制度の対象期間外です", not_known: "この月の計算に必要な数値が未公表です" },
    range: (a, b) => `${a} 〜 ${b}`, childN: (i) => `子ども${i + 1}`,
    fields: { income: (p, y) => `保護者${p + 1}の${y}年の収入`, dependants: (p, y) => `保護者${p + 1}の${y}年の扶養親族等の数`, extended_care: (c) => `子ども${c + 1}の確認書（監護相当・生計費の負担）` },
  },
  en: {
    title: "Child allowance check (児童手当)", privacy: "What you enter is computed on this device only and sent nowhere.",
    when: "Which month?", month: "Month", parents: "Parents", parent1: "Parent 1", parent2: "Parent 2 (spouse)",
    salary: "Gross salary (yen per year)", otherDependants: "Dependants other than the children (e.g. spouse)", children: "Children",
    addChild: "Add a child", result: "Result", monthly: "Monthly", missingIntro: "These inputs would decide the amount:",
    perChild: "Per child", child: "Child", band: "Band", rank: "Rank", amount: "Monthly", payments: "Payments (12 months)",
    paymentMonth: "Paid in", months: "For", why: "Why (articles and sources of every figure)", birthDate: "Date of birth",
    inCare: "Lives with and is raised by you (to 18歳年度末)", extended: "After 18歳年度末 to 22歳年度末: you bear care and living costs (確認書)",
    unknown: "not answered", yes: "yes", no: "no", remove: "Remove", toggle: "日本語", paid: "Amount paid",
    removeN: (i) => `Remove child ${i + 1}`, birthMissing: (i) => `child ${i + 1}'s date of birth`,
    inputError: (p) => `Please check this input (${p})`, monthMissing: "Please enter the month",
    noIncomeTest: "No income test applies in this month (no income needed).", incomeYear: (y) => `This month's income test reads the income of ${y}.`,
    yearLabel: (y) => `(${y})`, yen: (n) => `${n.toLocaleString("en-US")} yen`, rankOf: (r) => `#${r}`,
    status: { eligible: "Eligible", not_eligible: "Not eligible", undetermined: "Not decided: some inputs are missing", not_in_force: "Outside the period the rules cover", not_known: "A figure needed for this month is not published yet" },
    range: (a, b) => `${a} – ${b}`, childN: (i) => `Child ${i + 1}`,
    fields: { income: (p, y) => `parent ${p + 1}'s income for ${y}`, dependants: (p, y) => `parent ${p + 1}'s number of dependants for ${y}`, extended_care: (c) => `child ${c + 1}'s 確認書 (care and living costs)` },
  },
};

let lang = "ja";
let engine;
/** The labels of the scheme's codes (bands, reasons, …) from its metadata, by kind and code. */
let labels = {};
const label = (kind, code) => labels[kind]?.[code]?.[lang] ?? code;
const $ = (sel, root = document) => root.querySelector(sel);
const t = () => TEXT[lang];

function currentMonth() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
}

/** Give each child's remove button a name that says which child it removes. */
function renumber() {
  document.querySelectorAll("#children .child").forEach((li, i) => {
    $(".remove-child", li).setAttribute("aria-label", t().removeN(i));
  });
}

function addChild(birth = "") {
  const node = $("#child-template").content.firstElementChild.cloneNode(true);
  $(".child-birth", node).value = birth;
  $(".remove-child", node).addEventListener("click", () => { node.remove(); renumber(); update(); });
  $("#children").append(node);
  translate(node);
  renumber();
  return node;
}

function number(input) {
  const v = input.value.trim();
  return v === "" ? undefined : Number(v);
}

/** The household (conformance/README.md format) and, per person index, the form element it came from. */
function household(month) {
  const year = engine.incomeYearFor(month, SCHEME);
  const persons = [];
  const fields = [];
  for (const i of [0, 1]) {
    if (i === 1 && !$("#p1-present").checked) continue;
    const person = { id: `parent${i + 1}`, role: "parent" };
    const salary = number($(`#p${i}-salary`));
    const deps = number($(`#p${i}-dependants`));
    if (year !== undefined && salary !== undefined) {
      person.income = { [year]: { salary, ...(deps !== undefined ? { other_dependants: deps } : {}) } };
    }
    persons.push(person);
    fields.push({ kind: "parent", index: i, year });
  }
  const noBirth = [];
  [...document.querySelectorAll("#children .child")].forEach((li, c) => {
    const birth = $(".child-birth", li).value;
    if (!birth) { noBirth.push({ index: c, element: li }); return; }
    const child = { id: t().childN(c), role: "child", birth_date: birth };
    if (!$(".child-care", li).checked) child.in_care = false;
    const ext = $(".child-extended", li).value;
    if (ext) child.extended_care = { confirmed: ext === "yes" };
    persons.push(child);
    fields.push({ kind: "child", index: c, element: li });
  });
  return { household: { persons }, fields, year, noBirth };
}

/** A JSON pointer of a missing input → a label, and the form control to highlight. */
function describe(pointer, fields) {
  const m = pointer.match(/^\/persons\/(\d+)\/(income\/(\d+)(\/dependants)?|extended_care)$/);
  if (!m) return { label: pointer };
  const f = fields[Number(m[1])];
  if (m[2] === "extended_care") return { label: t().fields.extended_care(f.index), control: $(".child-extended", f.element) };
  if (m[4]) return { label: t().fields.dependants(f.index, m[3]), control: $(`#p${f.index}-dependants`) };
  return { label: t().fields.income(f.index, m[3]), control: $(`#p${f.index}-salary`) };
}

function render(month, hh, fields, year, noBirth) {
  const T = t();
  document.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  $("#income-year-hint").textContent = year === undefined ? T.noIncomeTest : T.incomeYear(year);
  document.querySelectorAll(".parent .year").forEach((s) => { s.textContent = year === undefined ? "" : T.yearLabel(year); });
  document.querySelectorAll(".parent .income").forEach((el) => {
    el.disabled = year === undefined || (el.id.startsWith("p1-") && !$("#p1-present").checked);
  });
  const ev = engine.evaluate(hh, month);
  $("#receipt").textContent = `${ev.receipt.engine} · ${ev.receipt.rulesets_hash.slice(0, 19)}…`;
  const r = ev.schemes.find((s) => s.scheme === SCHEME);
  $("#status").textContent = T.status[r.status] ?? r.status;
  $("#status").dataset.status = r.status;
  $("#result-total").textContent = r.status === "undetermined" && r.range
    ? T.range(T.yen(r.range.min), T.yen(r.range.max))
    : T.yen(r.amount);
  // Ask about the 確認書 only for children the engine places between 18歳年度末 and 22歳年度末.
  const bands = new Map((r.children ?? []).map((c) => [c.id, c.band]));
  fields.filter((f) => f.kind === "child").forEach((f) => {
    $(".extended", f.element).hidden = bands.get(T.childN(f.index)) !== "young_adult";
  });
  // What the engine needs to decide, and children whose birth date is still empty.
  const asks = (r.missing ?? []).map((p) => describe(p, fields))
    .concat(noBirth.map((c) => ({ label: T.birthMissing(c.index), control: $(".child-birth", c.element) })));
  $("#missing").hidden = asks.length === 0;
  $("#missing-list").replaceChildren(...asks.map((d) => {
    if (d.control) d.control.setAttribute("aria-invalid", "true");
    const li = document.createElement("li");
    li.textContent = d.label;
    return li;
  }));
  $("#children-table tbody").replaceChildren(...(r.children ?? []).map((c) => {
    const tr = document.createElement("tr");
    const cells = [c.id, label("band", c.band), c.rank == null ? "–" : T.rankOf(c.rank), c.amount == null ? "?" : T.yen(c.amount)];
    for (const v of cells) { const td = document.createElement("td"); td.textContent = v; tr.append(td); }
    return tr;
  }));
  // The amount is on screen; the payment schedule and the explanation follow right after.
  clearTimeout(render.later);
  document.body.dataset.pending = "true";
  render.later = setTimeout(() => {
    try { details(month, hh); } finally { document.body.dataset.pending = "false"; }
  }, 0);
}

function details(month, hh) {
  const T = t();
  const [y, m] = month.split("-").map(Number);
  const end = new Date(y, m - 1 + 11, 1);
  const to = `${end.getFullYear()}-${String(end.getMonth() + 1).padStart(2, "0")}`;
  const tl = engine.timeline(hh, month, to, { scheme: SCHEME });
  $("#payments tbody").replaceChildren(...tl.payments.map((p) => {
    const tr = document.createElement("tr");
    for (const v of [p.payment_month, p.months.join(", "), T.yen(p.amount)]) { const td = document.createElement("td"); td.textContent = v; tr.append(td); }
    return tr;
  }));
  $("#explanation").textContent = engine.explain(hh, month, lang);
}

/** An input error (a JS Error with `path` and `code`): say which field, clear the old result. */
function showError(e, fields) {
  const T = t();
  document.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  let control;
  if (e.path === "/month") control = $("#month");
  const m = /^\/persons\/(\d+)\/(income\/\d+\/(salary|other_dependants)|birth_date)/.exec(e.path ?? "");
  if (m && fields?.[Number(m[1])]) {
    const f = fields[Number(m[1])];
    control = f.kind === "child" ? $(".child-birth", f.element) : $(m[3] === "other_dependants" ? `#p${f.index}-dependants` : `#p${f.index}-salary`);
  }
  if (control) control.setAttribute("aria-invalid", "true");
  const label = control ? (control.labels?.[0]?.textContent ?? e.path) : e.path;
  $("#status").textContent = e.path === "/month" ? T.monthMissing : T.inputError(label?.trim() || e.path || "");
  $("#status").dataset.status = "error";
  $("#result-total").textContent = "–";
  $("#missing").hidden = true;
  for (const sel of ["#children-table tbody", "#payments tbody"]) $(sel).replaceChildren();
  $("#explanation").textContent = e.message ?? String(e);
}

function update() {
  const month = $("#month").value;
  let fields;
  try {
    const h = household(month);
    fields = h.fields;
    render(month, h.household, h.fields, h.year, h.noBirth);
  } catch (e) {
    clearTimeout(render.later);
    document.body.dataset.pending = "false";
    showError(e, fields);
  }
  if (window.__timing.firstResult === undefined) window.__timing.firstResult = performance.now();
}

function translate(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => {
    const v = t()[el.dataset.i18n];
    if (typeof v === "string") el.textContent = v;
  });
}

$("#lang-toggle").addEventListener("click", () => {
  lang = lang === "ja" ? "en" : "ja";
  document.documentElement.lang = lang;
  document.title = t().title;
  $("#lang-toggle").textContent = t().toggle;
  $("#lang-toggle").setAttribute("aria-pressed", String(lang === "en"));
  translate();
  renumber();
  update();
});

// Parent 2's inputs only while parent 2 is part of the household.
$("#p1-present").addEventListener("change", () => {
  for (const id of ["#p1-salary", "#p1-dependants"]) $(id).disabled = !$("#p1-present").checked;
});

// Timings for the budget "first result within 50 ms of the page being loaded" (benches/README.md).
window.__timing = { scriptStart: performance.now() };
await init();
window.__timing.wasmInstantiated = performance.now();
engine = new Engine();
labels = engine.schemes().find((s) => s.id === SCHEME).labels;
window.__timing.engineReady = performance.now();
$("#month").value = currentMonth();
// One update per edit ("input" fires for text, date, select and checkbox alike).
$("#form").addEventListener("input", update);
$("#add-child").addEventListener("click", () => { $(".child-birth", addChild()).focus(); update(); });
addChild();
update();
document.body.dataset.ready = "true";

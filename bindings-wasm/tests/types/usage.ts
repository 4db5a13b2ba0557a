// Compiled with tsc --noEmit --strict by the node tests: the generated types fit real use.
import type { Household, Evaluation, Timeline, KodomoError, MonthResult, TimelineOptions, SchemeInfo } from "../../types/index";
import { Engine } from "../../pkg/web/kodomo_rules_wasm.js";

const household: Household = {
  persons: [
    { id: "p", role: "parent", income: { "2023": { salary: 5_000_000, other_dependants: 0 } } },
    { id: "c", role: "child", birth_date: "2023-05-10", extended_care: { confirmed: true } },
  ],
};

export function total(engine: Engine): number {
  const e: Evaluation = engine.evaluate(household, "2025-06", { trace: true });
  const first = e.schemes[0];
  if (first.kind !== "monthly") throw new Error("a monthly allowance");
  const r: MonthResult = first;
  const amounts: number[] = (r.children ?? []).map((c) => c.amount ?? 0);
  const t: Timeline = engine.timeline(household, "2024-10", "2025-03", { scheme: "child_allowance" });
  const paid: string[] = t.payments.map((p) => p.payment_month);
  const options: TimelineOptions = { scheme: "child_rearing_allowance" };
  const rearing: Timeline = engine.timeline(household, "2024-10", "2025-03", options);
  paid.push(...rearing.payments.map((p) => p.payment_month));
  const schemes: SchemeInfo[] = engine.schemes();
  const label: string | undefined = schemes[0].labels["band"]?.["under_3"]?.ja;
  const monthly: number = e.totals.monthly ?? 0;
  return monthly + amounts.length + paid.length + (label ?? "").length;
}

export function describe(e: unknown): string {
  const err = e as KodomoError;
  return `${err.path} ${err.code}`;
}

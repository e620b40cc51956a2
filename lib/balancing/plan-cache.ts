/**
 * Shared plans for requests whose plan depends only on the health view and the policy's starting
 * slot (no sticky cookie carried: round robin, active/passive, a new sticky session). Such a plan is
 * built once per (view, slot), frozen, and handed to every such request until the view changes, so
 * the common request allocates no candidate list. Memory: at most one plan per slot of the view's
 * policy pool (≤ backends), each with ≤ maxFailoverAttempts + 1 candidates.
 */
import type { Plan } from './types.js';
import type { HealthView } from './health-view.js';
import { policyPool } from './failover-plan.js';

/** Plans of the current view, by policy slot. */
export interface PlanCache {
  /** The cached plan of `slot` for `view`, or undefined. */
  get(view: HealthView, slot: number): Plan | undefined;
  /** Freezes and stores `plan` as the plan of `slot` for `view`; returns it. */
  set(view: HealthView, slot: number, plan: Plan): Plan;
}

/** Creates an empty cache; a new view drops the previous view's plans. */
export function createPlanCache(): PlanCache {
  let forView: HealthView | undefined;
  let plans: (Plan | undefined)[] = [];
  return {
    get(view, slot) {
      return view === forView ? plans[slot] : undefined;
    },
    set(view, slot, plan) {
      if (view !== forView) {
        forView = view;
        plans = new Array<Plan | undefined>(policyPool(view)?.length ?? 1);
      }
      Object.freeze(plan);
      if (slot < plans.length) plans[slot] = plan;
      return plan;
    },
  };
}

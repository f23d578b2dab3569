/**
 * Who may do what to a budget, as data: each workflow action's states and roles (issue 11's table), and whose
 * department or region a user's role reaches. The use cases check both on the server before anything else; the
 * pages show only the actions these rules allow.
 *
 * The administrator may act in every role (to help a department, and for the demo data); every action is audited.
 */
import type { BudgetState, DepartmentRow, Role, UserRow } from "./platform-store.ts";

export type WorkflowAction = "upload" | "submit" | "approve" | "return" | "publish" | "correct";

export interface ActionRule {
  readonly from: readonly BudgetState[];
  readonly to: BudgetState;
  readonly roles: readonly Role[];
}

/** `return` has one rule per state it sends back from: the department approver's and the finance reviewer's. */
export const WORKFLOW: Readonly<Record<WorkflowAction, readonly ActionRule[]>> = {
  upload: [{ from: ["draft"], to: "draft", roles: ["preparer", "admin"] }],
  submit: [{ from: ["draft"], to: "submitted", roles: ["preparer", "admin"] }],
  approve: [{ from: ["submitted"], to: "approved", roles: ["dept_approver", "admin"] }],
  return: [
    { from: ["submitted"], to: "draft", roles: ["dept_approver", "admin"] },
    { from: ["approved"], to: "draft", roles: ["finance_reviewer", "admin"] },
  ],
  publish: [{ from: ["approved"], to: "published", roles: ["finance_reviewer", "admin"] }],
  correct: [{ from: ["published"], to: "draft", roles: ["preparer", "finance_reviewer", "admin"] }],
};

/** The rule that lets `role` do `action` from `state`, if any. */
export function ruleFor(action: WorkflowAction, role: Role, state: BudgetState): ActionRule | null {
  return WORKFLOW[action].find((r) => r.from.includes(state) && r.roles.includes(role)) ?? null;
}

/** Whether the role may do the action from some state (before looking at any budget). */
export function roleMay(action: WorkflowAction, role: Role): boolean {
  return WORKFLOW[action].some((r) => r.roles.includes(role));
}

/**
 * Whether the user's scope reaches the department: its own department for a preparer or department approver, the
 * department's region or one above it for a finance reviewer (`regionCodes`: the department's region and its
 * ancestors), everything for an administrator.
 */
export function reaches(user: UserRow, department: DepartmentRow, regionCodes: readonly string[]): boolean {
  if (user.disabled) return false;
  switch (user.role) {
    case "admin":
      return true;
    case "preparer":
    case "dept_approver":
      return user.departmentId === department.id;
    case "finance_reviewer":
      return user.regionCode !== null && regionCodes.includes(user.regionCode);
  }
}

/** The actions the user may take on a budget in this state (for the buttons a page shows). */
export function availableActions(user: UserRow, state: BudgetState): WorkflowAction[] {
  return (Object.keys(WORKFLOW) as WorkflowAction[]).filter((a) => ruleFor(a, user.role, state) !== null);
}

export const STATE_NAMES: Readonly<Record<BudgetState, { zh: string; en: string }>> = {
  draft: { zh: "草稿", en: "Draft" },
  submitted: { zh: "已提交", en: "Submitted" },
  approved: { zh: "部门已审核", en: "Approved" },
  published: { zh: "已公开", en: "Published" },
};

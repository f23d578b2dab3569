import { describe, expect, it } from "vitest";
import type { DepartmentRow, Role, UserRow } from "./platform-store.ts";
import { availableActions, reaches, roleMay, ruleFor } from "./workflow-rules.ts";

const user = (role: Role, over: Partial<UserRow> = {}): UserRow => ({ id: 1, username: "u", displayName: "u", role, departmentId: null, regionCode: null, passwordHash: "", disabled: false, createdAt: "", ...over });
const dept: DepartmentRow = { id: 7, regionCode: "652301", code: "415001", name: "d" };

describe("workflow rules: the issue's table, as data", () => {
  it("moves each state only by the roles the table names", () => {
    expect(ruleFor("submit", "preparer", "draft")?.to).toBe("submitted");
    expect(ruleFor("submit", "dept_approver", "draft")).toBeNull();
    expect(ruleFor("approve", "dept_approver", "submitted")?.to).toBe("approved");
    expect(ruleFor("approve", "finance_reviewer", "submitted")).toBeNull();
    expect(ruleFor("return", "dept_approver", "submitted")?.to).toBe("draft");
    expect(ruleFor("return", "dept_approver", "approved")).toBeNull(); // past the department: the reviewer's to send back
    expect(ruleFor("return", "finance_reviewer", "approved")?.to).toBe("draft");
    expect(ruleFor("publish", "finance_reviewer", "approved")?.to).toBe("published");
    expect(ruleFor("publish", "finance_reviewer", "submitted")).toBeNull();
    expect(ruleFor("publish", "preparer", "approved")).toBeNull();
    expect(ruleFor("correct", "preparer", "published")?.to).toBe("draft");
    expect(ruleFor("correct", "dept_approver", "published")).toBeNull();
    expect(roleMay("publish", "dept_approver")).toBe(false);
  });

  it("reaches: own department for preparers and approvers, the region and those under it for reviewers", () => {
    const chain = ["652301", "652300", "650000"];
    expect(reaches(user("preparer", { departmentId: 7 }), dept, chain)).toBe(true);
    expect(reaches(user("preparer", { departmentId: 8 }), dept, chain)).toBe(false);
    expect(reaches(user("dept_approver", { departmentId: 7 }), dept, chain)).toBe(true);
    expect(reaches(user("finance_reviewer", { regionCode: "650000" }), dept, chain)).toBe(true);
    expect(reaches(user("finance_reviewer", { regionCode: "652302" }), dept, chain)).toBe(false);
    expect(reaches(user("finance_reviewer"), dept, chain)).toBe(false);
    expect(reaches(user("admin", { disabled: true }), dept, chain)).toBe(false);
  });

  it("offers the actions of the state", () => {
    expect(availableActions(user("preparer"), "draft")).toEqual(["upload", "submit"]);
    expect(availableActions(user("finance_reviewer"), "approved")).toEqual(["return", "publish"]);
    expect(availableActions(user("dept_approver"), "published")).toEqual([]);
  });
});

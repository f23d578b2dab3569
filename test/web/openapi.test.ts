/**
 * The OpenAPI 3.1 document is generated from the route list and the zod schemas that validate the requests: every
 * API route is in it with its method, every body has its JSON Schema, and no page route is.
 */
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../src/adapters/web/ops-routes.ts";
import { ROUTES } from "../../src/adapters/web/routes.ts";

describe("the OpenAPI document", () => {
  const doc = openApiDocument(ROUTES) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { type?: string; properties?: Record<string, unknown> } }> }; parameters: { name: string }[] }>> };

  it("is OpenAPI 3.1 and lists exactly the API routes", () => {
    expect(doc.openapi).toBe("3.1.0");
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const api = ROUTES.filter((r) => r.kind !== "page").map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, "{$1}")}`);
    expect(listed.sort()).toEqual([...new Set(api)].sort());
    expect(listed.some((l) => l.startsWith("GET /workspace"))).toBe(false);
  });

  it("gives every request body the JSON Schema of the zod schema that validates it", () => {
    const publish = doc.paths["/api/v1/workspace/budgets/{id}/publish"]!["post"]!;
    const schema = publish.requestBody!.content["application/json"]!.schema;
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties!).sort()).toEqual(["acknowledgement", "reason", "revision"]);
    expect(publish.parameters.map((p) => p.name)).toEqual(["id"]);
    const upload = doc.paths["/api/v1/workspace/budgets"]!["post"]!;
    expect(Object.keys(upload.requestBody!.content)).toEqual(["multipart/form-data"]);
    for (const r of ROUTES.filter((x) => x.kind === "api" && x.body)) {
      const path = r.path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, "{$1}");
      expect(doc.paths[path]![r.method.toLowerCase()]!.requestBody, path).toBeDefined();
    }
  });
});

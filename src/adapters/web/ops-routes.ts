/**
 * Operations: `/healthz` (the database answers) and the OpenAPI 3.1 document generated from the route list and the
 * zod schemas that validate the requests.
 */
import { z } from "zod";
import type { RouteDef } from "./web-context.ts";

/** OpenAPI 3.1 from the routes: paths, methods, access, and the request bodies' JSON Schemas (from zod). */
export function openApiDocument(routes: readonly RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    if (r.kind === "page") continue;
    const path = r.path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, "{$1}");
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const op: Record<string, unknown> = {
      summary: r.summary.en,
      description: r.summary.zh,
      "x-access": r.access,
      parameters: params,
      responses: {
        "200": { description: "OK" },
        ...(r.access === "public" ? {} : { "401": { description: "Not signed in" }, "403": { description: "Role not admitted" } }),
        "404": { description: "Not found" },
      },
      ...(r.access === "public" ? {} : { security: [{ bearer: [] }, { session: [] }] }),
    };
    if (r.body) {
      const schema = z.toJSONSchema(r.body, { unrepresentable: "any", io: "input" });
      op.requestBody = { required: true, content: { [r.upload ? "multipart/form-data" : "application/json"]: { schema } } };
    }
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info: { title: "Gongkai 部门预算公开平台 API", version: "1", description: "Errors: {error:{code,message:{zh,en}}}. Writes with a session cookie need the x-csrf-token header." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" }, session: { type: "apiKey", in: "cookie", name: "gk_session" } } },
    paths,
  };
}

export const OPS_ROUTES: readonly RouteDef[] = [
  {
    method: "GET",
    path: "/healthz",
    access: "public",
    kind: "api",
    summary: { zh: "健康检查", en: "Health check" },
    handler: async (c, deps) => {
      await deps.store.getMeta("seed");
      return c.json({ ok: true, store: deps.store.kind });
    },
  },
  {
    method: "GET",
    path: "/api/v1/openapi.json",
    access: "public",
    kind: "api",
    summary: { zh: "OpenAPI 3.1 文档", en: "The OpenAPI 3.1 document" },
    handler: async (c) => {
      const { ROUTES } = await import("./routes.ts");
      return c.json(openApiDocument(ROUTES));
    },
  },
];

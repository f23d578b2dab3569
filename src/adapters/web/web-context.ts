/**
 * What every route of the web application shares: the route definition (one list, from which the server registers
 * the routes, the OpenAPI document is generated and the route × role test is generated), the request's actor, and
 * the dependencies a handler may use. Pages and API routes are both RouteDefs.
 */
import type { Context } from "hono";
import type { ZodType } from "zod";
import type { PlatformStore, Role, UserRow } from "../../app/platform/platform-store.ts";
import type { PlatformDeps } from "../../app/platform/platform-service.ts";

/** Who may call a route: anyone, any signed-in user, or these roles (checked on the server before any lookup). */
export type Access = "public" | "signed_in" | readonly Role[];

export type Lang = "zh" | "en";

/** The signed-in user of a request (from the session cookie or an API token), or null. */
export interface RequestActor {
  readonly user: UserRow;
  /** `session` for a browser (forms carry the CSRF token), `token` for an API token (no cookie, no CSRF) */
  readonly via: "session" | "token";
  /** the session's CSRF token (null for a token) */
  readonly csrfToken: string | null;
}

export interface WebEnv {
  Variables: {
    actor: RequestActor | null;
    lang: Lang;
    /** the parsed and validated body of a POST (form fields or JSON), set by the route's `body` schema */
    body: unknown;
    requestId: string;
  };
}

export type WebContext = Context<WebEnv>;

export interface WebDeps extends PlatformDeps {
  readonly store: PlatformStore;
  /** limits (bytes) */
  readonly maxUploadBytes: number;
  readonly maxFormBytes: number;
}

export interface RouteDef {
  readonly method: "GET" | "POST";
  /** a Hono path pattern, e.g. `/r/:region/d/:department/:year/` */
  readonly path: string;
  readonly access: Access;
  /** `page`: HTML (forms with CSRF); `api`: JSON under /api/v1; `file`: a stored file's bytes */
  readonly kind: "page" | "api" | "file";
  readonly summary: { readonly zh: string; readonly en: string };
  /** the schema of the body (urlencoded or multipart form fields for pages, JSON for the API) */
  readonly body?: ZodType;
  /** the schema of the query string */
  readonly query?: ZodType;
  /** `multipart`: the body holds an uploaded file (field `file`) */
  readonly upload?: boolean;
  /** the body's limit in bytes, where the route has its own (default: `maxUploadBytes` for an upload, else `maxFormBytes`) */
  readonly maxBytes?: number;
  readonly handler: (c: WebContext, deps: WebDeps) => Response | Promise<Response>;
}

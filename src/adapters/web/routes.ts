/**
 * Every route of the web application, in one list: the server registers them from it, the OpenAPI document is
 * generated from it, and the route × role test is generated from it (a route without a row in that test fails it).
 */
import { AUDIT_UPLOAD_ROUTES } from "./audit-routes.tsx";
import { AUTH_ROUTES } from "./auth-routes.tsx";
import { COMPARE_ROUTES } from "./compare-routes.tsx";
import { EDITOR_ROUTES } from "./editor-routes.tsx";
import { PUBLIC_ROUTES } from "./public-routes.tsx";
import { WORKSPACE_ROUTES } from "./workspace-routes.tsx";
import { ADMIN_ROUTES } from "./admin-routes.tsx";
import { OPS_ROUTES } from "./ops-routes.ts";
import { SEARCH_ROUTES } from "./search-routes.tsx";
import { STATUS_ROUTES } from "./status-routes.tsx";
import type { RouteDef } from "./web-context.ts";

// COMPARE_ROUTES before PUBLIC_ROUTES: `…/d/:department/trend/` is matched before `…/d/:department/:year/`
export const ROUTES: readonly RouteDef[] = [...OPS_ROUTES, ...AUTH_ROUTES, ...WORKSPACE_ROUTES, ...EDITOR_ROUTES, ...ADMIN_ROUTES, ...COMPARE_ROUTES, ...PUBLIC_ROUTES, ...STATUS_ROUTES, ...SEARCH_ROUTES, ...AUDIT_UPLOAD_ROUTES];

/**
 * The answers every route shares: an error as JSON `{error:{code,message:{zh,en}}}` for the API and as a page for
 * a browser — never a stack trace — and a use case's refusal mapped to its HTTP status.
 */
import type { ServiceError } from "../../app/platform/platform-service.ts";
import { href, pageResponse, t, type JSX } from "./page-layout.tsx";
import type { WebContext } from "./web-context.ts";

export interface WebError {
  readonly status: number;
  readonly code: string;
  readonly message: { readonly zh: string; readonly en: string };
  readonly problems?: ServiceError["problems"];
}

export const SERVICE_STATUS: Readonly<Record<ServiceError["code"], number>> = {
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unchanged: 409,
  wrong_state: 409,
  invalid_input: 422,
  has_errors: 422,
  needs_acknowledgement: 422,
  needs_reason: 422,
};

export function serviceError(e: ServiceError): WebError {
  return { status: SERVICE_STATUS[e.code], code: e.code, message: e.message, ...(e.problems ? { problems: e.problems } : {}) };
}

export const ERRORS = {
  unauthenticated: { status: 401, code: "unauthenticated", message: { zh: "请先登录。", en: "Sign in first." } },
  forbidden: { status: 403, code: "forbidden", message: { zh: "您的角色不能进行此操作。", en: "Your role may not do this." } },
  csrf: { status: 403, code: "csrf", message: { zh: "表单已过期或来源不明，请刷新页面后重试。", en: "The form is stale or not ours; reload the page and try again." } },
  notFound: { status: 404, code: "not_found", message: { zh: "没有找到这个页面。", en: "No such page." } },
  tooLarge: { status: 413, code: "too_large", message: { zh: "提交的内容太大。", en: "The request body is too large." } },
  badJson: { status: 400, code: "bad_json", message: { zh: "请求体不是有效的 JSON。", en: "The request body is not valid JSON." } },
  badForm: { status: 400, code: "bad_form", message: { zh: "表单内容无法读取。", en: "The form cannot be read." } },
  badMediaType: { status: 415, code: "unsupported_media_type", message: { zh: "不支持的请求内容类型。", en: "Unsupported content type." } },
  tooMany: { status: 429, code: "too_many_attempts", message: { zh: "登录失败次数过多，请 15 分钟后再试。", en: "Too many failed sign-ins; try again in 15 minutes." } },
  internal: { status: 500, code: "internal", message: { zh: "服务器内部错误，已记录。请稍后重试。", en: "Internal error (logged). Try again later." } },
} as const satisfies Record<string, WebError>;

export function isApiPath(path: string): boolean {
  return path === "/api/v1" || path.startsWith("/api/v1/");
}

/** A refusal on a page: its message, and each problem at its place in the file (`budget.yaml:12:5`). */
export function ErrorBox(props: { c: WebContext; error: Pick<WebError, "message" | "problems"> }): JSX {
  const { c, error: e } = props;
  return (
    <div class="error" role="alert">
      <p>{t(c, e.message.zh, e.message.en)}</p>
      {e.problems && e.problems.length > 0 ? (
        <ul>
          {e.problems.map((p) => (
            <li>
              {p.place ? <code>{p.place}</code> : null} {t(c, p.message.zh, p.message.en)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** An error in the form the request expects: JSON under /api/v1, else a page. */
export function errorResponse(c: WebContext, e: WebError): Response {
  if (isApiPath(c.req.path))
    return c.json({ error: { code: e.code, message: e.message, ...(e.problems ? { problems: e.problems } : {}), requestId: c.get("requestId") } }, e.status as 400);
  return pageResponse(c, {
    title: t(c, "出错了", "Error"),
    status: e.status,
    body: (
      <>
        <h1>{t(c, "出错了", "Something went wrong")}</h1>
        <ErrorBox c={c} error={e} />
        <p>
          <a href={href(c, "/")}>{t(c, "返回首页", "Home")}</a>
        </p>
      </>
    ),
  });
}

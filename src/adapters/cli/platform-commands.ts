/**
 * The platform's commands of the `gongkai` command line: `user add` (the first administrator; the administration pages
 * create the rest), `backup` and `restore` of a SQLite store (PostgreSQL: pg_dump and psql, named in the messages).
 * The store is the one the server uses (storeConfigFromEnv: DATABASE_URL, else GONGKAI_DB, else ./var/gongkai.db).
 * Every expected failure is one message and exit 2, with nothing changed; no stack trace.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import type { Lang } from "../../app/command-registry.ts";
import { ROLES, type PlatformStore, type Role } from "../../app/platform/platform-store.ts";
import { hashPassword, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, USERNAME_RE } from "../auth/password-hash.ts";
import { backupSqlite, openStore, redactUrl, restoreSqlite, storeConfigFromEnv, type StoreConfig } from "../store/open-store.ts";
import { checkOutputFile, formatOutputProblem } from "./output-folder.ts";

const ROLE_NAMES: Record<Role, Record<Lang, string>> = {
  preparer: { zh: "编制人", en: "preparer" },
  dept_approver: { zh: "部门审核人", en: "department approver" },
  finance_reviewer: { zh: "财政审核人", en: "finance reviewer" },
  admin: { zh: "管理员", en: "administrator" },
};

export const PLATFORM_TEXT = {
  "user.no_subcommand": { zh: "gongkai user 只有 add：gongkai user add <用户名> --role <角色>", en: "gongkai user has one subcommand, add: gongkai user add <username> --role <role>" },
  "user.bad_username": {
    zh: "用户名 {username} 不可用：须为 3–32 个小写字母、数字或 _ . -",
    en: "the user name {username} cannot be used: it must be 3 to 32 lowercase letters, digits or _ . -",
  },
  "user.no_role": { zh: "请用 --role 指定角色：{roles}", en: "name the role with --role: {roles}" },
  "user.bad_role": { zh: "未知角色 {role}；可用的角色：{roles}", en: "unknown role {role}; the roles are: {roles}" },
  "user.bad_name": { zh: "--name 须为 1–60 个字符", en: "--name must be 1 to 60 characters" },
  "user.needs_department": {
    zh: "{role}（{roleName}）须指定部门：--region <6 位区划编码> --department <部门编码>",
    en: "a {role} ({roleName}) needs a department: --region <6-digit region code> --department <department code>",
  },
  "user.needs_region": { zh: "{role}（{roleName}）须指定区划：--region <6 位区划编码>", en: "a {role} ({roleName}) needs a region: --region <6-digit region code>" },
  "user.option_not_for_role": { zh: "{option} 不适用于角色 {role}（{roleName}）", en: "{option} does not apply to the role {role} ({roleName})" },
  "user.bad_region_code": { zh: "--region {region} 不是 6 位数字的财政区划编码", en: "--region {region} is not a 6-digit region code" },
  "user.unknown_region": { zh: "数据库 {db} 中没有区划 {region}", en: "there is no region {region} in the database {db}" },
  "user.unknown_department": { zh: "数据库 {db} 中区划 {region} 下没有部门 {department}", en: "there is no department {department} in region {region} in the database {db}" },
  "user.no_password": {
    zh: "没有从标准输入读到密码：请用管道提供（第一行），如 printf '%s\\n' \"$PASSWORD\" | gongkai user add …",
    en: "no password on standard input: pipe it in (its first line), e.g. printf '%s\\n' \"$PASSWORD\" | gongkai user add …",
  },
  "user.short_password": { zh: "密码太短：至少 {min} 个字符", en: "the password is too short: at least {min} characters" },
  "user.long_password": { zh: "密码太长：至多 {max} 个字符", en: "the password is too long: at most {max} characters" },
  "user.password_mismatch": { zh: "两次输入的密码不一致", en: "the two passwords differ" },
  "user.cancelled": { zh: "已取消，未创建用户", en: "cancelled; no user created" },
  "user.duplicate": { zh: "用户名 {username} 已存在（数据库 {db}）", en: "the user name {username} is taken (database {db})" },
  "user.created": {
    zh: "已创建用户 {username}（{name}），角色 {role}（{roleName}），数据库 {db}",
    en: "created the user {username} ({name}), role {role} ({roleName}), database {db}",
  },
  "user.created_next": { zh: "启动服务器（npm start）后即可用它登录。", en: "start the server (npm start) and sign in with it." },
  "store.unusable": { zh: "{message}", en: "{message}" },
  "backup.postgres": {
    zh: "数据库是 PostgreSQL（{db}）：gongkai backup 只备份 SQLite。请用 pg_dump 备份：pg_dump \"$DATABASE_URL\" > {file}",
    en: "the database is PostgreSQL ({db}): gongkai backup backs up SQLite only. Use pg_dump: pg_dump \"$DATABASE_URL\" > {file}",
  },
  "restore.postgres": {
    zh: "数据库是 PostgreSQL（{db}）：gongkai restore 只恢复 SQLite。请用 psql 把 pg_dump 的备份恢复到空数据库：psql \"$DATABASE_URL\" < {file}",
    en: "the database is PostgreSQL ({db}): gongkai restore restores SQLite only. Restore a pg_dump backup into an empty database with psql: psql \"$DATABASE_URL\" < {file}",
  },
  "backup.no_database": { zh: "数据库 {db} 不存在，没有可备份的内容（GONGKAI_DB 指定数据库文件）", en: "the database {db} does not exist; there is nothing to back up (GONGKAI_DB names the database file)" },
  "backup.exists": { zh: "{file} 已存在；如要覆盖请加 --force", en: "{file} exists; add --force to overwrite it" },
  "backup.done": { zh: "已备份数据库 {db} 到 {file}（{size}）", en: "backed up the database {db} to {file} ({size})" },
  "restore.no_backup": { zh: "备份 {file} 不存在", en: "the backup {file} does not exist" },
  "restore.same_file": { zh: "备份 {file} 就是数据库本身", en: "the backup {file} is the database itself" },
  "restore.exists": {
    zh: "数据库 {db} 已存在，恢复会用备份替换它。请先停止服务器，再加 --force 重新运行",
    en: "the database {db} exists and restoring replaces it with the backup. Stop the server first, then run again with --force",
  },
  "restore.done": { zh: "已用备份 {file} 恢复数据库 {db}；现在可以启动服务器", en: "restored the database {db} from the backup {file}; the server may be started now" },
} as const satisfies Record<string, Record<Lang, string>>;

type TextKey = keyof typeof PLATFORM_TEXT;

function say(key: TextKey, lang: Lang, params: Record<string, string | number> = {}): string {
  let text: string = PLATFORM_TEXT[key][lang];
  for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

export interface PlatformIo {
  readonly lang: Lang;
  readonly json: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/** An expected failure: its message (stderr, or JSON on stdout with --json); exit 2. */
function refuse(io: PlatformIo, code: string, message: string): number {
  if (io.json) console.log(JSON.stringify({ ok: false, exitCode: 2, problems: [{ code, severity: "error", message }] }, null, 2));
  else console.error(message);
  return 2;
}

function fail(io: PlatformIo, key: TextKey, params: Record<string, string | number> = {}): number {
  return refuse(io, key, say(key, io.lang, params));
}

/** The database in messages: the SQLite file's full path, or the PostgreSQL URL without its password. */
function databaseName(config: StoreConfig): string {
  return config.kind === "sqlite" ? resolve(config.file) : config.kind === "postgres" ? redactUrl(config.url) : (config.dataDir ?? "PGlite");
}

function sizeText(bytes: number, lang: Lang): string {
  const exact = `${bytes.toLocaleString("en-US")} ${lang === "zh" ? "字节" : "bytes"}`;
  let n = bytes;
  let unit = "";
  for (const u of ["KiB", "MiB", "GiB"]) {
    if (n < 1024) break;
    n /= 1024;
    unit = u;
  }
  return unit === "" ? exact : `${n.toFixed(1)} ${unit}${lang === "zh" ? "，" : ", "}${exact}`;
}

// reading the password ------------------------------------------------------------------------------------------

/** longest first line read from a pipe before giving up on finding its end */
const MAX_LINE_BYTES = 64 * 1024;

/** The first line of a piped standard input (without its line end); "" when there is none. */
async function firstLine(stream: NodeJS.ReadStream): Promise<string> {
  stream.setEncoding("utf8");
  let text = "";
  for await (const chunk of stream) {
    text += String(chunk);
    const end = text.indexOf("\n");
    if (end >= 0) {
      text = text.slice(0, end);
      break;
    }
    if (text.length > MAX_LINE_BYTES) break;
  }
  return text.replace(/\r$/, "");
}

/** Asks on the terminal without echo; null when cancelled (Ctrl-C, Ctrl-D). */
function promptHidden(question: string): Promise<string | null> {
  return new Promise((done) => {
    let muted = false;
    const output = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        if (!muted) process.stderr.write(chunk);
        callback();
      },
    });
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    let answered = false;
    rl.on("SIGINT", () => rl.close());
    rl.on("close", () => {
      process.stderr.write("\n");
      if (!answered) done(null);
    });
    rl.question(question, (answer) => {
      answered = true;
      done(answer);
      rl.close();
    });
    // the prompt is written; what is typed after it is not
    muted = true;
  });
}

type PasswordRead = { ok: true; password: string } | { ok: false; key: TextKey; params?: Record<string, string | number> };

async function readPassword(lang: Lang): Promise<PasswordRead> {
  let password: string;
  if (process.stdin.isTTY) {
    const first = await promptHidden("密码 / password: ");
    if (first === null) return { ok: false, key: "user.cancelled" };
    const again = first === "" ? "" : await promptHidden(lang === "zh" ? "再输入一次 / again: " : "again / 再输入一次: ");
    if (again === null) return { ok: false, key: "user.cancelled" };
    if (again !== first) return { ok: false, key: "user.password_mismatch" };
    password = first;
    if (password === "") return { ok: false, key: "user.short_password", params: { min: MIN_PASSWORD_CHARS } };
  } else {
    password = await firstLine(process.stdin);
    if (password === "") return { ok: false, key: "user.no_password" };
  }
  if (password.length < MIN_PASSWORD_CHARS) return { ok: false, key: "user.short_password", params: { min: MIN_PASSWORD_CHARS } };
  if (password.length > MAX_PASSWORD_CHARS) return { ok: false, key: "user.long_password", params: { max: MAX_PASSWORD_CHARS } };
  return { ok: true, password };
}

// user add ------------------------------------------------------------------------------------------------------

export interface UserAddOptions {
  readonly role?: string | undefined;
  readonly name?: string | undefined;
  readonly region?: string | undefined;
  readonly department?: string | undefined;
}

/** Opens (and migrates) the store; a store that cannot be opened is a message, exit 2. */
async function withStore(io: PlatformIo, config: StoreConfig, use: (store: PlatformStore) => Promise<number>): Promise<number> {
  let store: PlatformStore;
  try {
    store = await openStore(config);
  } catch (e) {
    return refuse(io, "store.unusable", e instanceof Error ? e.message : String(e));
  }
  try {
    try {
      await store.migrate();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return refuse(io, "store.unusable", io.lang === "zh" ? `无法迁移数据库 ${databaseName(config)}：${message}` : `cannot migrate the database ${databaseName(config)}: ${message}`);
    }
    return await use(store);
  } finally {
    await store.close();
  }
}

/** `gongkai user add <username> --role <role> [--name …] [--region …] [--department …]`, the password on stdin. */
export async function runUserAdd(io: PlatformIo, sub: string, username: string, opts: UserAddOptions): Promise<number> {
  const { lang } = io;
  if (sub !== "add") return fail(io, "user.no_subcommand");
  if (!USERNAME_RE.test(username)) return fail(io, "user.bad_username", { username: JSON.stringify(username) });
  const roles = ROLES.join(", ");
  if (opts.role === undefined) return fail(io, "user.no_role", { roles });
  if (!(ROLES as readonly string[]).includes(opts.role)) return fail(io, "user.bad_role", { role: JSON.stringify(opts.role), roles });
  const role = opts.role as Role;
  const roleParams = { role, roleName: ROLE_NAMES[role][lang] };
  const displayName = (opts.name ?? username).trim();
  if (displayName.length < 1 || displayName.length > 60) return fail(io, "user.bad_name");
  const needsDepartment = role === "preparer" || role === "dept_approver";
  const needsRegion = needsDepartment || role === "finance_reviewer";
  if (needsDepartment && (opts.region === undefined || opts.department === undefined)) return fail(io, "user.needs_department", roleParams);
  if (needsRegion && opts.region === undefined) return fail(io, "user.needs_region", roleParams);
  if (!needsRegion && opts.region !== undefined) return fail(io, "user.option_not_for_role", { ...roleParams, option: "--region" });
  if (!needsDepartment && opts.department !== undefined) return fail(io, "user.option_not_for_role", { ...roleParams, option: "--department" });
  if (opts.region !== undefined && !/^\d{6}$/.test(opts.region)) return fail(io, "user.bad_region_code", { region: opts.region });

  const pw = await readPassword(lang);
  if (!pw.ok) return fail(io, pw.key, pw.params);

  const config = storeConfigFromEnv(io.env);
  const db = databaseName(config);
  return withStore(io, config, async (store) => {
    let departmentId: number | null = null;
    let regionCode: string | null = null;
    if (needsRegion) {
      const region = opts.region!;
      if (!(await store.getRegion(region))) return fail(io, "user.unknown_region", { region, db });
      if (needsDepartment) {
        const department = await store.findDepartment(region, opts.department!);
        if (!department) return fail(io, "user.unknown_department", { region, department: opts.department!, db });
        departmentId = department.id;
      } else regionCode = region;
    }
    const created = await store.createUser(
      { username, displayName, role, departmentId, regionCode, passwordHash: await hashPassword(pw.password) },
      { userId: null, action: "user.create", entity: "user", entityId: username, before: null, after: JSON.stringify({ username, role, departmentId, regionCode, via: "cli" }) },
    );
    if (!created.ok) return fail(io, "user.duplicate", { username, db });
    const user = created.value;
    if (io.json) console.log(JSON.stringify({ ok: true, exitCode: 0, database: db, user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, departmentId: user.departmentId, regionCode: user.regionCode } }, null, 2));
    else console.log(`${say("user.created", lang, { username, name: displayName, ...roleParams, db })}\n${say("user.created_next", lang)}`);
    return 0;
  });
}

// backup and restore --------------------------------------------------------------------------------------------

/** `gongkai backup <file> [--force]`: an online copy of the SQLite store; on PostgreSQL, pg_dump named. */
export async function runBackup(io: PlatformIo, file: string, force: boolean): Promise<number> {
  const { lang } = io;
  const config = storeConfigFromEnv(io.env);
  const db = databaseName(config);
  if (config.kind !== "sqlite") return fail(io, "backup.postgres", { db, file });
  if (!existsSync(config.file)) return fail(io, "backup.no_database", { db });
  const dest = resolve(file);
  const bad = await checkOutputFile(file, "gongkai backup", [config.file, `${config.file}-wal`, `${config.file}-shm`]);
  if (bad) return refuse(io, bad.code, formatOutputProblem(bad, lang));
  if (existsSync(dest) && !force) return fail(io, "backup.exists", { file: dest });
  try {
    await backupSqlite(config.file, dest);
  } catch (e) {
    return refuse(io, "backup.failed", e instanceof Error ? e.message : String(e));
  }
  const size = statSync(dest).size;
  if (io.json) console.log(JSON.stringify({ ok: true, exitCode: 0, database: db, file: dest, bytes: size }, null, 2));
  else console.log(say("backup.done", lang, { db, file: dest, size: sizeText(size, lang) }));
  return 0;
}

/** `gongkai restore <file> [--force]`: the SQLite store replaced by a backup (the server stopped). */
export async function runRestore(io: PlatformIo, file: string, force: boolean): Promise<number> {
  const { lang } = io;
  const config = storeConfigFromEnv(io.env);
  const db = databaseName(config);
  if (config.kind !== "sqlite") return fail(io, "restore.postgres", { db, file });
  const src = resolve(file);
  if (!existsSync(src)) return fail(io, "restore.no_backup", { file: src });
  if (src === db) return fail(io, "restore.same_file", { file: src });
  if (existsSync(config.file) && !force) return fail(io, "restore.exists", { db });
  try {
    await restoreSqlite(src, config.file);
  } catch (e) {
    return refuse(io, "restore.failed", e instanceof Error ? e.message : String(e));
  }
  if (io.json) console.log(JSON.stringify({ ok: true, exitCode: 0, database: db, file: src }, null, 2));
  else console.log(say("restore.done", lang, { db, file: src }));
  return 0;
}

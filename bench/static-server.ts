/**
 * The web benchmark's baseline: a plain static file server (sirv on node:http) serving one folder, as a web server
 * in front of the published files would. Prints `listening <port>` once it listens on 127.0.0.1.
 */
import { createServer } from "node:http";
import sirv from "sirv";

const dir = process.argv[2];
if (!dir) throw new Error("usage: static-server.ts <folder>");
const serve = sirv(dir, { etag: true, dev: false });
const server = createServer((req, res) =>
  serve(req, res, () => {
    res.statusCode = 404;
    res.end();
  }),
);
server.listen(0, "127.0.0.1", () => {
  const a = server.address();
  console.log(`listening ${typeof a === "object" && a ? a.port : 0}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));

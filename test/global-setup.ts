/**
 * Once before every test run: the browser editor's script and stylesheet are built (as `npm start` builds them), so
 * the servers the tests start serve what a user's would.
 */
import { buildAssets } from "../src/adapters/web/build-assets.ts";

export default async function setup(): Promise<void> {
  await buildAssets();
}

// Registers bench/profile/ts-loader.mjs (see there). Profiling only; `npm run bench` uses tsx.
import { register } from "node:module";
register("./ts-loader.mjs", import.meta.url);
